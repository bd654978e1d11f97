"""The OpenAPI document: served, kept in docs/, and describing every API URL."""

from __future__ import annotations

import json

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from watwerkt.api.openapi import DOCS_FILE, as_text, document


def test_the_served_document_is_the_one_in_docs(db: None, client: Client) -> None:
    served = json.loads(client.get("/api/v1/openapi.json").content)
    assert served == json.loads(DOCS_FILE.read_text(encoding="utf-8")), (
        "docs/openapi.json is out of date: run python -m watwerkt.api --write"
    )
    assert DOCS_FILE.read_text(encoding="utf-8") == as_text()


def _routes(patterns: list[URLPattern | URLResolver], prefix: str = "") -> list[str]:
    found = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += _routes(pattern.url_patterns, route)
        else:
            found.append(route)
    return found


def test_every_api_route_is_in_the_document() -> None:
    documented = {
        path.replace("{organisation}", "<slug:org>")
        .replace("{service}", "<slug:service>")
        .replace("{domain}", "<slug:domain>")
        .replace("{incident}", "<slug:incident>")
        .replace("{maintenance}", "<slug:maintenance>")
        .replace("{system}", "<slug:system>")
        .replace("{function}", "<slug:function>")
        .replace("{channel}", "<slug:channel>")
        .lstrip("/")
        for path in document()["paths"]
    }
    routes = {
        r
        for r in _routes(get_resolver().url_patterns)
        if ("api/v1/" in r or "/api/v2/" in r) and "(?P<rest>" not in r
    }
    assert routes == documented
