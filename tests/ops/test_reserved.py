"""The site's own URL words and catalogue ids cannot collide."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from watwerkt.authoring.importer import CatalogueInvalid
from watwerkt.authoring.validation import validate_catalogue
from watwerkt.lib.reserved import ORGANISATION_WORDS, SITE_WORDS


def fixed_words(patterns: list[URLPattern | URLResolver], prefix: str = "") -> set[str]:
    """Every (route-with-parameters, fixed segment) pair of the URL tree."""
    found = set()
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found |= fixed_words(pattern.url_patterns, route)
        found.add(route)
    return found


def segments_after(routes: set[str], parameters: int) -> set[str]:
    """Fixed segments that follow ``parameters`` path parameters at the start of a route."""
    words = set()
    for route in routes:
        parts = [p for p in re.sub(r"^\^?(\w\w/)?", "", route).split("/") if p]
        if len(parts) > parameters and all(p.startswith("<") for p in parts[:parameters]):
            word = parts[parameters]
            if not word.startswith("<"):
                words.add(word.split(".")[0] if "." not in word else "")
    return words - {""}


def test_every_fixed_site_word_is_reserved() -> None:
    routes = fixed_words(get_resolver().url_patterns)
    assert segments_after(routes, 0) <= SITE_WORDS
    assert segments_after(routes, 1) <= ORGANISATION_WORDS


@pytest.mark.django_db
@pytest.mark.parametrize(("where", "word"), [("org", "console"), ("service", "zoeken")])
def test_the_catalogue_refuses_a_reserved_id(where: str, word: str) -> None:
    org, service = ("stad", word) if where == "service" else (word, "reispas")
    data = {
        "watwerkt": 1,
        "organisations": [
            {
                "id": org,
                "name": "Stad",
                "domains": [{"id": "d", "name": "D", "services": [{"id": service, "name": "S"}]}],
            }
        ],
    }
    with pytest.raises(CatalogueInvalid) as error:
        validate_catalogue(data, filename="t.yaml")
    assert f"'{word}' is a word the site uses in its own URLs" in str(error.value.errors[0])
