"""`watwerkt demo`: the Antwerp overview of early February 2023, loaded through the import.

SEED below is the seed article (shared/seed/antwerpen-overzicht-2023.txt) as a
table: every line it lists, where it lives in the demo, and the effective
level a resident must see for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from watwerkt.catalogue.models import (
    Alternative,
    Dependency,
    FunctionChannel,
    Instruction,
    Measure,
    Organisation,
    Service,
    System,
)
from watwerkt.status.graphs import graphs
from watwerkt.status.models import EffectiveStatus, StatusEvent
from watwerkt.status.revision import current_revision

A, L, U = "available", "limited", "unavailable"

# (domain, service, part, level). part: "" = the service as a whole,
# "function" = every channel of that function, "function/channel" = one item
# ("-" is a service's implicit function).
SEED: list[tuple[str, str, str, str]] = [
    # LOKETTEN, wat werkt wel
    ("loketten", "e-formulieren", "", A),  # most e-forms in the e-loket
    ("loketten", "afspraak-stadsloket", "", A),
    ("loketten", "zelfbedieningsloketten", "", A),  # the kiosks are available
    ("loketten", "adreswijziging", "melden/e-loket", A),  # report a move online
    ("loketten", "attesten", "-/smartloket", A),
    ("loketten", "zelfbedieningsloketten", "documenten-afdrukken/zelfbedieningsloket", A),
    ("loketten", "reispas", "aanvragen", A),
    ("loketten", "reispas", "afhalen", A),
    ("loketten", "rijbewijs", "aanvragen", A),  # also international
    ("loketten", "rijbewijs", "afhalen", A),
    ("loketten", "identiteitskaart", "aanvragen", A),  # eID / Kids-ID for Belgians
    ("loketten", "verblijfskaart", "aanvragen", A),  # EVK
    ("loketten", "identiteitskaart", "afhalen", A),  # regular renewals
    ("loketten", "verblijfskaart", "afhalen", A),  # regular renewals
    ("loketten", "geboorte", "", A),
    ("loketten", "erkenning", "", A),
    ("loketten", "huwelijk", "", A),
    ("loketten", "overlijden", "", A),
    ("loketten", "verlies-diefstal", "", A),
    ("loketten", "spoedprocedure", "", A),
    ("loketten", "adreswijziging", "adres-op-kaart", A),
    ("loketten", "tenlasteneming", "", A),
    ("loketten", "pin-puk", "", A),
    ("loketten", "nationaliteit", "", A),
    ("loketten", "kids-id-niet-belg", "", A),
    ("loketten", "loket-migratie", "", A),
    # LOKETTEN, wat werkt niet
    ("loketten", "parkeervergunning", "verwerken", U),
    ("loketten", "parkeervergunning", "uitreiken", U),
    ("loketten", "lage-emissiezone", "toelating", U),
    ("loketten", "lage-emissiezone", "dagpas", U),
    ("loketten", "buurtparking", "", U),
    # STEDELIJKE KINDEROPVANG
    ("kinderopvang", "mijn-kinderopvang", "portaal", A),  # the portal works again ...
    ("kinderopvang", "mijn-kinderopvang", "facturen", U),  # ... but no invoices yet
    ("kinderopvang", "mijn-kinderopvang", "", L),
    ("kinderopvang", "kinderopvangzoeker", "statusberichten", U),  # no e-mail updates
    # WONEN EN BOUWEN
    ("wonen-en-bouwen", "signalisatie", "", A),
    ("wonen-en-bouwen", "omgevingsvergunning", "verwerken", A),  # with delays
    ("wonen-en-bouwen", "vastgoedinformatie", "verwerken", A),  # with delays
    # AFVAL EN RECYCLAGE
    ("afval-en-recyclage", "melding-openbaar-domein", "", A),
    ("afval-en-recyclage", "ophaalkalender", "", A),
    ("afval-en-recyclage", "afvalsticker", "", A),
    ("afval-en-recyclage", "grofvuil", "afspraak/telefoon", A),  # by phone, contact centre
    ("afval-en-recyclage", "sorteerpas", "opladen", U),  # may go below zero
    ("afval-en-recyclage", "recyclagepark", "afspraak", U),
    ("afval-en-recyclage", "recyclagepark", "bezoeken/zonder-afspraak", A),
    # CULTUUR EN SPORT, wat werkt wel
    ("cultuur-en-sport", "museumtickets", "kopen/bancontact", A),
    ("cultuur-en-sport", "museumtickets", "kopen/cash", A),
    ("cultuur-en-sport", "museumtickets", "kopen/website", A),
    ("cultuur-en-sport", "a-kaartpunten", "", A),
    ("cultuur-en-sport", "cultuurcentra-betalen", "betalen/cash", A),
    ("cultuur-en-sport", "cultuurcentra-betalen", "betalen/bancontact", A),
    ("cultuur-en-sport", "cultuurcentra-betalen", "betalen/overschrijving", A),
    ("cultuur-en-sport", "evenementen", "", A),
    ("cultuur-en-sport", "feestmateriaal", "aanvragen", A),  # temporary form
    # CULTUUR EN SPORT, wat werkt niet
    ("cultuur-en-sport", "felixarchief", "leeszaal", U),
    ("cultuur-en-sport", "felixarchief", "reserveren", U),
    ("cultuur-en-sport", "felixarchief", "opzoekingen", U),
    ("cultuur-en-sport", "cultuurcentra-tickets", "online-kopen", U),  # except two venues
    ("cultuur-en-sport", "sporthal", "", U),
    ("cultuur-en-sport", "sportmateriaal", "", U),
    ("cultuur-en-sport", "sportclub-erkenning", "", U),
    # BIBLIOTHEKEN
    ("bibliotheken", "uitlenen", "-/zelfuitleen", A),
    ("bibliotheken", "uitlenen", "-/balie", A),
    ("bibliotheken", "verlengen", "-/website", A),  # mijnbibliotheek.be
    ("bibliotheken", "verlengen", "-/zelfuitleen", A),
    ("bibliotheken", "verlengen", "-/balie", A),
    ("bibliotheken", "bibsaldo", "betalen/balie", L),  # one till only
    ("bibliotheken", "bibsaldo", "betalen/betaalautomaat", U),  # not at the machines
    # ANDERE DIENSTVERLENING, wat werkt wel
    ("andere-dienstverlening", "vragen-stad", "-/telefoon", A),  # waiting times may grow
    ("andere-dienstverlening", "vragen-stad", "-/e-mail", A),
    ("andere-dienstverlening", "website", "", A),
    ("andere-dienstverlening", "ombudsvrouw", "", A),
    ("andere-dienstverlening", "vacatures", "", A),
    # ANDERE DIENSTVERLENING, wat werkt niet
    ("andere-dienstverlening", "a-kaart", "", U),
    ("andere-dienstverlening", "graflocaties", "", U),
    ("andere-dienstverlening", "begraafplaatskosten", "", U),
    ("andere-dienstverlening", "artikel-60", "", U),
    ("andere-dienstverlening", "factuurmailboxen", "", U),
    ("andere-dienstverlening", "aanmaningen", "", U),
    ("andere-dienstverlening", "tolken", "", U),
    ("andere-dienstverlening", "ecohuis-zaal", "", U),
    ("andere-dienstverlening", "onderwijsdatabank", "", U),
    ("andere-dienstverlening", "vrijwilligerswerk", "", U),
    ("andere-dienstverlening", "taxicheques", "", U),
]


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def loaded(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """The demo, imported once for this module and rolled back after it: every
    test here only reads it (each in its own savepoint), so one import serves all."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield run_demo()
        transaction.set_rollback(True)
    graphs.forget()  # the engine graph of the rolled-back revision


