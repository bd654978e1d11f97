"""The API's writes: set a manual status, set a system (or preview it), post an
incident update. Each calls the domain service the console and the CLI call
(:func:`~watwerkt.status.services.set_status`,
:func:`~watwerkt.status.services.set_system` and
:func:`~watwerkt.status.services.preview_system`,
:func:`watwerkt.incidents.services.post_update`), as the token's principal,
so events and the audit trail name the token with source "api".

Every view goes through :func:`write_view`: one method, the one error shape,
``Cache-Control: no-store``, no CORS (writes are for machines holding a
token, not for web pages of other sites). Then, in this order: the token
(401/429), the query (400), the organisation and role (404/403), the thing
addressed (404), the body (413/415/400/422), ``If-Match`` (412), the write.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable
from typing import Any, TypeVar

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase

from watwerkt.accounts.models import ApiToken
from watwerkt.accounts.permissions import Principal, can_change_system
from watwerkt.accounts.roles import Action
from watwerkt.authoring import edits
from watwerkt.catalogue.models import FunctionChannel, Organisation, System
from watwerkt.engine import Change
from watwerkt.incidents import services as incidents
from watwerkt.incidents.models import Incident, IncidentUpdate
from watwerkt.status import targets
from watwerkt.status.report import PUBLIC_SUBJECTS, change_lines
from watwerkt.status.revision import current_revision
from watwerkt.status.services import preview_system, set_status, set_system
from watwerkt.status.values import manual_from_row
from watwerkt.status.writing import RevisionMoved

from . import auth, inputs
from .body import read_json
from .errors import JSON_TYPE, MAX_QUERY_STRING, ApiError, error_response, json_response
from .openapi_writes import IF_MATCH_PATTERN
from .params import parse_query

logger = logging.getLogger(__name__)
T = TypeVar("T")
View = Callable[..., HttpResponseBase]
ETAG = re.compile(r'(W/)?"([^"]*)"')
TOKEN_PARAMETERS = ("access_token", "token", "api_key", "key")


def write_view(method: str) -> Callable[[View], View]:
    """Wrap a write: only ``method`` (and OPTIONS), every failure in the one shape."""
    allow = f"{method}, OPTIONS"

    def wrap(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, **kwargs: Any) -> HttpResponseBase:
            try:
                response = _answer(request, view, method, kwargs)
            except ApiError as error:
                response = error.response()
                for name, value in getattr(error, "headers", {}).items():
                    response[name] = value
                if error.status == 405:
                    response["Allow"] = allow
            except Http404 as missing:
                response = error_response(404, "not_found", str(missing) or "nothing here")
            except Exception:  # one shape even for our own bugs; the log has the traceback
                logger.exception("API write error on %s", request.path)
                response = error_response(500, "server_error", "something went wrong on our side")
            if request.method == "OPTIONS" and response.status_code == 204:
                response["Allow"] = allow
            response["Cache-Control"] = "no-store"
            return response

        wrapper.csrf_exempt = True  # type: ignore[attr-defined]  # bearer tokens, never cookies
        return wrapper

    return wrap


def _answer(
    request: HttpRequest, view: View, method: str, kwargs: dict[str, Any]
) -> HttpResponseBase:
    if request.method == "OPTIONS":
        return HttpResponse(status=204)
    if request.method != method:
        raise ApiError(
            405, "method_not_allowed", f"{request.method} is not allowed here; use {method}"
        )
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING:
        raise ApiError(
            414, "query_too_long", f"the query string is longer than {MAX_QUERY_STRING} characters"
        )
    if not request.accepts(JSON_TYPE):
        raise ApiError(406, "not_acceptable", f"this API answers in {JSON_TYPE} only")
    return view(request, auth.authenticate(request), **kwargs)


def _query(request: HttpRequest, allowed: dict[str, Callable[[str], Any] | None]) -> Any:
    for name in TOKEN_PARAMETERS:
        if name in request.GET:
            raise ApiError(
                400,
                "invalid_parameter",
                "an API token goes in the Authorization header, never in the URL; "
                "revoke a token that was sent in one",
                name,
            )
    return parse_query(request, allowed)


def _boolean(raw: str) -> bool:
    if raw in ("true", "1"):
        return True
    if raw in ("false", "0"):
        return False
    raise ValueError("must be true or false")


# -- If-Match: the catalogue revision as a strong ETag, "42" ---------------------------


def if_match(request: HttpRequest) -> frozenset[int] | None:
    """The revisions ``If-Match`` accepts; None when it is absent or ``*``."""
    raw = request.META.get("HTTP_IF_MATCH")
    if raw is None or raw.strip() == "*":
        return None
    if not re.fullmatch(IF_MATCH_PATTERN, raw):
        # Not an ETag at all, so it matches no revision: the precondition fails.
        raise ApiError(
            412,
            "precondition_failed",
            'If-Match must be "*" or quoted ETags, such as "42"',
            "If-Match",
        )
    # A weak ETag never matches in If-Match (RFC 9110 13.1.1); nor does one not ours.
    return frozenset(
        int(tag)
        for weak, tag in ETAG.findall(raw)
        if not weak and re.fullmatch(r"[0-9]{1,18}", tag)
    )


def etag(revision: int) -> str:
    return f'"{revision}"'


def _moved(now: int) -> ApiError:
    return ApiError(
        412,
        "precondition_failed",
        f"the catalogue is at revision {now}, not the one in If-Match: something changed "
        f"since; look again (a dry run shows the effect) and send If-Match: {etag(now)}. "
        "If-Match takes the revision as a strong ETag, never a page's weak one",
        "If-Match",
    )


def _guarded(write: Callable[[], T]) -> T:
    """``write()``, with a write that found another revision than If-Match named
    answered 412. The write checks the revision itself, under its own lock
    (:func:`watwerkt.status.writing.writing`), before it reads or writes anything."""
    try:
        return write()
    except RevisionMoved as moved:
        raise _moved(moved.current) from None


# -- what the writes answer ---------------------------------------------------------------


def _changes(changes: list[Change]) -> list[dict[str, Any]]:
    """Every public subject whose level changes (or would), before and after."""
    return [
        {
            "subject": line.subject,
            "path": line.path,
            "before": None if line.before == "-" else line.before,
            "after": None if line.after == "-" else line.after,
        }
        for line in change_lines(changes)
        if line.subject in PUBLIC_SUBJECTS
    ]


def _manual(item: FunctionChannel) -> dict[str, Any]:
    stored = manual_from_row(item)
    return {
        "function": item.function.slug or "-",
        "channel": item.channel.slug if item.channel else None,
        "level": stored.level.word,
        "qualifiers": [
            {"code": q.code.value, "text": dict(q.text), "date": q.date or None}
            for q in stored.qualifiers
        ],
        "since": stored.since.isoformat() if stored.since else None,
        "expected": (
            {"kind": stored.expected.kind, "value": stored.expected.value or None}
            if stored.expected
            else None
        ),
        "pinned": stored.pinned,
        "public_note": dict(stored.note),
    }


def _stamped(data: Any, revision: int, status: int = 200) -> HttpResponse:
    response = json_response(data, status)
    response["ETag"] = etag(revision)
    return response


# -- the writes -------------------------------------------------------------------------------


def _organisation(token: ApiToken, org: str) -> tuple[Organisation, Principal]:
    return auth.organisation(token, org, Action.EDIT)


def _items(organisation: Organisation, address: str) -> list[FunctionChannel]:
    try:
        return targets.items(organisation, address)
    except targets.TargetError as exc:
        raise ApiError(404, "not_found", str(exc)) from None


def status(
    request: HttpRequest,
    token: ApiToken,
    org: str,
    service: str,
    function: str = "*",
    channel: str = "*",
) -> HttpResponseBase:
    """``PUT .../services/{service}[/functions/{function}[/channels/{channel}]]/status``."""
    _query(request, {})
    organisation, principal = _organisation(token, org)
    items = _items(organisation, f"{service}/{function}/{channel}")
    given = inputs.status(read_json(request), organisation)
    expected = if_match(request)
    done = _guarded(
        lambda: set_status(items, given.status, principal.actor, given.note, expected=expected)
    )
    rows = FunctionChannel.objects.filter(pk__in=[i.pk for i in items])
    stored = {i.pk: i for i in rows.select_related("function", "channel")}
    data = {
        "revision": done.revision.number,
        "changed": done.changed,
        "items": [_manual(stored[i.pk]) for i in items],
        "changes": _changes(done.changes),
    }
    return _stamped(data, done.revision.number)


def system_state(request: HttpRequest, token: ApiToken, org: str, system: str) -> HttpResponseBase:
    """``PUT .../systems/{system}/state``; ``?dry_run=true`` previews and writes nothing."""
    query = _query(request, {"dry_run": _boolean})
    organisation, principal = _organisation(token, org)
    found = _system(organisation, principal, system)
    given = inputs.system(read_json(request), organisation)
    expected = if_match(request)
    before = found.state
    if query.get("dry_run"):
        done = _guarded(lambda: preview_system(found, given.change, expected=expected))
    else:
        done = _guarded(
            lambda: set_system(found, given.change, principal.actor, given.note, expected=expected)
        )
    data = {
        "revision": done.revision.number,
        "dry_run": bool(query.get("dry_run")),
        "changed": done.changed,
        "system": {"id": found.slug, "before": before, "after": given.change.state.word},
        "changes": _changes(done.changes),
    }
    return _stamped(data, done.revision.number)


def _system(organisation: Organisation, principal: Principal, slug: str) -> System:
    found = System.objects.filter(organisation=organisation, slug=slug).first()
    if found is None:
        raise ApiError(404, "not_found", f"no system {slug!r} in {organisation.slug!r}")
    if not can_change_system(principal, found):  # the one rule for systems, shared or not
        raise ApiError(403, "forbidden", f"this token may not change {slug!r}")
    return found


def recovery_plan(request: HttpRequest, token: ApiToken, org: str, system: str) -> HttpResponseBase:
    """``PUT .../systems/{system}/recovery-plan``: the whole plan, as the console sets it."""
    _query(request, {})
    organisation, principal = _organisation(token, org)
    found = _system(organisation, principal, system)
    given = inputs.plan(read_json(request))
    expected = if_match(request)
    try:
        done = _guarded(
            lambda: edits.set_recovery_plan(found, given.plan, principal.actor, expected=expected)
        )
    except edits.CatalogueError as error:
        where = error.field if error.index is None else f"{error.field}[{error.index}]"
        raise ApiError(422, "invalid_value", error.message, where) from None
    found.refresh_from_db()
    data = {
        "revision": done.revision.number,
        "changed": done.changed,
        "system": found.slug,
        "plan": edits.describe_plan(found),
    }
    return _stamped(data, done.revision.number)


def _update(update: IncidentUpdate, incident: Incident) -> dict[str, Any]:
    return {
        "id": update.pk,
        "incident": incident.slug,
        "phase": update.phase,
        "body": dict(update.body),
        "created_at": update.created_at.isoformat(),
        "published_at": update.published_at.isoformat() if update.published_at else None,
    }


def incident_update(request: HttpRequest, token: Any, org: str, incident: str) -> HttpResponseBase:
    """``POST .../incidents/{incident}/updates``: a draft, or published at once."""
    _query(request, {})
    organisation, principal = _organisation(token, org)
    found = Incident.objects.filter(organisation=organisation, slug=incident).first()
    if found is None:
        raise ApiError(404, "not_found", f"no incident {incident!r} in {org!r}")
    given = inputs.update(read_json(request), organisation)
    try:
        update = incidents.post_update(
            found,
            given.body,
            principal.actor,
            phase=given.phase,
            reopen=given.reopen,
            publish=given.publish,
        )
    except incidents.IncidentError as error:
        # The words were checked above; what is left is the incident's state
        # (a phase that would go back, a resolved incident), except the text.
        if error.field == "body":
            raise ApiError(422, "invalid_value", error.message, error.field) from None
        raise ApiError(409, "conflict", error.message, error.field) from None
    found.refresh_from_db()
    data = {
        "revision": current_revision(),
        "update": _update(update, found),
        "incident": {
            "id": found.slug,
            "phase": found.phase,
            "published": found.published_at is not None,
        },
    }
    return json_response(data, 201)


status_view = write_view("PUT")(status)
system_view = write_view("PUT")(system_state)
update_view = write_view("POST")(incident_update)
plan_view = write_view("PUT")(recovery_plan)
