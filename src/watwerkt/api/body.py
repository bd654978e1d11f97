"""Request bodies of the API's writes: read within limits, parsed, refused precisely.

A body is a JSON object, at most :data:`MAX_BODY` bytes, sent as
``application/json`` (UTF-8). What goes wrong gets its own status and code:

==== ========================== =================================================
413  ``body_too_large``         over the limit (refused before it is read)
415  ``unsupported_media_type`` not ``application/json``, or not UTF-8
400  ``invalid_json``           not JSON, not an object, a key given twice
400  ``unknown_field``          a field the operation does not take (``field``)
400  ``invalid_field``          missing, or the wrong JSON type (``field``)
422  ``invalid_value``          the right type, but a value we cannot use (``field``)
==== ========================== =================================================

:class:`Fields` reads one object's fields with those checks; nested objects
name their fields by path (``qualifiers[1].date``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.http import HttpRequest
from django.utils.http import parse_header_parameters

from watwerkt.lib.i18n import LANGUAGES

from .errors import JSON_TYPE, ApiError

MAX_BODY = 64 * 1024
MAX_NOTE = 2000  # characters: a private note on a change
MAX_TEXT = 2000  # characters per language: a public note next to a status

JSON_NAMES = {
    str: "a string",
    bool: "true or false",
    list: "an array",
    dict: "an object",
    int: "a number",
    float: "a number",
}


def invalid_field(field: str, message: str) -> ApiError:
    return ApiError(400, "invalid_field", message, field)


def invalid_value(field: str, message: str) -> ApiError:
    return ApiError(422, "invalid_value", message, field)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise ApiError(400, "invalid_json", f"the key {key!r} is given twice")
        found[key] = value
    return found


def _no_constant(name: str) -> Any:
    raise ApiError(400, "invalid_json", f"{name} is not a JSON number")


def read_json(request: HttpRequest) -> dict[str, Any]:
    """The request's JSON object, or an :class:`ApiError` saying what is wrong with it."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise ApiError(400, "invalid_json", "the Content-Length header is not a number") from None
    if length > MAX_BODY:
        raise ApiError(413, "body_too_large", f"the body is larger than {MAX_BODY} bytes")
    media, params = parse_header_parameters(request.META.get("CONTENT_TYPE", ""))
    if media.lower() != JSON_TYPE:
        raise ApiError(415, "unsupported_media_type", f"send the body as {JSON_TYPE}")
    if params.get("charset", "utf-8").lower() not in ("utf-8", "utf8"):
        raise ApiError(415, "unsupported_media_type", "send the body in UTF-8")
    raw = request.read(MAX_BODY + 1)
    if len(raw) > MAX_BODY:  # a length header that understated the body
        raise ApiError(413, "body_too_large", f"the body is larger than {MAX_BODY} bytes")
    try:
        data = json.loads(
            raw.decode("utf-8"), object_pairs_hook=_no_duplicates, parse_constant=_no_constant
        )
    except UnicodeDecodeError:
        raise ApiError(400, "invalid_json", "the body is not valid UTF-8") from None
    except RecursionError:
        raise ApiError(400, "invalid_json", "the body is nested too deeply") from None
    except ValueError as exc:
        raise ApiError(400, "invalid_json", f"the body is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_json", "the body must be a JSON object")
    return data


class Fields:
    """The fields of one JSON object, each read once with its type checked."""

    def __init__(self, data: Mapping[str, Any], allowed: Iterable[str], path: str = "") -> None:
        self.data = data
        self.path = path
        known = list(allowed)
        for name in data:
            if name not in known:
                listing = ", ".join(known)
                raise ApiError(
                    400,
                    "unknown_field",
                    f"unknown field {name!r}; known: {listing}",
                    self.name(name),
                )

    def name(self, field: str) -> str:
        return f"{self.path}.{field}" if self.path else field

    def get(self, field: str, kind: type | tuple[type, ...], *, required: bool = False) -> Any:
        """The value of ``field`` if it has the JSON type ``kind``; None when absent
        or null (unless ``required``)."""
        value = self.data.get(field)
        if value is None:
            if required:
                raise invalid_field(self.name(field), f"{self.name(field)!r} is required")
            return None
        kinds = kind if isinstance(kind, tuple) else (kind,)
        # bool is an int in Python, and JSON true is no number: check exactly.
        if type(value) not in kinds:
            wanted = " or ".join(JSON_NAMES.get(k, k.__name__) for k in kinds)
            raise invalid_field(self.name(field), f"{self.name(field)!r} must be {wanted}")
        return value

    def text(self, field: str, limit: int, *, required: bool = False) -> str:
        value: str = self.get(field, str, required=required) or ""
        if len(value) > limit:
            raise invalid_value(self.name(field), f"longer than {limit} characters")
        return value.strip()

    def flag(self, field: str) -> bool:
        return bool(self.get(field, bool))

    def integer(self, field: str) -> int | None:
        """A whole number; 3.0 is one too, as JSON Schema counts it."""
        value: int | float | None = self.get(field, (int, float))
        if isinstance(value, float):
            if not value.is_integer():
                raise invalid_field(
                    self.name(field), f"{self.name(field)!r} must be a whole number"
                )
            value = int(value)
        return value

    def texts(self, field: str, default_language: str, limit: int = MAX_TEXT) -> dict[str, str]:
        """A text per language: a string (in ``default_language``) or an object
        ``{"nl": ..., "fr": ...}``; empty texts are left out."""
        value = self.get(field, (str, dict))
        if value is None:
            return {}
        if isinstance(value, str):
            value = {default_language: value}
        found = {}
        for language, text in value.items():
            where = f"{self.name(field)}.{language}"
            if language not in LANGUAGES:
                raise invalid_value(where, f"unknown language; use one of {', '.join(LANGUAGES)}")
            if not isinstance(text, str):
                raise invalid_field(where, f"{where!r} must be a string")
            if len(text) > limit:
                raise invalid_value(where, f"longer than {limit} characters")
            if text.strip():
                found[language] = text.strip()
        return found
