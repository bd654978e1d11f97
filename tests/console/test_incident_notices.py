"""Instructions and measures for everyone: the domain functions and the console page."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.console import incident_world as world
from tests.personas import People
from tests.public.helpers import Page, words
from watwerkt.audit.models import AuditEntry
from watwerkt.authoring import notices
from watwerkt.authoring.notices import NoticeError
from watwerkt.catalogue.models import Instruction, Measure
from watwerkt.status.revision import current_revision

PAGE = "/console/stad/voor-iedereen/"


def overview_notes() -> list[str]:
    """The "Voor iedereen" notes of the public overview."""
    html = Page(Client().get("/stad/").content.decode())
    sections = [s for s in html.find_all("section") if s.attrs.get("aria-labelledby") == "algemeen"]
    return [words(li.text) for s in sections for li in s.find_all("li")]


# -- the domain functions ------------------------------------------------------------------


def test_a_notice_is_added_changed_and_removed_each_in_one_audited_revision(
    people: People,
) -> None:
    start = current_revision()
    row = notices.add_notice(
        people.org, "instruction", "dont", {"nl": "Betaal niet twee keer."}, world.COMMS
    )
    assert (row.service, row.position, current_revision()) == (None, 0, start + 1)
    assert "Doe dit niet: Betaal niet twee keer." in overview_notes()
    notices.edit_notice(row, world.COMMS, text={"en": "Do not pay twice."})
    assert row.text == {"nl": "Betaal niet twee keer.", "en": "Do not pay twice."}
    notices.remove_notice(row, world.COMMS)
    assert not Instruction.objects.filter(pk=row.pk).exists()
    assert current_revision() == start + 3
    entries = list(AuditEntry.objects.values_list("action", "before", "after"))
    assert entries == [
        ("instruction.add", None, {"kind": "dont", "text": {"nl": "Betaal niet twee keer."}}),
        (
            "instruction.edit",
            {"text": {"nl": "Betaal niet twee keer."}},
            {"text": {"nl": "Betaal niet twee keer.", "en": "Do not pay twice."}},
        ),
        (
            "instruction.remove",
            {"kind": "dont", "text": {"nl": "Betaal niet twee keer.", "en": "Do not pay twice."}},
            None,
        ),
    ]
    assert overview_notes() == []


def test_new_notices_come_last(people: People) -> None:
    first = notices.add_notice(
        people.org, "measure", "refund", {"nl": "Terugbetaling."}, world.COMMS
    )
    second = notices.add_notice(people.org, "measure", "other", {"nl": "Iets anders."}, world.COMMS)
    assert (first.position, second.position) == (0, 1)
    assert notices.general(people.org, "measure") == [first, second]


def test_a_change_that_changes_nothing_writes_nothing(people: People) -> None:
    row = world.measure(people)
    before = world.written()
    notices.edit_notice(row, world.COMMS, kind=row.kind, text={"nl": row.text["nl"]})
    assert world.written() == before


@pytest.mark.parametrize(
    ("what", "kind", "text", "message"),
    [
        ("instruction", "do", {"en": "Only English"}, "text: text in nl (the organisation's"),
        ("instruction", "do", {"nl": "  "}, "text: text in nl"),
        ("instruction", "maybe", {"nl": "x"}, "kind: unknown value 'maybe'"),
        ("measure", "do", {"nl": "x"}, "kind: unknown value 'do'"),
        ("measure", "other", {"nl": "x", "es": "y"}, "text: unknown language 'es'"),
        ("measure", "other", {"nl": "x" * 1001}, "text: the nl text is longer than 1000"),
        ("notice", "do", {"nl": "x"}, "what: unknown kind of notice 'notice'"),
    ],
)
def test_a_bad_notice_is_refused_naming_the_field_and_nothing_is_written(
    people: People, what: str, kind: str, text: dict[str, str], message: str
) -> None:
    before = world.written()
    with pytest.raises(NoticeError) as refused:
        notices.add_notice(people.org, what, kind, text, world.COMMS)  # type: ignore[arg-type]
    assert str(refused.value).startswith(message)
    assert world.written() == before


def test_a_notice_of_one_service_is_not_changed_here(people: People) -> None:
    theirs = Instruction.objects.create(
        organisation=people.org,
        service=people.org.services.get(slug="sporthal"),
        kind="do",
        text={"nl": "Reserveer aan de balie."},
    )
    before = world.written()
    for write in (
        lambda: notices.edit_notice(theirs, world.COMMS, text={"nl": "Anders."}),
        lambda: notices.remove_notice(theirs, world.COMMS),
    ):
        with pytest.raises(NoticeError, match="belongs to a service"):
            write()
    assert world.written() == before


# -- the page --------------------------------------------------------------------------------


def test_the_page_lists_only_what_is_for_everyone(people: People) -> None:
    world.instruction(people)
    world.measure(people)
    Instruction.objects.create(
        organisation=people.org,
        service=people.org.services.get(slug="sporthal"),
        kind="do",
        text={"nl": "Reserveer aan de balie."},
    )
    response = people.client("viewer").get(PAGE)
    html = response.content.decode()
    for said in ("Doe dit niet:", "Betaal niet twee keer.", "Geen boete:", "Geen boetes."):
        assert said in html
    assert "Reserveer aan de balie." not in html
    assert "Instructie toevoegen" not in html  # viewers read


def test_an_editor_adds_a_notice_and_the_overview_shows_it_at_once(people: People) -> None:
    client = people.client("editor")
    data = {"kind": "do", "text_nl": "Kom zonder afspraak.", "text_en": "Come without booking."}
    response = client.post(PAGE + "instructies/", data)
    assert response.status_code == 302
    assert response["Location"] == PAGE + "#instructies"
    assert "Doe dit: Kom zonder afspraak." in overview_notes()
    english = Page(Client().get("/en/stad/").content.decode())
    assert "Come without booking." in english.root.text


def test_a_notice_without_dutch_is_refused_on_its_field(people: People) -> None:
    before = world.written()
    response = people.client("editor").post(
        PAGE + "maatregelen/", {"kind": "refund", "text_en": "x"}
    )
    assert response.status_code == 400
    assert "Dit veld is verplicht." in response.content.decode()
    assert world.written() == before


def test_an_editor_changes_a_notice_and_an_empty_translation_removes_it(people: People) -> None:
    row = world.measure(people)
    notices.edit_notice(row, world.COMMS, text={"fr": "Pas d'amendes."})
    client = people.client("editor")
    url = f"{PAGE}maatregelen/{row.pk}/"
    form = Page(client.get(url).content.decode())
    assert form.by_id("id_text_fr").text.strip() == "Pas d'amendes."
    data = {"kind": "fine_waived", "text_nl": "Geen boetes tot juni.", "text_fr": ""}
    assert client.post(url, data).status_code == 302
    row.refresh_from_db()
    assert row.text == {"nl": "Geen boetes tot juni."}
    assert isinstance(row, Measure)


def test_a_service_notice_is_not_found_on_this_page(people: People) -> None:
    theirs = Instruction.objects.create(
        organisation=people.org,
        service=people.org.services.get(slug="sporthal"),
        kind="do",
        text={"nl": "Reserveer aan de balie."},
    )
    client = people.client("editor")
    assert client.get(f"{PAGE}instructies/{theirs.pk}/").status_code == 404
    assert client.post(f"{PAGE}instructies/{theirs.pk}/verwijderen/").status_code == 404
