"""Atom, RSS and iCalendar, read by the parsers feed readers and calendars use."""

from __future__ import annotations

from datetime import timedelta

import feedparser
import pytest
import time_machine
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


def entries_of(client: Client, path: str) -> dict[str, feedparser.FeedParserDict]:
    return {e.title: e for e in parse(client, path).entries}


def test_a_service_feed_has_the_incidents_and_windows_that_affect_it(
    news: News, client: Client
) -> None:
    for kind in ("atom", "rss"):
        sporthal = entries_of(client, f"/stad/feeds/service/sporthal.{kind}")
        assert {
            "Incident cyberaanval: Oorzaak gevonden",
            "Incident cyberaanval: Wordt onderzocht",
            "Onderhoud e-loket-upgrade",
        } <= set(sporthal)
        # Not the incident and the windows that name no service of its.
        assert not any("stroomstoring" in t or "netwerkwerken" in t for t in sporthal)
        update = sporthal["Incident cyberaanval: Oorzaak gevonden"]
        assert update.link == "http://testserver/stad/incidenten/cyberaanval/"
        assert "cyberaanval" in update.summary
        window = sporthal["Onderhoud e-loket-upgrade"]
        assert window.link == "http://testserver/stad/incidenten/#o-e-loket-upgrade"
        assert "Beschrijving van e-loket-upgrade." in window.summary
        materiaal = entries_of(client, f"/stad/feeds/service/materiaal.{kind}")
        assert "Incident cyberaanval: Oorzaak gevonden" in materiaal
        assert "Onderhoud e-loket-upgrade" not in materiaal
        reispas = entries_of(client, f"/stad/feeds/service/reispas.{kind}")
        assert list(reispas) == ["Reispas: werkt met beperkingen"]  # its status change only


def test_a_domain_feed_has_the_news_of_its_services(news: News, client: Client) -> None:
    sport = entries_of(client, "/stad/feeds/domain/sport.atom")
    assert {"Incident cyberaanval: Oorzaak gevonden", "Onderhoud e-loket-upgrade"} <= set(sport)
    assert not any("stroomstoring" in t or "netwerkwerken" in t for t in sport)
    assert list(entries_of(client, "/stad/feeds/domain/loketten.rss")) == [
        "Reispas: werkt met beperkingen"
    ]
    assert parse(client, "/stad/feeds/domain/sport.atom").feed.link == (
        "http://testserver/stad/#d-sport"
    )


def test_the_organisation_feed_has_every_window_and_links_news_to_its_page(
    news: News, client: Client
) -> None:
    found = entries_of(client, "/fr/stad/feeds/status.atom")
    assert {"Onderhoud netwerkwerken", "Onderhoud e-loket-upgrade", "Onderhoud afgelast"} <= set(
        found
    )
    assert "Onderhoud concept-onderhoud" not in found  # a draft
    updates = [e for t, e in found.items() if t.startswith("Incident cyberaanval:")]
    assert updates
    assert {e.link for e in updates} == {"http://testserver/fr/stad/incidenten/cyberaanval/"}


def test_a_window_that_starts_changes_the_feeds_that_show_it(news: News, client: Client) -> None:
    path = "/stad/feeds/service/sporthal.atom"
    before = client.get(path)
    with time_machine.travel(news.upcoming.scheduled_for + timedelta(minutes=1)):
        after = client.get(path, headers={"if-none-match": before["ETag"]})
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]


def test_a_feed_in_another_language_says_so(small: Catalogue, client: Client) -> None:
    feed = parse(client, "/fr/stad/feeds/status.atom")
    assert feed.feed.language == "fr"
    assert feed.feed.link == "http://testserver/fr/stad/"


def test_history_has_one_entry_per_incident_and_window(news: News, client: Client) -> None:
    feed = parse(client, "/stad/history.atom")
    titles = [e.title for e in feed.entries]
    links = {e.title: e.link for e in feed.entries}
    assert links["Incident cyberaanval"] == "http://testserver/stad/incidenten/cyberaanval/"
    assert links["Incident stroomstoring"] == "http://testserver/stad/incidenten/stroomstoring/"
    assert links["Onderhoud netwerkwerken"] == "http://testserver/stad/incidenten/#o-netwerkwerken"
    for link in links.values():
        assert client.get(link.removeprefix("http://testserver").split("#")[0]).status_code == 200
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
