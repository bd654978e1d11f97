"""Atom, RSS and iCalendar, read by the parsers feed readers and calendars use."""

from __future__ import annotations

import feedparser
import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from tests.api.news import News, add_news
from tests.factories import TEST_ACTOR, Catalogue
from watwerkt.engine import SystemState
from watwerkt.status.services import SystemChange, set_system


def parse(client: Client, path: str) -> feedparser.FeedParserDict:
    response = client.get(path)
    assert response.status_code == 200, response.content
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return feed


@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_the_organisation_feed_has_status_changes_and_incident_updates(
    helped: Catalogue, client: Client, kind: str
) -> None:
    set_system(helped.systems["datacenter"], SystemChange(SystemState.DOWN), TEST_ACTOR)
    add_news(helped.org, [helped.services["sporthal"]], [], timezone.now())
    feed = parse(client, f"/stad/feeds/status.{kind}")
    titles = [e.title for e in feed.entries]
    assert "Sporthal: werkt niet" in titles
    assert "Materiaal: werkt niet" in titles
    assert "Incident cyberaanval: Oorzaak gevonden" in titles
    assert not any("Nog niet publiek" in (e.get("summary") or "") for e in feed.entries)
    assert feed.feed.title == "Stad: wat werkt en wat niet"
    assert len({e.id for e in feed.entries}) == len(feed.entries)
    sporthal = next(e for e in feed.entries if e.title == "Sporthal: werkt niet")
    assert sporthal.link == "http://testserver/stad/sporthal/"
    assert "Was: werkt." in sporthal.summary


def test_update_bodies_are_sanitised_markdown(news: News, client: Client) -> None:
    body = client.get("/stad/feeds/status.atom").content.decode()
    assert "&lt;strong&gt;cyberaanval&lt;/strong&gt;" in body  # Markdown, as escaped HTML
    assert "&lt;script" not in body  # shown as text, never a tag


def test_domain_and_service_feeds_keep_to_their_services(small: Catalogue, client: Client) -> None:
    set_system(small.systems["datacenter"], SystemChange(SystemState.DOWN), TEST_ACTOR)
    set_system(small.systems["register"], SystemChange(SystemState.DOWN), TEST_ACTOR)
    sport = [e.title for e in parse(client, "/stad/feeds/domain/sport.atom").entries]
    assert sorted(sport) == ["Materiaal: werkt niet", "Sporthal: werkt niet"]
    pas = [e.title for e in parse(client, "/stad/feeds/service/reispas.rss").entries]
    assert pas == ["Reispas: werkt met beperkingen"]
    assert client.get("/stad/feeds/service/nergens.atom").status_code == 404
    assert client.get("/stad/feeds/domain/nergens.atom").status_code == 404


def test_a_feed_in_another_language_says_so(small: Catalogue, client: Client) -> None:
    feed = parse(client, "/fr/stad/feeds/status.atom")
    assert feed.feed.language == "fr"
    assert feed.feed.link == "http://testserver/fr/stad/"


def test_history_has_one_entry_per_incident_and_window(news: News, client: Client) -> None:
    feed = parse(client, "/stad/history.atom")
    titles = [e.title for e in feed.entries]
    assert "Incident cyberaanval" in titles
    assert "Incident stroomstoring" in titles
    assert "Onderhoud netwerkwerken" in titles
    assert "Incident geheim-concept" not in titles
    assert "Onderhoud concept-onderhoud" not in titles
    cyber = next(e for e in feed.entries if e.title == "Incident cyberaanval")
    assert cyber.summary.index("Oorzaak gevonden") < cyber.summary.index("Wordt onderzocht")
    assert parse(client, "/stad/history.rss").entries


def test_feeds_answer_304_for_the_same_revision(small: Catalogue, client: Client) -> None:
    first = client.get("/stad/feeds/status.atom")
    again = client.get("/stad/feeds/status.atom", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304


def test_the_maintenance_calendar(news: News, client: Client) -> None:
    response = client.get("/stad/onderhoud.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {
        "Onderhoud e-loket-upgrade",
        "Onderhoud netwerkwerken",
        "Onderhoud afgelast",
    }
    upgrade = events["Onderhoud e-loket-upgrade"]
    assert upgrade.decoded("dtstart") == news.upcoming.scheduled_for.replace(microsecond=0)
    assert upgrade.decoded("dtend") == news.upcoming.scheduled_until.replace(microsecond=0)
    assert str(upgrade["status"]) == "CONFIRMED"
    assert str(events["Onderhoud afgelast"]["status"]) == "CANCELLED"
    uids = [str(e["uid"]) for e in events.values()]
    assert len(set(uids)) == 3
    again = Calendar.from_ical(client.get("/stad/onderhoud.ics").content)
    assert sorted(str(e["uid"]) for e in again.walk("VEVENT")) == sorted(uids)
