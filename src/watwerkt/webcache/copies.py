"""The last good copy of every public page, on disk: what is shown when rendering fails.

The page store in memory (:mod:`.fastpath`) is per worker process, and the
shared store (:mod:`.shared`) is Redis, when there is one. Neither helps a
worker that never rendered a page when the database stops answering: before
this store, such a page was an error. So every page the fast path keeps is
also written here, under the var directory, where every worker of the machine
finds it: one file per address (scheme, host and path; pages with a query
string, such as search results, are not kept), replaced atomically by the
next render, so a reader never sees half a file.

A copy is answered only when a render failed with a server error. It says so
on the page: an HTML copy gets a notice at the top of its main content, in
the page's language, with the moment it shows ("as of"); every copy carries
``Cache-Control: no-cache``, so no proxy takes it for the current page.

The directory is bounded (``WATWERKT_OUTAGE_COPIES_MB``): past the bound the
oldest copies go first.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import threading
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from watwerkt.status.revision import RevisionState

from .lru import BoundedLRU
from .page import Page, build

log = logging.getLogger(__name__)

CHECK_EVERY = 200  # copies written between two looks at the directory's size
MAIN = b'<main id="inhoud" tabindex="-1">'
DROPPED = frozenset({"etag", "last-modified", "cache-control", "content-length"})


class Copies:
    def __init__(self, directory: Path, budget: int) -> None:
        self.directory = directory
        self.budget = budget  # bytes
        self._lock = threading.Lock()
        self._written = 0
        # Copies as answered, per file and its modification time: built (and
        # gzipped) once per outage, not per request.
        self._answers: BoundedLRU[tuple[str, int], Page] = BoundedLRU(256)

    @classmethod
    def from_settings(cls) -> Copies | None:
        budget = settings.OUTAGE_COPIES_MB * 1024 * 1024
        return cls(settings.VAR_DIR / "pages", budget) if budget > 0 else None

    def path(self, resource: str) -> Path:
        return self.directory / (hashlib.blake2b(resource.encode(), digest_size=16).hexdigest())

    def put(self, resource: str, page: Page) -> None:
        """Keep ``page`` as the copy of ``resource``; a failure only costs the copy."""
        head = {
            "revision": [page.revision.number, _iso(page.revision.changed_at)],
            "headers": [list(h) for h in page.plain.headers],
        }
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=self.directory, delete=False) as out:
                out.write(json.dumps(head).encode() + b"\n" + page.plain.data)
            os.replace(out.name, self.path(resource))
        except OSError as exc:
            log.warning("could not keep a copy of %s: %s", resource, exc)
            return
        with self._lock:
            self._written += 1
            due = self._written % CHECK_EVERY == 0
        if due:
            self.trim()

    def get(self, resource: str) -> Page | None:
        """The copy of ``resource`` as it is answered in an outage, or None."""
        path = self.path(resource)
        try:
            stamp = path.stat().st_mtime_ns
            found = self._answers.get((str(path), stamp))
            if found is None:
                found = _read(path.read_bytes())
                self._answers.put((str(path), stamp), found)
            return found
        except (OSError, ValueError, KeyError) as exc:
            if not isinstance(exc, FileNotFoundError):
                log.warning("could not read the copy of %s: %s", resource, exc)
            return None

    def trim(self) -> None:
        """Remove the oldest copies until the directory is under its budget again."""
        try:
            files = [(f.stat().st_mtime_ns, f.stat().st_size, f) for f in self.directory.iterdir()]
        except OSError:
            return
        total = sum(size for _stamp, size, _path in files)
        for _stamp, size, path in sorted(files):
            if total <= self.budget * 0.9:
                break
            path.unlink(missing_ok=True)
            total -= size


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _read(raw: bytes) -> Page:
    line, _, data = raw.partition(b"\n")
    head: dict[str, Any] = json.loads(line)
    number, changed = head["revision"]
    revision = RevisionState(number, datetime.fromisoformat(changed) if changed else None)
    return marked(revision, [tuple(h) for h in head["headers"]], data)


def marked(revision: RevisionState, headers: list[Any], data: bytes) -> Page:
    """A page as answered after a failed render: marked as a copy, never validated."""
    headers = [(k, v) for k, v in headers if k.lower() not in DROPPED]
    named = {k.lower(): v for k, v in headers}
    if named.get("content-type", "").startswith("text/html"):
        language = named.get("content-language", settings.LANGUAGE_CODE)
        data = data.replace(MAIN, MAIN + notice(revision.changed_at, language).encode(), 1)
    headers.append(("Cache-Control", "no-cache"))
    return build(revision, headers, data, None)


def notice(as_of: datetime | None, language: str) -> str:
    """The line at the top of a copy: it is a copy, and of when."""
    with translation.override(language), timezone.override(ZoneInfo(settings.TIME_ZONE)):
        if as_of is None:
            text = _("Deze pagina kan nu niet worden bijgewerkt. U ziet een eerdere versie.")
        else:
            shown = formats.date_format(timezone.localtime(as_of), "DATETIME_FORMAT")
            text = _(
                "Deze pagina kan nu niet worden bijgewerkt. U ziet ze zoals ze was op %(when)s."
            ) % {"when": shown}
    return f'\n<p class="outage-notice" role="status">{escape(text)}</p>'
