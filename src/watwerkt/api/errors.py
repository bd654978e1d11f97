"""One error shape for every API error, and the wrapper every API view goes through.

Every error answers ``{"error": {"code": ..., "message": ..., "field": ...}}``
(``field`` only when one query parameter is to blame), with the HTTP status
that fits. The wrapper below turns each way a request can fail — a wrong
method, an over-long query string, an ``Accept`` we cannot serve, a bad
parameter, something not found, a bug — into that shape, and adds the CORS
headers that let any web page read public data.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.urls import register_converter

from watwerkt.public.pages import allow_cors

logger = logging.getLogger(__name__)

# Longer query strings are refused before anything else is looked at: no
# parameter of ours needs more, and parsing less keeps a flood cheap.
MAX_QUERY_STRING = 1024
SAFE_METHODS = ("GET", "HEAD")
JSON_TYPE = "application/json"


class ApiError(Exception):
    """A request we refuse, with the status, a stable code and a sentence saying why."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field

    def response(self) -> HttpResponse:
        return error_response(self.status, self.code, self.message, self.field)


def json_response(data: Any, status: int = 200) -> HttpResponse:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return HttpResponse(body, status=status, content_type=JSON_TYPE)


def error_response(status: int, code: str, message: str, field: str | None = None) -> HttpResponse:
    error: dict[str, str] = {"code": code, "message": message}
    if field is not None:
        error["field"] = field
    return json_response({"error": error}, status)


def not_found(message: str = "there is nothing at this address") -> ApiError:
    return ApiError(404, "not_found", message)


def bad_parameter(field: str, message: str) -> ApiError:
    return ApiError(400, "invalid_parameter", message, field)


def _preflight() -> HttpResponse:
    response = HttpResponse(status=204)
    response["Allow"] = "GET, HEAD, OPTIONS"
    response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    response["Access-Control-Allow-Headers"] = "Accept, If-None-Match, If-Modified-Since"
    response["Access-Control-Max-Age"] = "86400"
    return response


def _check(request: HttpRequest, negotiate: bool) -> None:
    if request.method not in SAFE_METHODS:
        raise ApiError(405, "method_not_allowed", f"{request.method} is not allowed here; use GET")
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING:
        raise ApiError(
            414, "query_too_long", f"the query string is longer than {MAX_QUERY_STRING} characters"
        )
    if negotiate and not request.accepts(JSON_TYPE):
        raise ApiError(406, "not_acceptable", f"this API answers in {JSON_TYPE} only")


View = Callable[..., HttpResponseBase]


def api_view(negotiate: bool = True) -> Callable[[View], View]:
    """Wrap a read-only API view: safe methods only, the one error shape, CORS.

    ``negotiate`` refuses clients that do not accept JSON (406); the
    Statuspage-compatible API turns it off, as Statuspage itself does not
    look at ``Accept`` and some clients send odd ones.
    """

    def wrap(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method == "OPTIONS":
                return allow_cors(_preflight())
            try:
                _check(request, negotiate)
                response = view(request, *args, **kwargs)
            except ApiError as error:
                response = error.response()
                if error.status == 405:
                    response["Allow"] = "GET, HEAD, OPTIONS"
            except Http404 as missing:
                response = not_found(str(missing) or "there is nothing at this address").response()
            except Exception:  # one shape even for our own bugs; the log has the traceback
                logger.exception("API error on %s", request.path)
                response = error_response(500, "server_error", "something went wrong on our side")
            return allow_cors(response)

        wrapper.csrf_exempt = True  # type: ignore[attr-defined]  # no cookies, no writes
        return wrapper

    return wrap


def nothing_here(request: HttpRequest, **route: str) -> HttpResponseBase:
    """Any address under an API prefix that names nothing: a 404 in the one shape,
    whatever the method (there is nothing here to allow or refuse)."""
    return allow_cors(not_found(f"no API endpoint at {request.path}").response())


nothing_here.csrf_exempt = True  # type: ignore[attr-defined]


class Segment:
    """A path segment of any characters but a slash: under an API prefix, even an
    address no organisation could have is answered in the one error shape."""

    regex = "[^/]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(Segment, "segment")
