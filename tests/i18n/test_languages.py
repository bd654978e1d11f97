"""Every public page in nl, fr, en and de: interface translated, content falling back
marked, language in the URL, offered from Accept-Language, switched, and linked."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from tests.a11y.scene import INCIDENT, LANGUAGES, ORG, pages, prefix, set_the_scene
from tests.i18n.helpers import Voices, only_in
from tests.public.helpers import Page, words
from watwerkt.catalogue.models import Organisation

# Interface words each language must show on its overview (and Dutch must not leak).
SAID = {
    "fr": ("Ce qui fonctionne", "Chercher un service", "Aller au contenu", "Guichets"),
    "en": ("What works", "Find a service", "Skip to content", "City counters"),
    "de": ("Was funktioniert", "Dienst suchen", "Zum Inhalt", "Bürgerbüros"),
}
DUTCH_INTERFACE = ("Wat werkt met beperkingen", "Zoek een dienst", "Naar de inhoud", "Stand van")


@pytest.fixture
def scene(demo: Organisation) -> Organisation:
    set_the_scene()
    return demo


def get(client: Client, path: str, status: int = 200, **headers: str) -> str:
    response = client.get(path, headers=headers)
    assert response.status_code == status, path
    return response.content.decode()


@pytest.mark.parametrize("language", ["fr", "en", "de"])
def test_a_page_in_another_language_says_the_interface_in_it(
    scene: Organisation, client: Client, language: str
) -> None:
    html = get(client, f"/{language}/{ORG}/")
    page = Page(html)
    assert page.find_all("html")[0].attrs["lang"] == language
    text = words(" ".join(e.text for e in page.find_all("body")))
    for said in SAID[language]:
        assert said in text
    for dutch in DUTCH_INTERFACE:
        assert dutch not in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page_answers_in_every_language_without_scripts(
    scene: Organisation, client: Client, language: str
) -> None:
    for name, path in pages(language).items():
        html = get(client, path, 404 if name == "not found" else 200)
        assert f'<html lang="{language}">' in html, name
        assert "<script" not in html, name  # works without JavaScript: there is none
        assert ' style="' not in html, name


@pytest.mark.parametrize("language", ["fr", "en", "de"])
def test_content_without_a_translation_is_shown_in_dutch_and_marked(
    scene: Organisation, client: Client, language: str
) -> None:
    dutch_only = only_in("nl", language)
    marked = 0
    for name in ("overview", "service with help", "search with results", "incident"):
        voices = Voices(get(client, pages(language)[name]))
        for text in voices.texts:
            if text.text in dutch_only:
                assert text.language == "nl", (name, text.text)
                marked += 1
            elif text.language == "nl":  # marked Dutch must be catalogue text, not interface
                assert not any(dutch in text.text for dutch in DUTCH_INTERFACE), text.text
    assert marked > 10  # the demo is only partly translated: plenty falls back


def test_each_block_with_a_fallback_has_one_note_in_the_pages_language(
    scene: Organisation, client: Client
) -> None:
    html = get(client, f"/fr/{ORG}/")
    lines = re.findall(r'<li class="line .*?(?=<li class="line |</ul>\s*</section>)', html, re.S)
    noted = 0
    for line in lines:
        head = line.split("<ul", 1)[0]  # the line itself; its parts and help have their own
        notes = head.count('class="lang-note"')
        assert notes == (1 if 'lang="nl"' in head else 0), head
        noted += notes
    assert noted > 0
    assert "(en néerlandais)" in html
    assert "(in het Nederlands)" not in html
    english = get(client, f"/en/{ORG}/incidenten/{INCIDENT}/")
    assert english.count("(in Dutch)") >= 3  # the title, the sections, the update


def test_a_translated_text_is_not_marked(scene: Organisation, client: Client) -> None:
    voices = Voices(get(client, f"/fr/{ORG}/"))
    (title,) = [t for t in voices.texts if "Cyberattaque contre la ville" in t.text]
    assert title.language == "fr"
    dutch = get(client, f"/{ORG}/")
    assert 'class="lang-note"' not in dutch  # the organisation's own language: nothing to mark


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_links_its_versions_in_every_language(
    scene: Organisation, client: Client, language: str
) -> None:
    for name, path in pages(language).items():
        if name == "not found":
            continue
        rest = path.removeprefix(prefix(language))
        page = Page(get(client, path))
        links = {
            e.attrs["hreflang"]: e.attrs["href"]
            for e in page.find_all("link")
            if e.attrs.get("rel") == "alternate" and "type" not in e.attrs  # not the feeds
        }
        expected = {code: f"http://testserver{prefix(code)}{rest}" for code in LANGUAGES}
        assert links == {**expected, "x-default": f"http://testserver{rest}"}, name
        switcher = page.find_all("nav", **{"class": "languages"})[0]
        assert [(a.attrs["hreflang"], a.attrs["href"]) for a in switcher.find_all("a")] == [
            (code, f"{prefix(code)}{rest}") for code in LANGUAGES if code != language
        ]
        (current,) = switcher.find_all("span")
        assert current.attrs == {"lang": language, "aria-current": "true"}


def test_the_switcher_leads_to_the_same_page_in_each_language(
    scene: Organisation, client: Client
) -> None:
    page = Page(get(client, f"/de/{ORG}/zoeken/?q=reispas"))
    switcher = page.find_all("nav", **{"class": "languages"})[0]
    targets = [a.attrs["href"] for a in switcher.find_all("a")]
    assert targets == [f"{p}/{ORG}/zoeken/?q=reispas" for p in ("", "/fr", "/en")]
    for href, passport in zip(targets, ("Reispas", "Passeport", "Passport"), strict=True):
        assert f">{passport}</a></h3>" in get(client, href)


def test_not_found_is_said_in_the_language_of_the_url_without_alternates(
    scene: Organisation, client: Client
) -> None:
    html = get(client, f"/de/{ORG}/bestaat-niet/", 404)
    assert "Nicht gefunden" in html
    assert 'hreflang="x-default"' not in html
    assert 'class="languages"' in html


def test_a_browser_preferring_french_is_offered_the_french_page(
    scene: Organisation, client: Client
) -> None:
    response = client.get(f"/{ORG}/", headers={"accept-language": "fr-BE,fr;q=0.9,nl;q=0.5"})
    assert "Accept-Language" in response["Vary"]
    page = Page(response.content.decode())
    assert page.find_all("html")[0].attrs["lang"] == "nl"  # the page itself stays Dutch
    (offer,) = page.find_all("p", **{"class": "language-offer"})
    assert offer.attrs["lang"] == "fr"
    (link,) = offer.find_all("a")
    assert link.attrs == {"href": f"/fr/{ORG}/", "hreflang": "fr"}
    assert words(link.text) == "Cette page existe aussi en français."
    english = get(client, f"/{ORG}/reispas/", **{"accept-language": "en-GB,en;q=0.8"})
    assert "This page is also available in English." in english


@pytest.mark.parametrize("accept", ["nl-BE,nl;q=0.9", "es-ES,es;q=0.9", "", "*"])
def test_nothing_is_offered_when_the_browser_wants_dutch_or_a_language_we_lack(
    scene: Organisation, client: Client, accept: str
) -> None:
    assert "language-offer" not in get(client, f"/{ORG}/", **{"accept-language": accept})


def test_a_page_with_the_language_in_its_url_offers_nothing_and_varies_on_nothing(
    scene: Organisation, client: Client
) -> None:
    response = client.get(f"/fr/{ORG}/", headers={"accept-language": "de"})
    assert "language-offer" not in response.content.decode()
    assert "Accept-Language" not in response["Vary"]


def test_the_offer_is_part_of_the_etag(scene: Organisation, client: Client) -> None:
    french = client.get(f"/{ORG}/", headers={"accept-language": "fr"})
    german = client.get(f"/{ORG}/", headers={"accept-language": "de"})
    dutch = client.get(f"/{ORG}/", headers={"accept-language": "nl"})
    assert len({french["ETag"], german["ETag"], dutch["ETag"]}) == 3
    again = client.get(
        f"/{ORG}/", headers={"accept-language": "de", "if-none-match": french["ETag"]}
    )
    assert again.status_code == 200  # a French-offer copy is not the German-offer page
    same = client.get(
        f"/{ORG}/", headers={"accept-language": "de", "if-none-match": german["ETag"]}
    )
    assert same.status_code == 304


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("fr", "Qu\N{RIGHT SINGLE QUOTATION MARK}est-ce qui ne fonctionne pas\N{NO-BREAK SPACE}?"),
        ("en", "What does not work?"),
        ("de", "Was funktioniert nicht?"),
    ],
)
def test_the_press_overview_speaks_each_language(
    scene: Organisation, language: str, said: str
) -> None:
    out = StringIO()
    call_command("overview", "--org", ORG, "--lang", language, "--format", "md", stdout=out)
    text = out.getvalue()
    assert said in text
    assert "Wat werkt niet?" not in text


@pytest.mark.parametrize("language", ["fr", "en", "de"])
def test_feed_titles_follow_the_language_of_the_url(
    scene: Organisation, client: Client, language: str
) -> None:
    atom = get(client, f"/{language}/{ORG}/feeds/status.atom")
    title = re.search(r"<title>(.*?)</title>", atom)
    assert title is not None
    assert (
        title.group(1)
        == {
            "fr": "Ville d'Anvers\N{NO-BREAK SPACE}: ce qui fonctionne et ce qui ne fonctionne pas",
            "en": "City of Antwerp: what works and what doesn\N{RIGHT SINGLE QUOTATION MARK}t",
            "de": "Stadt Antwerpen: was funktioniert und was nicht",
        }[language]
    )
