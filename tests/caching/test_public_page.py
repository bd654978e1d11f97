"""What every public response says about caching, through Django's full stack."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.http import HttpResponse, HttpResponseBase
from django.test import Client, RequestFactory

from tests.factories import Catalogue
from watwerkt.public.pages import PublicPage, cache_control, etag_for, public_page
from watwerkt.status.revision import RevisionState, revision_state
from watwerkt.webcache.ticket import ENVIRON_KEY, Ticket

PAGES = ["/stad/", "/stad/sporthal/", "/fr/stad/", "/en/stad/sporthal/"]


@pytest.mark.parametrize("path", PAGES)
def test_public_pages_say_how_long_they_may_be_kept(
    small: Catalogue, client: Client, path: str
) -> None:
    first = client.get(path)
    again = client.get(path, headers={"if-none-match": first["ETag"]})
    for response in (first, again):
        assert response["Cache-Control"] == (
            "public, max-age=1, stale-while-revalidate=10, stale-if-error=86400"
        )
        assert "Accept-Encoding" in response["Vary"]
    assert again.status_code == 304


def test_cache_control_follows_the_settings(
    small: Catalogue, client: Client, settings: Any
) -> None:
    settings.PUBLIC_MAX_AGE = 5
    settings.PUBLIC_STALE_WHILE_REVALIDATE = 60
    settings.PUBLIC_STALE_IF_ERROR = 0
    assert client.get("/stad/")["Cache-Control"] == (
        "public, max-age=5, stale-while-revalidate=60, stale-if-error=0"
    )


def test_accept_language_is_in_vary_only_where_the_path_does_not_say_the_language(
    small: Catalogue, client: Client
) -> None:
    assert "Accept-Language" in client.get("/stad/")["Vary"]
    assert "Accept-Language" not in client.get("/fr/stad/")["Vary"]


def test_the_etag_is_weak_and_names_the_revision_and_the_language(
    small: Catalogue, client: Client
) -> None:
    etag = client.get("/de/stad/")["ETag"]
    assert etag.startswith(f'W/"{revision_state().number}-de-')


def test_a_query_string_is_a_variant_with_its_own_etag(small: Catalogue, client: Client) -> None:
    plain, variant = client.get("/stad/zoeken/?q=pas"), client.get("/stad/zoeken/?q=sport")
    assert plain["ETag"] != variant["ETag"]
    again = client.get("/stad/zoeken/?q=sport", headers={"if-none-match": plain["ETag"]})
    assert again.status_code == 200
    # the overview reads no parameter: a cache-buster is the same page
    overview = client.get("/stad/")
    assert client.get("/stad/?domein=sport")["ETag"] == overview["ETag"]


def test_a_page_that_ignores_its_query_string_has_one_etag_for_every_cache_buster(
    small: Catalogue, rf: RequestFactory
) -> None:
    tags = {PublicPage(rf.get(f"/stad/?_={n}"), query=()).etag for n in range(3)}
    assert len(tags) == 1
    reads = PublicPage(rf.get("/stad/?q=pas&_=1"), query=("q",))
    assert reads.variant == "q=pas"
    assert reads.etag != PublicPage(rf.get("/stad/?q=kaart&_=1"), query=("q",)).etag


def test_the_etag_changes_with_revision_language_and_variant() -> None:
    when = datetime(2022, 12, 6, tzinfo=UTC)
    base = etag_for(RevisionState(4, when), "nl")
    assert base == etag_for(RevisionState(4, when), "nl")
    assert base != etag_for(RevisionState(5, when), "nl")
    assert base != etag_for(RevisionState(4, when + timedelta(seconds=1)), "nl")
    assert base != etag_for(RevisionState(4, when), "fr")
    assert base != etag_for(RevisionState(4, when), "nl", "domein=sport")


def test_a_200_carries_a_ticket_for_the_page_cache_and_a_304_or_404_none(
    small: Catalogue, client: Client
) -> None:
    first = client.get("/stad/")
    ticket = first.wsgi_request.META[ENVIRON_KEY]
    assert isinstance(ticket, Ticket)
    assert ticket.revision.number == int(first["ETag"].split('"')[1].split("-")[0])
    again = client.get("/stad/", headers={"if-none-match": first["ETag"]})
    assert ENVIRON_KEY not in again.wsgi_request.META
    assert ENVIRON_KEY not in client.get("/stad/onbekend/").wsgi_request.META


@public_page(query=())
def _decorated(page: PublicPage, org: str) -> HttpResponseBase:
    if org != "stad":
        return HttpResponse("no such organisation", status=404)
    return HttpResponse(f"{org} at revision {page.revision.number}")


def test_the_decorator_stamps_the_response_and_answers_304(
    small: Catalogue, rf: RequestFactory
) -> None:
    first = _decorated(rf.get("/stad/x/?_=1"), org="stad")
    assert first.status_code == 200
    assert first["ETag"].startswith('W/"')
    assert first["Cache-Control"].startswith("public, max-age=")
    again = _decorated(rf.get("/stad/x/?_=2", headers={"if-none-match": first["ETag"]}), org="stad")
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]


def test_the_decorator_leaves_errors_and_unsafe_methods_alone(
    small: Catalogue, rf: RequestFactory
) -> None:
    missing = rf.get("/elders/x/")
    assert _decorated(missing, org="elders").status_code == 404
    assert ENVIRON_KEY not in missing.META
    assert "ETag" not in _decorated(rf.get("/elders/x/"), org="elders")
    assert _decorated(rf.post("/stad/x/"), org="stad").status_code == 405


def test_a_page_that_changes_by_itself_is_not_kept_past_that_moment(
    small: Catalogue, rf: RequestFactory, settings: Any
) -> None:
    settings.PUBLIC_MAX_AGE = 60
    request = rf.get("/stad/")
    page = PublicPage(request)
    soon = datetime.now(UTC) + timedelta(seconds=20)
    page.changes_at(soon + timedelta(hours=1))
    page.changes_at(None)
    page.changes_at(soon)  # the earliest moment counts
    response = page.respond(lambda: HttpResponse("onderhoud begint straks"))
    max_age = int(response["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert 18 <= max_age <= 20
    assert request.META[ENVIRON_KEY].expires == soon.timestamp()


def test_cache_control_never_reaches_past_the_moment_of_change() -> None:
    now = time.time()
    assert "max-age=0," in cache_control(expires=now - 5, now=now)
