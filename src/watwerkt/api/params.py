"""Query parameters of the native API: parsed once, refused precisely.

Every endpoint declares the parameters it takes; anything else is an error
(``unknown_parameter``), so a misspelt filter never silently returns
everything. Values are checked here and nowhere else, and the limits are the
ones the OpenAPI document states (:mod:`watwerkt.api.openapi` reads them
from this module).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, QueryDict

from watwerkt.lib.i18n import LANGUAGES

from .errors import ApiError, bad_parameter

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_VALUE_LENGTH = 200


def _limit(raw: str) -> int:
    if not raw.isdigit():
        raise ValueError(f"must be a whole number from 1 to {MAX_LIMIT}")
    value = int(raw)
    if not 1 <= value <= MAX_LIMIT:
        raise ValueError(f"must be from 1 to {MAX_LIMIT}, not {value}")
    return value


def _language(raw: str) -> str:
    if raw not in LANGUAGES:
        raise ValueError(f"must be one of {', '.join(LANGUAGES)}")
    return raw


CURSOR_PATTERN = r"^[0-9]{1,18}$"


def _cursor(raw: str) -> int:
    """Where the next page starts: a position in a list, or an event id. Clients
    pass back ``next_cursor`` as they got it, and should not build one."""
    if not re.fullmatch(CURSOR_PATTERN, raw):
        raise ValueError("is not a cursor this API gave out; start again without it")
    return int(raw)


def encode_cursor(value: int) -> str:
    return str(value)


def choice(words: Iterable[str]) -> Callable[[str], str]:
    allowed = list(words)

    def parse(raw: str) -> str:
        if raw not in allowed:
            raise ValueError(f"must be one of {', '.join(allowed)}")
        return raw

    return parse


def text(raw: str) -> str:
    return raw


PARSERS: dict[str, Callable[[str], Any]] = {
    "limit": _limit,
    "cursor": _cursor,
    "lang": _language,
}


@dataclass(frozen=True)
class Query:
    values: Mapping[str, Any]

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    @property
    def limit(self) -> int:
        return int(self.values.get("limit", DEFAULT_LIMIT))

    @property
    def cursor(self) -> int | None:
        found = self.values.get("cursor")
        return None if found is None else int(found)


def parse_query(request: HttpRequest, allowed: Mapping[str, Callable[[str], Any] | None]) -> Query:
    """The parameters in ``allowed`` (a parser each; None for the shared ones in
    :data:`PARSERS`), parsed; an :class:`ApiError` for anything else."""
    query: QueryDict = request.GET
    values: dict[str, Any] = {}
    for name in query:
        if name not in allowed:
            known = ", ".join(sorted(allowed)) or "none"
            raise ApiError(
                400, "unknown_parameter", f"unknown parameter {name!r}; known: {known}", name
            )
        given = query.getlist(name)
        if len(given) > 1:
            raise bad_parameter(name, f"{name!r} is given {len(given)} times; give it once")
        raw = given[0]
        if len(raw) > MAX_VALUE_LENGTH:
            raise bad_parameter(name, f"{name!r} is longer than {MAX_VALUE_LENGTH} characters")
        parse = allowed[name] or PARSERS[name]
        try:
            values[name] = parse(raw)
        except ValueError as exc:
            raise bad_parameter(name, f"{name!r} {exc}") from None
    return Query(values)


PAGED: dict[str, Callable[[str], Any] | None] = {"limit": None, "cursor": None}
