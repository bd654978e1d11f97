"""Path words the site uses itself, which no organisation or service may take as id.

Public URLs are ``/<organisation>/`` and ``/<organisation>/<service>/``, next to
the site's own pages (``/console/``, ``/<organisation>/zoeken/``). The catalogue
refuses these words as ids, and a test checks that every fixed first path
segment in the URL configuration is listed here, so a new page can never be
shadowed by (or shadow) a service.
"""

from __future__ import annotations

# First segment after the language prefix: next to organisation ids.
SITE_WORDS = frozenset(
    {"api", "console", "static", "media", "admin", "account", "healthz", "metrics",
     "nl", "fr", "en", "de", "i18n"}
)  # fmt: skip

# The console's own first segments (/console/inloggen/), next to organisation ids
# in /console/<organisation>/.
SITE_WORDS = SITE_WORDS | {"inloggen", "uitloggen", "wachtwoord"}

# Second segment, under an organisation: next to service ids.
ORGANISATION_WORDS = frozenset(
    {"api", "incidenten", "onderhoud", "zoeken", "geschiedenis", "herstel", "feeds",
     "history", "abonneren", "systemen", "domeinen"}
)  # fmt: skip
