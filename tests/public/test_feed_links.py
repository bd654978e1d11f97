"""Feeds and the maintenance calendar can be found from the pages they follow: in the
<head> for feed readers and browsers, and as visible links for people."""

from __future__ import annotations

import feedparser
import pytest
from django.test import Client
from icalendar import Calendar

from tests.factories import Catalogue
from tests.public.helpers import Page, words

ATOM, RSS, ICS = "application/atom+xml", "application/rss+xml", "text/calendar"


def alternates(page: Page) -> dict[str, tuple[str, str]]:
    """The head's feed links: href -> (type, title); language versions left out."""
    return {
        link.attrs["href"]: (link.attrs["type"], link.attrs["title"])
        for link in page.find_all("link", rel="alternate")
        if "type" in link.attrs
    }


def follow_lines(page: Page) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """Each "Volg ..." line: its words, and its links as (href, type, text)."""
    return [
        (
            words(p.text),
            [(a.attrs["href"], a.attrs["type"], words(a.text)) for a in p.find_all("a")],
        )
        for p in page.find_all("p", **{"class": "follow"})
    ]


def works(client: Client, href: str, kind: str) -> None:
    response = client.get(href)
    assert response.status_code == 200, href
    if kind == ICS:
        assert Calendar.from_ical(response.content).walk("VCALENDAR")
    else:
        feed = feedparser.parse(response.content)
        assert not feed.bozo, (href, feed.bozo_exception)
        assert feed.version.startswith("atom" if kind == ATOM else "rss")


def test_the_overview_links_its_feeds_the_domains_and_the_calendar(
    helped: Catalogue, client: Client
) -> None:
    page = Page(client.get("/stad/").content.decode())
    found = alternates(page)
    assert found == {
        "/stad/feeds/status.atom": (ATOM, "Stad: wat werkt en wat niet (Atom)"),
        "/stad/feeds/status.rss": (RSS, "Stad: wat werkt en wat niet (RSS)"),
        "/stad/onderhoud.ics": (ICS, "Stad: onderhoud"),
        "/stad/feeds/domain/loketten.atom": (ATOM, "Loketten (Atom)"),
        "/stad/feeds/domain/loketten.rss": (RSS, "Loketten (RSS)"),
        "/stad/feeds/domain/sport.atom": (ATOM, "Sport (Atom)"),
        "/stad/feeds/domain/sport.rss": (RSS, "Sport (RSS)"),
    }
    for href, (kind, _title) in found.items():
        works(client, href, kind)
    (head,) = page.find_all("head")
    assert all(link in head.find_all("link") for link in page.find_all("link", rel="alternate"))


def test_the_overview_says_how_to_follow_it_and_each_domain(
    helped: Catalogue, client: Client
) -> None:
    page = Page(client.get("/stad/").content.decode())
    (footer,) = page.find_all("footer")
    (follow,) = [p for p in footer.find_all("p") if "follow" in p.attrs.get("class", "")]
    assert words(follow.text) == "Volg deze pagina: Atom · RSS · agenda (onderhoud)"
    assert follow_lines(page)[-1][1] == [
        ("/stad/feeds/status.atom", ATOM, "Atom"),
        ("/stad/feeds/status.rss", RSS, "RSS"),
        ("/stad/onderhoud.ics", ICS, "agenda (onderhoud)"),
    ]
    sport = page.by_id("d-sport")
    (section,) = [
        s for s in page.find_all("section") if s.attrs.get("aria-labelledby") == "d-sport"
    ]
    (line,) = [p for p in section.find_all("p") if p.attrs.get("class") == "follow"]
    assert words(line.text).startswith("Volg dit domein: Atom")
    # Each link says which domain it follows to whoever hears it out of context.
    assert [(a.attrs["href"], words(a.text)) for a in line.find_all("a")] == [
        ("/stad/feeds/domain/sport.atom", "Atom (Sport)"),
        ("/stad/feeds/domain/sport.rss", "RSS (Sport)"),
    ]
    assert sport.text.startswith("Sport")


def test_a_service_page_links_its_own_feed(helped: Catalogue, client: Client) -> None:
    page = Page(client.get("/stad/sporthal/").content.decode())
    found = alternates(page)
    assert found == {
        "/stad/feeds/service/sporthal.atom": (ATOM, "Sporthal (Atom)"),
        "/stad/feeds/service/sporthal.rss": (RSS, "Sporthal (RSS)"),
        "/stad/onderhoud.ics": (ICS, "Stad: onderhoud"),
    }
    ((said, links),) = follow_lines(page)
    assert said == "Volg deze pagina: Atom · RSS · agenda (onderhoud)"
    assert [href for href, _kind, _text in links] == list(found)
    for href, (kind, _title) in found.items():
        works(client, href, kind)


@pytest.mark.parametrize(
    ("language", "follow", "calendar"),
    [
        ("fr", "Suivre cette page :", "agenda (maintenance)"),
        ("en", "Follow this page:", "calendar (maintenance)"),
        ("de", "Dieser Seite folgen:", "Kalender (Wartung)"),
    ],
)
def test_feed_links_are_in_the_pages_language(
    helped: Catalogue, client: Client, language: str, follow: str, calendar: str
) -> None:
    page = Page(client.get(f"/{language}/stad/sporthal/").content.decode())
    assert f"/{language}/stad/feeds/service/sporthal.atom" in alternates(page)
    ((said, links),) = follow_lines(page)
    assert said == f"{follow} Atom · RSS · {calendar}"
    assert links[-1] == (f"/{language}/stad/onderhoud.ics", ICS, calendar)
    overview = Page(client.get(f"/{language}/stad/").content.decode())
    assert f"/{language}/stad/feeds/domain/sport.rss" in alternates(overview)