@pytest.fixture
def demo(loaded: str, db: None) -> str:
    return loaded


def effective(subject: str, pk: int) -> dict[str, Any]:
    value: dict[str, Any] = EffectiveStatus.objects.get(subject=subject, object_id=pk).value
    return value


def items(service: str, part: str = "") -> list[FunctionChannel]:
    """The function x channels of a demo service, narrowed by ``function[/channel]``."""
    rows = FunctionChannel.objects.filter(
        function__service__organisation__slug="antwerpen", function__service__slug=service
    ).select_related("function", "channel")
    function, _, channel = part.partition("/")
    found = [
        row
        for row in rows
        if (not function or (row.function.slug or "-") == function)
        and (not channel or (row.channel.slug if row.channel else "*") == channel)
    ]
    assert found, f"no item {service}/{part}"
    return found


def item(service: str, part: str) -> FunctionChannel:
    (row,) = items(service, part)
    return row


def system_slugs() -> dict[int, str]:
    return dict(System.objects.values_list("id", "slug"))


def chain(cause: dict[str, Any], names: dict[int, str]) -> list[str]:
    path = [names[cause["system"]]]
    while cause["via"] and not cause["own"]:
        cause = cause["via"][0]
        path.append(names[cause["system"]])
    return path


def channel_of(alternative: Alternative) -> str:
    assert alternative.channel is not None
    return alternative.channel.slug


def codes(status: dict[str, Any]) -> list[str]:
    return [q["code"] for q in status["qualifiers"]]


# -- the seed, item by item ----------------------------------------------------------


