"""What every public response shares: the revision it shows, and conditional GET.

Each public view builds one :class:`PublicPage`, which reads the catalogue
revision once, finds the snapshot (404 when there is none), and answers
``If-None-Match`` / ``If-Modified-Since`` with 304 before anything is
rendered. :meth:`PublicPage.respond` is the one place where caching headers
and (later) rendered pages kept per revision and language belong.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import get_language

import watwerkt

from .snapshot import OrganisationEntry, RevisionState, Snapshot, revision_state, snapshots


def etag_for(revision: RevisionState, language: str) -> str:
    """A strong ETag: same revision, language and code version -> same bytes."""
    stamp = revision.changed_at.isoformat() if revision.changed_at else ""
    digest = hashlib.blake2s(f"{stamp}|{watwerkt.__version__}".encode(), digest_size=4)
    return f'"{revision.number}-{language}-{digest.hexdigest()}"'


@dataclass
class PublicPage:
    request: HttpRequest
    revision: RevisionState = field(default_factory=revision_state)

    @property
    def language(self) -> str:
        return (get_language() or "nl")[:2]

    def organisations(self) -> tuple[OrganisationEntry, ...]:
        return snapshots.organisations(self.revision)

    def snapshot(self, organisation: str) -> Snapshot:
        found = snapshots.get(organisation, self.revision)
        if found is None:
            raise Http404("no such organisation")
        return found

    @property
    def etag(self) -> str:
        return etag_for(self.revision, self.language)

    def respond(self, render: Callable[[], HttpResponseBase]) -> HttpResponseBase:
        """``render()``'s response, or 304 when the client already has this revision."""
        last_modified = (
            int(self.revision.changed_at.timestamp()) if self.revision.changed_at else None
        )
        not_modified = get_conditional_response(
            self.request, etag=self.etag, last_modified=last_modified
        )
        if not_modified is not None:
            return self._stamp(not_modified, last_modified)
        response = render()
        if isinstance(response, HttpResponse) and response.status_code == 200:
            self._stamp(response, last_modified)
            response["Content-Language"] = self.language
        return response

    def _stamp(self, response: HttpResponseBase, last_modified: int | None) -> HttpResponseBase:
        response["ETag"] = self.etag
        if last_modified is not None:
            response["Last-Modified"] = http_date(last_modified)
        return response
