"""The public history pages: a service's changes in words, the 90-day bars, caching by the hour."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils.http import parse_http_date

from tests.factories import TEST_ACTOR, Catalogue
from tests.factories import org as make_org
from tests.history.conftest import Clock, local, small_at
from tests.history.test_render import svgs
from tests.public.helpers import Page, inline_code, words
from watwerkt.catalogue.models import System
from watwerkt.engine import Level, SystemState
from watwerkt.history import timeline as history_timeline
from watwerkt.public.pages import last_refresh
from watwerkt.status.services import SystemChange, set_status, set_system
from watwerkt.status.values import ManualStatus

SECRET = "Geheim Reservatieplatform"


@pytest.fixture
def outage(db: None, clock: Clock) -> Catalogue:
    """The small catalogue through a short outage of its (public) data centre:
    down on 10 January at noon, the phone line open again on paper on the 12th,
    the data centre back on the 13th; now is 14 January, noon."""
    c = small_at(clock, local(2023, 1, 10, 9))
    System.objects.filter(pk=c.systems["datacenter"].pk).update(
        public=True, name={"nl": "Datacenter Noord"}
    )
    System.objects.filter(pk=c.systems["reservatie"].pk).update(name={"nl": SECRET})
    datacenter = System.objects.get(pk=c.systems["datacenter"].pk)
    clock.to(local(2023, 1, 10, 12))
    set_system(datacenter, SystemChange(SystemState.DOWN), TEST_ACTOR)
    clock.to(local(2023, 1, 12, 10))
    paper = ManualStatus(Level.LIMITED, pinned=True, note={"nl": "Bel tijdens de kantooruren"})
    set_status([c.items["hal_phone"]], paper, TEST_ACTOR)
    clock.to(local(2023, 1, 13, 8))
    set_system(datacenter, SystemChange(SystemState.UP), TEST_ACTOR)
    clock.to(local(2023, 1, 14, 12))
    return c


def timeline(html: str) -> list[str]:
    page = Page(html)
    (found,) = page.find_all("ol", **{"class": "history-timeline"})
    return [words(li.text) for li in found.children if li.tag == "li"]


def test_a_service_history_tells_each_change_with_its_reasons(
    outage: Catalogue, client: Client
) -> None:
    response = client.get(f"/{outage.org.slug}/sporthal/geschiedenis/")
    assert response.status_code == 200
    html = response.content.decode()
    assert timeline(html) == [
        "13 januari 2023 08:00: werkt met beperkingen; de onderdelen veranderden "
        "Online: van “werkt niet” naar “werkt” "
        "Waarom: geen hinder meer van Datacenter Noord",
        "12 januari 2023 10:00: van “werkt niet” naar “werkt met beperkingen” "
        "Telefoon: van “werkt niet” naar “werkt met beperkingen” "
        "Toelichting: Telefoon: Bel tijdens de kantooruren",
        "10 januari 2023 12:00: van “werkt” naar “werkt niet” "
        "Waarom: hangt af van een intern systeem, dat afhangt van Datacenter Noord, "
        "buiten werking sinds 10 januari 2023 12:00",
        "10 januari 2023 09:00: opgenomen in het overzicht: werkt",
    ]
    assert SECRET not in html
    assert inline_code(html) == []


def test_the_service_history_bar_shows_the_outage_day_by_day(
    outage: Catalogue, client: Client
) -> None:
    html = client.get(f"/{outage.org.slug}/sporthal/geschiedenis/").content.decode()
    (bar, *legend) = svgs(html)
    assert bar.findtext("title", "").startswith("Sporthal, 90 dagen tot 14 januari 2023 12:00: ")
    (listed,) = re.findall('<details class="bar-days">.*?</details>', html)
    days = [words(re.sub("<[^>]+>", "", li)) for li in re.findall("<li>.*?</li>", listed)]
    assert days == [
        "17 oktober 2022 \N{EN DASH} 9 januari 2023: geen gegevens",
        "10 januari 2023: werkt niet 12 u, geen gegevens 9 u, werkt 3 u",
        "11 januari 2023: werkt niet",
        "12 januari 2023: werkt met beperkingen 14 u, werkt niet 10 u",
        "13 januari 2023 \N{EN DASH} 14 januari 2023 (tot 12:00): werkt met beperkingen",
    ]
    assert len(legend) == 6  # one sample per colour, with its name


@pytest.mark.parametrize(
    "offsets",
    [(0.0, 0.0, 0.0), (0.25, 0.5, 0.75)],
    ids=["at-the-very-moment", "within-the-second"],
)
def test_a_service_made_and_down_in_the_second_the_page_is_made_shows_so_today(
    db: None, clock: Clock, client: Client, offsets: tuple[float, float, float]
) -> None:
    """Today's seconds are whole, and so far they end at the page's moment: a change
    in the second the page is made in (or at that very moment) still shows, as the
    level things are at now, for the last second. It used to count for nothing, so a
    service made and taken down just now had no data at all for today."""
    made, down, page = (local(2023, 1, 14, 12) + timedelta(seconds=s) for s in offsets)
    c = small_at(clock, made)
    clock.to(down)
    set_system(c.systems["datacenter"], SystemChange(SystemState.DOWN), TEST_ACTOR)
    clock.to(page)
    html = client.get(f"/{c.org.slug}/sporthal/geschiedenis/").content.decode()
    (listed,) = re.findall('<details class="bar-days">.*?</details>', html)
    days = [words(re.sub("<[^>]+>", "", li)) for li in re.findall("<li>.*?</li>", listed)]
    assert days == [
        "17 oktober 2022 \N{EN DASH} 13 januari 2023: geen gegevens",
        "14 januari 2023 (tot 12:00): geen gegevens 12 u, werkt niet 0 min",
    ]


def test_the_service_page_shows_the_bar_and_the_latest_changes(
    outage: Catalogue, client: Client
) -> None:
    html = client.get(f"/{outage.org.slug}/sporthal/").content.decode()
    page = Page(html)
    section = next(e for e in page.all if e.attrs.get("aria-labelledby") == "geschiedenis")
    assert "Laatste wijzigingen" in section.text
    assert len(timeline(html)) == 4
    link = f"/{outage.org.slug}/sporthal/geschiedenis/"
    assert link in [a.attrs.get("href") for a in section.find_all("a")]
    assert inline_code(html) == []


def test_the_organisation_history_has_a_bar_per_domain_and_service(
    outage: Catalogue, client: Client
) -> None:
    response = client.get(f"/{outage.org.slug}/geschiedenis/")
    assert response.status_code == 200
    html = response.content.decode()
    found = svgs(html)
    titles = [svg.findtext("title", "") for svg in found if svg.get("role") == "img"]
    names = [t.split(",")[0] for t in titles]
    assert names == ["Loketten", "Reispas", "Sport", "Sporthal", "Materiaal"]
    hrefs = [a.attrs.get("href") for a in Page(html).find_all("a")]
    assert f"/{outage.org.slug}/materiaal/geschiedenis/" in hrefs
    assert inline_code(html) == []
    assert SECRET not in html


@pytest.mark.parametrize(
    "path",
    ["/nergens/geschiedenis/", "/nergens/herstel/", "/{org}/nergens/geschiedenis/"],
)
def test_unknown_organisations_and_services_are_404(
    outage: Catalogue, client: Client, path: str
) -> None:
    assert client.get(path.format(org=outage.org.slug)).status_code == 404


@pytest.mark.parametrize("page", ["geschiedenis/", "herstel/", "sporthal/geschiedenis/"])
def test_history_pages_are_answered_304_until_the_hour_turns(
    outage: Catalogue, client: Client, clock: Clock, page: str
) -> None:
    path = f"/{outage.org.slug}/{page}"
    first = client.get(path)
    assert first.status_code == 200
    max_age = int(re.search(r"max-age=(\d+)", first["Cache-Control"]).group(1))  # type: ignore[union-attr]
    assert max_age <= 3600
    assert client.get(path, headers={"if-none-match": first["ETag"]}).status_code == 304
    clock.forward(minutes=59)
    assert client.get(path, headers={"if-none-match": first["ETag"]}).status_code == 304
    clock.forward(minutes=2)  # 13:01: "today" has moved on
    later = client.get(path, headers={"if-none-match": first["ETag"]})
    assert later.status_code == 200
    assert later["ETag"] != first["ETag"]


@pytest.mark.parametrize("page", ["geschiedenis/", "herstel/", "sporthal/geschiedenis/"])
def test_history_pages_asked_with_if_modified_since_only_are_made_again_when_the_hour_turns(
    outage: Catalogue, client: Client, clock: Clock, page: str
) -> None:
    path = f"/{outage.org.slug}/{page}"
    first = client.get(path)
    since = {"if-modified-since": first["Last-Modified"]}
    assert client.get(path, headers=since).status_code == 304
    clock.forward(minutes=59)
    assert client.get(path, headers=since).status_code == 304
    clock.forward(minutes=2)  # the hour turned: "today" has moved on, with no new revision
    later = client.get(path, headers=since)
    assert later.status_code == 200
    assert parse_http_date(later["Last-Modified"]) > parse_http_date(first["Last-Modified"])
    assert (
        client.get(path, headers={"if-modified-since": later["Last-Modified"]}).status_code == 304
    )


def test_the_last_refresh_is_the_hour_or_local_midnight_whichever_came_last() -> None:
    kolkata = ZoneInfo("Asia/Kolkata")  # UTC+5:30: local midnight is at half past the hour
    just_after_midnight = datetime(2023, 1, 14, 18, 40, tzinfo=UTC)  # 00:10 there
    assert last_refresh(just_after_midnight, kolkata) == datetime(2023, 1, 14, 18, 30, tzinfo=UTC)
    later = datetime(2023, 1, 14, 19, 5, tzinfo=UTC)
    assert last_refresh(later, kolkata) == datetime(2023, 1, 14, 19, 0, tzinfo=UTC)


def test_a_cache_buster_in_the_query_gets_the_same_page(outage: Catalogue, client: Client) -> None:
    path = f"/{outage.org.slug}/geschiedenis/"
    assert client.get(f"{path}?_=1673694000")["ETag"] == client.get(path)["ETag"]


def test_a_page_made_just_before_midnight_is_not_kept_past_it(
    outage: Catalogue, client: Client, clock: Clock
) -> None:
    clock.to(local(2023, 1, 14, 23, 59) + timedelta(seconds=30))
    response = client.get(f"/{outage.org.slug}/geschiedenis/")
    assert int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1)) <= 30  # type: ignore[union-attr]
    assert "tot 14 januari 2023 23:59" in response.content.decode()


def test_the_overview_links_to_recovery_and_history(outage: Catalogue, client: Client) -> None:
    html = client.get(f"/{outage.org.slug}/").content.decode()
    hrefs = [a.attrs.get("href") for a in Page(html).find_all("a")]
    assert f"/{outage.org.slug}/herstel/" in hrefs
    assert f"/{outage.org.slug}/geschiedenis/" in hrefs


def test_the_recovery_page_counts_what_works_again(outage: Catalogue, client: Client) -> None:
    html = client.get(f"/{outage.org.slug}/herstel/").content.decode()
    page = Page(html)
    assert "Sinds de eerste storing van de voorbije 90 dagen: 10 januari 2023 12:00." in words(
        page.by_id("inhoud").text
    )
    (headline,) = page.find_all("p", **{"class": "recovery-headline"})
    assert words(headline.text) == "2 van de 2 getroffen diensten werken weer."
    assert "werkt, of werkt met beperkingen" in html
    (curve, *_domains) = [svg for svg in svgs(html) if "curve" in svg.get("class", "")]
    line = next(p for p in curve.iter("path") if p.get("class") == "line")
    assert line.get("d", "").startswith("M0 300.0H")  # both down at the start
    assert line.get("d", "").endswith("V0.0H1000")  # both working now
    rows = [" ".join(words(cell.text) for cell in tr.children) for tr in page.find_all("tr")]
    assert rows[1:6] == [
        "10 januari 2023 0",
        "11 januari 2023 0",
        "12 januari 2023 1",
        "13 januari 2023 2",
        "14 januari 2023 2",
    ]
    assert inline_code(html) == []


def test_the_timeline_gives_the_newest_changes_up_to_its_limit(outage: Catalogue) -> None:
    hal = outage.services["sporthal"]
    items = [outage.items["hal_online"].pk, outage.items["hal_phone"].pk]
    found = history_timeline.entries(hal.pk, items, limit=2)
    assert [e.at for e in found] == [local(2023, 1, 13, 8), local(2023, 1, 12, 10)]
    assert [(e.before, e.after) for e in found] == [
        ("limited", "limited"),
        ("unavailable", "limited"),
    ]


def test_an_organisation_without_services_has_a_history_page_that_says_so(
    db: None, client: Client
) -> None:
    make_org("leeg", "Leeg")
    response = client.get("/leeg/geschiedenis/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Er zijn nog geen diensten." in html
    assert "domain-history" not in html
    assert "<!--" not in html  # the marker for the domains' sections is never left in


def test_the_domains_sections_come_between_the_contents_and_the_way_back(
    outage: Catalogue, client: Client
) -> None:
    html = client.get(f"/{outage.org.slug}/geschiedenis/").content.decode()
    assert "<!--" not in html
    sections = [m.start() for m in re.finditer('<section class="domain-history"', html)]
    assert sections
    assert html.index('<p class="back">') > max(sections)
    assert html.index("</h1>") < min(sections)