@pytest.mark.parametrize(("domain", "service", "part", "level"), SEED)
def test_every_seed_item_is_in_its_domain_at_its_level(
    demo: str, domain: str, service: str, part: str, level: str
) -> None:
    row = Service.objects.get(organisation__slug="antwerpen", slug=service)
    assert row.domain.slug == domain
    if part:
        assert {effective("item", i.pk)["level"] for i in items(service, part)} == {level}
    else:
        assert effective("service", row.pk)["level"] == level


def test_the_demo_holds_the_seed_services_and_nothing_else(demo: str) -> None:
    loaded = set(
        Service.objects.filter(organisation__slug="antwerpen").values_list("slug", flat=True)
    )
    assert loaded == {service for _, service, _, _ in SEED}


def test_domains_come_in_the_order_of_the_seed_in_four_languages(demo: str) -> None:
    org = Organisation.objects.get(slug="antwerpen")
    assert (org.language, org.time_zone) == ("nl", "Europe/Brussels")
    domains = list(org.domains.order_by("position"))
    assert [d.slug for d in domains] == [
        "loketten",
        "kinderopvang",
        "wonen-en-bouwen",
        "afval-en-recyclage",
        "cultuur-en-sport",
        "bibliotheken",
        "andere-dienstverlening",
    ]
    assert domains[1].name["nl"] == "Stedelijke kinderopvang"
    for domain in domains:
        assert set(domain.name) == {"nl", "fr", "en", "de"}, domain.slug


def test_main_services_have_names_in_french_english_and_german(demo: str) -> None:
    for slug in ("reispas", "parkeervergunning", "recyclagepark", "sporthal", "bibsaldo"):
        name = Service.objects.get(organisation__slug="antwerpen", slug=slug).name
        assert set(name) == {"nl", "fr", "en", "de"}, slug


# -- qualifiers and alternatives -------------------------------------------------------


def test_permit_processing_and_questions_work_with_delays(demo: str) -> None:
    for service, part in [
        ("omgevingsvergunning", "verwerken"),
        ("vastgoedinformatie", "verwerken"),
        ("vragen-stad", "-/telefoon"),
        ("vragen-stad", "-/e-mail"),
    ]:
        status = effective("item", item(service, part).pk)
        assert (status["level"], codes(status)) == ("available", ["delays"]), service


def test_library_balance_is_paid_at_one_till_and_not_at_the_machines(demo: str) -> None:
    till = effective("item", item("bibsaldo", "betalen/balie").pk)
    assert till["level"] == "limited"
    assert till["qualifiers"][0]["code"] == "reduced_capacity"
    assert "één kassa" in till["qualifiers"][0]["text"]["nl"]
    machine = item("bibsaldo", "betalen/betaalautomaat")
    (alternative,) = Alternative.objects.filter(function_channel=machine)
    assert (alternative.kind, channel_of(alternative)) == ("channel", "balie")


def test_party_material_goes_through_a_temporary_form(demo: str) -> None:
    row = item("feestmateriaal", "aanvragen")
    assert codes(effective("item", row.pk)) == ["temporary_form"]
    kinds = set(Alternative.objects.filter(function=row.function).values_list("kind", flat=True))
    assert kinds == {"temporary_form"}


def test_the_sorting_pass_may_go_below_zero_so_nothing_needs_doing(demo: str) -> None:
    row = item("sorteerpas", "opladen/website")
    (alternative,) = Alternative.objects.filter(function=row.function)
    assert alternative.kind == "no_action"
    assert "onder nul" in alternative.text["nl"]


def test_the_recycling_park_is_visited_without_appointment(demo: str) -> None:
    visit = effective("item", item("recyclagepark", "bezoeken/zonder-afspraak").pk)
    assert codes(visit) == ["without_appointment"]
    booking = item("recyclagepark", "afspraak/website")
    (alternative,) = Alternative.objects.filter(function=booking.function)
    assert (alternative.kind, channel_of(alternative)) == ("channel", "zonder-afspraak")


def test_bulky_waste_is_booked_by_phone_through_the_contact_centre(demo: str) -> None:
    online = item("grofvuil", "afspraak/website")
    assert effective("item", online.pk)["level"] == "unavailable"
    (alternative,) = Alternative.objects.filter(function_channel=online)
    assert (alternative.kind, channel_of(alternative)) == ("channel", "telefoon")
    assert alternative.phone == "03 22 11 333"
    assert "contactcenter" in alternative.text["nl"]


def test_online_tickets_fail_except_at_two_named_venues(demo: str) -> None:
    status = effective("item", item("cultuurcentra-tickets", "online-kopen/website").pk)
    assert status["level"] == "unavailable"
    (qualifier,) = status["qualifiers"]
    assert qualifier["code"] == "except"
    assert "Arenberg" in qualifier["text"]["nl"]
    assert "OLT Rivierenhof" in qualifier["text"]["nl"]


