"""Build catalogues in the database directly, for tests that are not about the import."""

from __future__ import annotations

from dataclasses import dataclass, field

from watwerkt.catalogue.models import (
    Channel,
    Dependency,
    Domain,
    Function,
    FunctionChannel,
    Organisation,
    Service,
    System,
)
from watwerkt.status.services import recompute
from watwerkt.status.writing import Actor

TEST_ACTOR = Actor("test", "cli")


def org(slug: str = "stad", name: str = "Stad") -> Organisation:
    return Organisation.objects.create(slug=slug, name={"nl": name})


def channel(organisation: Organisation, slug: str, kind: str = "online") -> Channel:
    return Channel.objects.create(
        organisation=organisation, slug=slug, kind=kind, name={"nl": slug.title()}
    )


def domain(organisation: Organisation, slug: str, position: int = 0) -> Domain:
    return Domain.objects.create(
        organisation=organisation, slug=slug, name={"nl": slug.title()}, position=position
    )


def service(in_domain: Domain, slug: str, name: str = "") -> Service:
    return Service.objects.create(
        organisation=in_domain.organisation,
        domain=in_domain,
        slug=slug,
        name={"nl": name or slug.title()},
    )


def function(
    of: Service, slug: str = "", channels: list[Channel | None] | None = None
) -> tuple[Function, list[FunctionChannel]]:
    fn = Function.objects.create(service=of, slug=slug, name={"nl": slug.title()} if slug else {})
    items = [
        FunctionChannel.objects.create(function=fn, channel=ch, position=i)
        for i, ch in enumerate(channels or [None])
    ]
    return fn, items


def system(
    organisation: Organisation,
    slug: str,
    depends: list[System] = (),  # type: ignore[assignment]
    kind: str = "hard",
) -> System:
    sys_ = System.objects.create(organisation=organisation, slug=slug, name={"nl": slug.title()})
    for upstream in depends:
        Dependency.objects.create(system=upstream, dependent_system=sys_, kind=kind)
    return sys_


@dataclass
class Catalogue:
    org: Organisation
    systems: dict[str, System] = field(default_factory=dict)
    services: dict[str, Service] = field(default_factory=dict)
    items: dict[str, FunctionChannel] = field(default_factory=dict)
    channels: dict[str, Channel] = field(default_factory=dict)


def build_small_catalogue() -> Catalogue:
    """stad: sport/sporthal (book online | phone), sport/materiaal (one item),
    loketten/reispas (aanvragen at counter, afhalen at counter).
    sporthal and materiaal depend hard on 'reservatie', which depends hard on
    'datacenter'; reispas/afhalen depends soft on 'register'."""
    o = org()
    online, phone, counter = (
        channel(o, "online"),
        channel(o, "telefoon", "phone"),
        channel(o, "loket", "counter"),
    )
    dc = system(o, "datacenter")
    res = system(o, "reservatie", [dc])
    reg = system(o, "register")
    sport, loket = domain(o, "sport", 1), domain(o, "loketten", 0)
    hal, mat, pas = (
        service(sport, "sporthal"),
        service(sport, "materiaal"),
        service(loket, "reispas"),
    )
    _, (hal_online, hal_phone) = function(hal, "boeken", [online, phone])
    _, (mat_any,) = function(mat)
    _, (pas_apply,) = function(pas, "aanvragen", [counter])
    afhalen, (pas_pick,) = function(pas, "afhalen", [counter])
    Dependency.objects.create(system=res, service=hal)
    Dependency.objects.create(system=res, service=mat)
    Dependency.objects.create(system=reg, function=afhalen, kind="soft")
    recompute(TEST_ACTOR)
    return Catalogue(
        o,
        {"datacenter": dc, "reservatie": res, "register": reg},
        {"sporthal": hal, "materiaal": mat, "reispas": pas},
        {
            "hal_online": hal_online,
            "hal_phone": hal_phone,
            "mat": mat_any,
            "pas_apply": pas_apply,
            "pas_pick": pas_pick,
        },
        {"online": online, "telefoon": phone, "loket": counter},
    )
