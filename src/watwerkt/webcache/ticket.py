"""The note a public view leaves for the page cache on a response it may keep.

Only :class:`~watwerkt.public.pages.PublicPage` writes it, and only on a 200:
a response without a ticket is never stored, whatever its headers say. The
ticket travels in the WSGI environ (Django's ``request.META`` *is* the
environ), which is how the fast path, outside Django, reads it back.
"""

from __future__ import annotations

from dataclasses import dataclass

from watwerkt.status.revision import RevisionState

ENVIRON_KEY = "watwerkt.page"


@dataclass(frozen=True, slots=True)
class Ticket:
    """What the stored response depends on, besides its URL and the request headers
    its ``Vary`` names.

    ``query``: the query parameters the output depends on, ``None`` for the whole
    query string (the safe default: a view that reads ``?q=`` and forgets to say
    so is still right). ``expires``: the moment (seconds since the epoch) the
    content changes by itself, without a new revision — a maintenance window
    that starts — or ``None``.
    """

    revision: RevisionState
    query: tuple[str, ...] | None = None
    expires: float | None = None