def test_identity_cards_are_picked_up_for_regular_renewals(demo: str) -> None:
    for service in ("identiteitskaart", "verblijfskaart"):
        (qualifier,) = effective("item", item(service, "afhalen/stadsloket").pk)["qualifiers"]
        assert qualifier["code"] == "audience_only"
        assert "verlenging" in qualifier["text"]["nl"]


def test_the_childcare_finder_works_without_sending_messages(demo: str) -> None:
    search = effective("item", item("kinderopvangzoeker", "zoeken/website").pk)
    assert codes(search) == ["no_notifications"]


def test_help_is_attached_where_residents_would_look_for_it(demo: str) -> None:
    def help_for(model: type[Alternative | Instruction | Measure], service: str) -> set[str]:
        rows = model.objects.filter(service__slug=service, service__organisation__slug="antwerpen")
        return set(rows.values_list("kind", flat=True))

    assert help_for(Measure, "parkeervergunning") == {"fine_waived"}
    assert help_for(Instruction, "bibsaldo") == {"dont"}
    assert help_for(Measure, "factuurmailboxen") == {"payment_guaranteed"}
    assert help_for(Alternative, "a-kaart") == {"no_action"}
    org = Organisation.objects.get(slug="antwerpen")
    assert Instruction.objects.filter(organisation=org, service=None).count() == 2


# -- systems, dependencies, causes ---------------------------------------------------------


def test_every_system_is_illustrative_and_needed_by_something(demo: str) -> None:
    systems = System.objects.filter(organisation__slug="antwerpen")
    assert systems.count() >= 20
    assert not systems.filter(illustrative=False).exists()
    for system in systems:
        assert Dependency.objects.filter(system=system).exists(), system.slug


def test_the_sports_hall_is_unavailable_only_because_its_platform_is_down(demo: str) -> None:
    row = item("sporthal", "reserveren/website")
    assert (row.level, row.qualifiers, row.pinned) == ("available", [], False)  # nothing manual
    status = effective("item", row.pk)
    assert (status["level"], status["derived"]) == ("unavailable", True)
    assert [chain(c, system_slugs()) for c in status["causes"]] == [["reservatieplatform"]]
    assert status["since"].startswith("2022-12-06")


def test_the_accounting_program_stops_everything_that_invoices(demo: str) -> None:
    names = system_slugs()
    expected = {
        ("aanmaningen", ""): ["boekhouding"],
        ("factuurmailboxen", ""): ["factuurverwerking", "boekhouding"],
        ("begraafplaatskosten", ""): ["facturatie", "boekhouding"],
        ("mijn-kinderopvang", "facturen"): ["facturatie", "boekhouding"],
    }
    for (service, part), path in expected.items():
        status = effective("item", item(service, part).pk)
        assert status["derived"], service
        assert [chain(c, names) for c in status["causes"]] == [path], service


def test_every_derived_status_has_a_cause_chain_down_to_a_system_that_is_down(
    demo: str,
) -> None:
    names = system_slugs()
    states = dict(System.objects.values_list("slug", "state"))
    derived = [
        row.value
        for row in EffectiveStatus.objects.filter(organisation__slug="antwerpen", subject="item")
        if row.value["derived"]
    ]
    assert len(derived) >= 25
    for status in derived:
        assert status["causes"]
        for cause in status["causes"]:
            last = chain(cause, names)[-1]
            assert states[last] == "down", last


def test_pins_hold_where_a_paper_procedure_replaces_a_down_system(demo: str) -> None:
    names = system_slugs()
    pinned = {
        ("feestmateriaal", "aanvragen"): ("available", "reservatieplatform"),
        ("grofvuil", "afspraak/telefoon"): ("available", "reservatieplatform"),
        ("bibsaldo", "betalen/balie"): ("limited", "bib-betaalsysteem"),
    }
    for (service, part), (level, system) in pinned.items():
        status = effective("item", item(service, part).pk)
        assert (status["level"], status["pinned"]) == (level, True), service
        assert [chain(c, names)[0] for c in status["causes"]] == [system], service


# -- the command ---------------------------------------------------------------------------


def test_it_says_what_it_loaded(demo: str) -> None:
    assert "Loaded the Antwerp demo" in demo
    assert "antwerpen: 7 domains" in demo
    assert "(all illustrative)" in demo


def test_running_it_twice_changes_nothing(demo: str) -> None:
    revision, events = current_revision(), StatusEvent.objects.count()
    output = run_demo()
    assert "The Antwerp demo is already loaded: nothing changed" in output
    assert current_revision() == revision
    assert StatusEvent.objects.count() == events


def test_its_events_name_the_demo_as_an_import(demo: str) -> None:
    sources = set(StatusEvent.objects.values_list("actor", "source").distinct())
    assert sources == {("demo", "import")}
