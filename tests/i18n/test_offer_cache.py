"""The language offer through the page cache: one stored page per offered language,
chosen by Accept-Language alone, never handed to a browser that wants another."""

from __future__ import annotations

from django.core.handlers.wsgi import WSGIHandler

from tests.caching.wsgi import call, fast
from tests.factories import Catalogue

OFFERS = {
    "fr": "Cette page existe aussi en français.",
    "en": "This page is also available in English.",
    "de": "Diese Seite gibt es auch auf Deutsch.",
}


def offered(text: str) -> str:
    found = [code for code, said in OFFERS.items() if said in text]
    assert len(found) <= 1
    return found[0] if found else ""


def test_each_browser_language_gets_its_own_offer_from_the_cache(small: Catalogue) -> None:
    app = fast(WSGIHandler())
    for accept, wanted in [
        ("fr-BE,fr;q=0.9", "fr"),
        ("en-GB,en;q=0.8", "en"),
        ("de", "de"),
        ("nl-BE", ""),
        ("", ""),
        ("fr", "fr"),  # a second French browser: the stored French-offer page
        ("en-US", "en"),
    ]:
        answer = call(app, "/stad/", accept_language=accept)
        assert answer.status == 200
        assert offered(answer.text()) == wanted, accept
        assert "Accept-Language" in answer.headers["vary"]
    assert app.stats.hits == 3  # the second fr, en and "" (which negotiates to Dutch)


def test_a_language_cookie_changes_nothing(small: Catalogue) -> None:
    """The site never sets Django's language cookie; one sent anyway must not make a
    French browser's page offer German, here or in a shared cache keyed on Vary."""
    app = fast(WSGIHandler())
    plain = call(app, "/stad/", accept_language="fr")
    cookie = call(app, "/stad/", accept_language="fr", cookie="django_language=de")
    assert offered(cookie.text()) == "fr"
    assert cookie.body == plain.body
    direct = call(WSGIHandler(), "/stad/", accept_language="fr", cookie="django_language=de")
    assert offered(direct.text()) == "fr"


def test_a_revalidation_with_another_offers_etag_gets_the_page(small: Catalogue) -> None:
    app = fast(WSGIHandler())
    french = call(app, "/stad/", accept_language="fr")
    english = call(app, "/stad/", accept_language="en", if_none_match=french.headers["etag"])
    assert english.status == 200
    assert offered(english.text()) == "en"
    again = call(app, "/stad/", accept_language="fr", if_none_match=french.headers["etag"])
    assert again.status == 304


def test_prefixed_pages_are_one_page_whatever_the_browser_says(small: Catalogue) -> None:
    app = fast(WSGIHandler())
    first = call(app, "/de/stad/", accept_language="fr")
    second = call(app, "/de/stad/", accept_language="en")
    assert first.body == second.body
    assert "accept-language" not in first.headers["vary"].lower()
    assert offered(first.text()) == ""
    assert app.stats.hits == 1
