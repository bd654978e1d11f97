"""A large, made-up catalogue for load tests and benchmarks.

:func:`generate` builds a catalogue in the YAML format of ``docs/catalogue.md``
(as the parsed mapping ``import_catalogue`` accepts) for one organisation,
``synthetic`` by default: domains, services with one to three functions of one
to three channels each, systems in layers that depend only on layers below
them (so there are never cycles), dependencies spread over services, functions
and channel entries, and a mix of levels, qualifiers and alternatives roughly
like the middle of a long recovery.

The same seed and sizes always give the same catalogue, so figures measured on
it can be compared between runs and machines. :mod:`.synthetic_inputs` turns
the mapping into the engine's :class:`~watwerkt.engine.Inputs` without a
database, for ``bench/engine.py``.

This module imports no Django: the engine benchmark uses it as plain Python.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

ORGANISATION = "synthetic"
TIME_ZONE = ZoneInfo("Europe/Brussels")
OUTAGE_START = datetime(2022, 12, 6, 6, 0, tzinfo=TIME_ZONE)
AS_OF = datetime(2023, 2, 3, 9, 0, tzinfo=TIME_ZONE)

# (id, kind, name): the ways people reach a function.
CHANNELS = [
    ("e-loket", "online", "E-loket"),
    ("website", "online", "Website"),
    ("app", "app", "App"),
    ("telefoon", "phone", "Telefoon"),
    ("e-mail", "email", "E-mail"),
    ("post", "post", "Post"),
    ("loket", "counter", "Loket"),
    ("kiosk", "kiosk", "Zelfbedieningszuil"),
    ("afspraak", "appointment", "Op afspraak"),
    ("zonder-afspraak", "walk_in", "Zonder afspraak"),
    ("bancontact", "card", "Bancontact"),
    ("cash", "cash", "Contant"),
    ("overschrijving", "transfer", "Overschrijving"),
]

DOMAIN_NAMES = [
    "Loketten",
    "Kinderopvang",
    "Wonen en bouwen",
    "Afval en recyclage",
    "Cultuur",
    "Sport",
    "Bibliotheken",
    "Mobiliteit",
    "Parkeren",
    "Onderwijs",
    "Welzijn",
    "Zorg",
    "Werk",
    "Ondernemen",
    "Belastingen",
    "Burgerzaken",
    "Milieu",
    "Groen",
    "Evenementen",
    "Veiligheid",
    "Jeugd",
    "Senioren",
    "Integratie",
    "Erfgoed",
    "Toerisme",
    "Markten",
    "Begraafplaatsen",
    "Huisvesting",
    "Energie",
    "Andere dienstverlening",
]

SERVICE_NOUNS = [
    "attest",
    "vergunning",
    "premie",
    "toelating",
    "inschrijving",
    "melding",
    "aanvraag",
    "reservatie",
    "abonnement",
    "kaart",
    "uittreksel",
    "subsidie",
    "pas",
    "afspraak",
    "registratie",
    "tegemoetkoming",
    "keuring",
    "ticket",
    "lidmaatschap",
    "dossier",
]
SERVICE_TOPICS = [
    "bewoners",
    "handelaars",
    "verenigingen",
    "scholen",
    "zalen",
    "terrassen",
    "fietsen",
    "bomen",
    "gevels",
    "honden",
    "markten",
    "huwelijk",
    "jeugdwerk",
    "senioren",
    "sport",
    "cultuur",
    "water",
    "energie",
    "wegenwerken",
    "kermis",
    "parkeren",
    "afval",
    "erfgoed",
]
FUNCTIONS = [
    ("aanvragen", "Aanvragen"),
    ("afhalen", "Afhalen"),
    ("betalen", "Betalen"),
    ("verlengen", "Verlengen"),
    ("wijzigen", "Wijzigen"),
    ("opzeggen", "Opzeggen"),
    ("reserveren", "Reserveren"),
    ("melden", "Melden"),
    ("raadplegen", "Raadplegen"),
    ("factuur", "Factuur ontvangen"),
]

# How many function x channel items a service has: mostly one or two.
ITEM_WEIGHTS = {1: 46, 2: 30, 3: 11, 4: 6, 5: 2, 6: 2, 7: 1, 8: 1, 9: 1}

# Systems in layers; each layer depends only on layers before it.
LAYERS = [
    ("infrastructure", 0.05, "Infrastructuur"),
    ("platform", 0.15, "Platform"),
    ("application", 0.40, "Toepassing"),
    ("application", 0.40, "Vaktoepassing"),
]

# Where a dependency is declared: on the service, a function, or one channel entry.
PLACES = (("service", 25), ("function", 25), ("channel", 50))


@dataclass(frozen=True)
class Sizes:
    """How big the catalogue is. :meth:`for_services` scales the defaults with N."""

    services: int
    systems: int
    dependencies: int
    items: int

    @classmethod
    def for_services(
        cls, services: int, systems: int | None = None, dependencies: int | None = None
    ) -> Sizes:
        """N services give 2N function x channel items, N/10 systems, 4N dependencies."""
        return cls(
            services,
            systems if systems is not None else max(4, round(services / 10)),
            dependencies if dependencies is not None else 4 * services,
            2 * services,
        )

    def check(self) -> None:
        if self.services < 1:
            raise ValueError("a synthetic catalogue needs at least one service")
        if self.systems < 1:
            raise ValueError("a synthetic catalogue needs at least one system")
        if not self.services <= self.items <= 9 * self.services:
            raise ValueError("items must lie between 1 and 9 per service")
        if self.dependencies < 0:
            raise ValueError("the number of dependencies cannot be negative")


@dataclass(frozen=True)
class Counts:
    """What :func:`generate` actually built."""

    domains: int
    services: int
    functions: int
    items: int
    systems: int
    system_dependencies: int
    item_dependencies: int

    @property
    def dependencies(self) -> int:
        return self.system_dependencies + self.item_dependencies


def _pick(rng: random.Random, weights: dict[Any, int] | Sequence[tuple[Any, int]]) -> Any:
    pairs = list(weights.items()) if isinstance(weights, dict) else list(weights)
    return rng.choices([k for k, _ in pairs], [w for _, w in pairs])[0]


def _moment(rng: random.Random, start: datetime, end: datetime) -> str:
    span = int((end - start).total_seconds() // 60)
    when = start + timedelta(minutes=rng.randrange(span + 1))
    return when.strftime("%Y-%m-%dT%H:%M")


def _expected(rng: random.Random) -> str:
    kind = _pick(rng, {"date": 4, "month": 2, "weeks": 2, "months": 1, "none": 2})
    if kind == "date":
        return (AS_OF + timedelta(days=rng.randrange(3, 120))).strftime("%Y-%m-%d")
    if kind == "month":
        return (AS_OF + timedelta(days=rng.randrange(30, 180))).strftime("%Y-%m")
    return str(kind)


# -- systems --------------------------------------------------------------------------


def _layer_sizes(total: int) -> list[int]:
    if total < len(LAYERS):
        return [1] * total
    sizes = [max(1, math.floor(total * share)) for _, share, _ in LAYERS[:-1]]
    return [*sizes, total - sum(sizes)]


def _system_state(rng: random.Random, layer: int) -> dict[str, Any]:
    if layer == 0:  # the base came back first
        state = "up"
    elif layer == 1:  # platforms: shared by many, restored early
        state = _pick(rng, {"up": 97, "degraded": 2, "down": 1})
    else:
        state = _pick(rng, {"up": 94, "degraded": 1, "maintenance": 1, "down": 4})
    if state == "up":
        return {"state": "up"}
    status: dict[str, Any] = {"state": state, "since": _moment(rng, OUTAGE_START, AS_OF)}
    if rng.random() < 0.7:
        status["expected"] = _expected(rng)
    return status


def _systems(rng: random.Random, total: int) -> tuple[list[dict[str, Any]], list[list[str]], int]:
    """Systems by layer; returns them, the ids per layer, and how many system
    dependencies they declare."""
    systems: list[dict[str, Any]] = []
    layers: list[list[str]] = []
    declared = 0
    for layer, size in enumerate(_layer_sizes(total)):
        kind, _, label = LAYERS[min(layer, len(LAYERS) - 1)]
        ids = [f"sys-{layer}-{i:04d}" for i in range(size)]
        below = [s for lower in layers for s in lower]
        for number, sid in enumerate(ids):
            system: dict[str, Any] = {
                "id": sid,
                "name": f"{label} {layer}.{number:04d}",
                "kind": kind if not (layer == 0 and number % 4 == 3) else "external",
                "illustrative": True,
                "status": _system_state(rng, layer),
            }
            if below:
                # Mostly on the layer right below, sometimes on the base.
                near = layers[-1]
                wanted = min(len(below), _pick(rng, {1: 50, 2: 35, 3: 15}))
                chosen: list[str] = []
                while len(chosen) < wanted:
                    pool = near if rng.random() < 0.7 else below
                    candidate = rng.choice(pool)
                    if candidate not in chosen:
                        chosen.append(candidate)
                system["depends"] = [
                    c if rng.random() < 0.85 else {"system": c, "kind": "soft"} for c in chosen
                ]
                declared += len(chosen)
            systems.append(system)
        layers.append(ids)
    return systems, layers, declared


# -- services ---------------------------------------------------------------------------


def _item_counts(rng: random.Random, services: int, items: int) -> list[int]:
    """Items per service: drawn from ITEM_WEIGHTS, kept on course to exactly ``items``."""
    counts = []
    left = items
    for i in range(services):
        rest = services - i - 1
        low, high = max(1, left - 9 * rest), min(9, left - rest)
        choice = _pick(rng, {k: w for k, w in ITEM_WEIGHTS.items() if low <= k <= high} or {low: 1})
        counts.append(choice)
        left -= choice
    return counts


def _split(rng: random.Random, items: int) -> list[int]:
    """Channels per function for a service with ``items`` items: 1-3 functions of 1-3."""
    functions = rng.randint(math.ceil(items / 3), min(3, items))
    split = [1] * functions
    for _ in range(items - functions):
        split[rng.choice([i for i, n in enumerate(split) if n < 3])] += 1
    return split


def _qualifier(rng: random.Random, level: str) -> list[Any]:
    if level == "available":
        return [_pick(rng, {"delays": 5, "backlog": 2, "no_notifications": 1})]
    code = _pick(
        rng,
        {
            "delays": 6,
            "reduced_hours": 2,
            "reduced_capacity": 2,
            "appointment_only": 2,
            "manual": 2,
            "temporary_form": 1,
            "location_only": 1,
            "audience_only": 1,
            "started_before": 1,
            "read_only": 1,
        },
    )
    if code in ("location_only", "audience_only"):
        return [{"code": code, "text": "alleen " + rng.choice(SERVICE_TOPICS)}]
    if code == "started_before":
        return [{"code": code, "date": "2022-12-06"}]
    return [code]


def _status(rng: random.Random) -> dict[str, Any]:
    kind = _pick(
        rng,
        {
            "available": 62,
            "available+q": 8,
            "limited": 12,
            "unavailable": 12,
            "unknown": 3,
            "maintenance": 1,
            "pinned": 2,
        },
    )
    level = {"available+q": "available", "pinned": "limited"}.get(kind, kind)
    status: dict[str, Any] = {"level": level}
    if kind in ("available+q", "limited", "pinned"):
        status["qualifiers"] = _qualifier(rng, level)
    if kind == "pinned":
        status["qualifiers"] = ["manual"]
        status["pinned"] = True
    status["since"] = _moment(rng, OUTAGE_START, AS_OF)
    if level in ("limited", "unavailable", "unknown", "maintenance") and rng.random() < 0.6:
        status["expected"] = _expected(rng)
    return status


def _alternative(rng: random.Random, channel: str) -> dict[str, Any]:
    kind = _pick(
        rng,
        {
            "channel": 5,
            "contact": 3,
            "temporary_form": 1,
            "location": 1,
            "organisation": 1,
            "no_action": 1,
        },
    )
    alternative: dict[str, Any] = {"kind": kind}
    if kind == "channel":
        other = rng.choice([c for c, _, _ in CHANNELS if c != channel])
        alternative["channel"] = other
        alternative["text"] = f"Gebruik intussen het kanaal {other}."
    elif kind == "contact":
        alternative["phone"] = "03 000 00 00"
        alternative["hours"] = "werkdagen 9-17 uur"
        alternative["text"] = "Bel het tijdelijke contactpunt."
    elif kind == "temporary_form":
        alternative["text"] = "Vul het tijdelijke formulier in."
    elif kind == "location":
        alternative["text"] = "Ga naar een ander kantoor."
    elif kind == "organisation":
        alternative["text"] = "Een buurgemeente helpt je verder."
    else:
        alternative["text"] = "Je hoeft niets te doen."
    return alternative


def _entry(rng: random.Random, channel: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"channel": channel, "status": _status(rng)}
    if entry["status"]["level"] != "available" and rng.random() < 0.8:
        entry["alternatives"] = [_alternative(rng, channel)]
    return entry


@dataclass
class _Target:
    """Where one dependency can be declared, and which items it then covers."""

    node: dict[str, Any]
    items: list[int]


def _service(
    rng: random.Random, number: int, items: int, start: int
) -> tuple[dict[str, Any], list[_Target], list[_Target], list[_Target]]:
    """One service and the places a dependency can go (service, functions, entries)."""
    noun, topic = rng.choice(SERVICE_NOUNS), rng.choice(SERVICE_TOPICS)
    service: dict[str, Any] = {
        "id": f"dienst-{number:05d}",
        "name": f"{noun.capitalize()} {topic} {number}",
        "keywords": [noun, topic],
    }
    functions: list[dict[str, Any]] = []
    function_targets: list[_Target] = []
    entry_targets: list[_Target] = []
    next_item = start
    for position, channels in enumerate(_split(rng, items)):
        slug, name = FUNCTIONS[(number + position) % len(FUNCTIONS)]
        entries = [_entry(rng, c) for c, _, _ in rng.sample(CHANNELS, channels)]
        function = {"id": f"{slug}-{position + 1}", "name": name, "channels": entries}
        functions.append(function)
        covered = list(range(next_item, next_item + channels))
        function_targets.append(_Target(function, covered))
        entry_targets.extend(_Target(e, [i]) for e, i in zip(entries, covered, strict=True))
        next_item += channels
    service["functions"] = functions
    whole = _Target(service, list(range(start, next_item)))
    return service, [whole], function_targets, entry_targets


def _place_dependencies(
    rng: random.Random,
    targets: dict[str, list[_Target]],
    wanted: int,
    candidates: Sequence[str],
    depends_on: list[set[str]],
) -> int:
    """Declare ``wanted`` dependencies on one service's targets; never the same
    system twice for one item. Returns how many were placed."""
    placed = 0
    for _ in range(wanted * 20):
        if placed == wanted:
            break
        place = _pick(rng, [(p, w) for p, w in PLACES if targets[p]])
        target = rng.choice(targets[place])
        system = rng.choice(candidates)
        if any(system in depends_on[i] for i in target.items):
            continue
        for i in target.items:
            depends_on[i].add(system)
        dep: Any = system if rng.random() < 0.8 else {"system": system, "kind": "soft"}
        target.node.setdefault("depends", []).append(dep)
        placed += 1
    return placed


def _quotas(rng: random.Random, total: int, weights: list[int]) -> list[int]:
    """Split ``total`` over services in proportion to ``weights``, exactly."""
    whole = sum(weights)
    quotas = [total * w // whole for w in weights]
    for i in rng.sample(range(len(weights)), total - sum(quotas)):
        quotas[i] += 1
    return quotas


def generate(
    sizes: Sizes, *, seed: int = 2022, organisation: str = ORGANISATION
) -> tuple[dict[str, Any], Counts]:
    """The synthetic catalogue (a mapping in the catalogue format) and its counts."""
    sizes.check()
    rng = random.Random(seed)  # noqa: S311 - reproducible made-up data, not secrets
    systems, layers, system_deps = _systems(rng, sizes.systems)
    item_deps = sizes.dependencies - system_deps
    if item_deps < 0:
        raise ValueError(
            f"{sizes.systems} systems already declare {system_deps} dependencies between "
            f"them; ask for at least that many"
        )
    usable = [s for layer in layers[1:] for s in layer] or layers[0]
    n_domains = max(1, min(len(DOMAIN_NAMES), sizes.services // 100))
    domains: list[dict[str, Any]] = [
        {"id": f"domein-{d + 1:02d}", "name": DOMAIN_NAMES[d], "services": []}
        for d in range(n_domains)
    ]
    # Each domain leans on a handful of systems of its own, as real departments do.
    home = [rng.sample(usable, min(len(usable), 8)) for _ in domains]
    counts = _item_counts(rng, sizes.services, sizes.items)
    if item_deps > sizes.items * len(usable):
        raise ValueError("more dependencies than items x systems: raise the number of systems")
    quotas = _quotas(rng, item_deps, counts)
    depends_on: list[set[str]] = [set() for _ in range(sizes.items)]
    placed, owed, start, n_functions = 0, 0, 0, 0
    for number, (items, quota) in enumerate(zip(counts, quotas, strict=True)):
        d = number * n_domains // sizes.services
        service, whole, functions, entries = _service(rng, number + 1, items, start)
        targets = {"service": whole, "function": functions, "channel": entries}
        wanted = quota + owed
        pool = home[d] if rng.random() < 0.7 else usable
        done = _place_dependencies(rng, targets, wanted, pool, depends_on)
        if done < wanted and pool is not usable:  # the domain's own systems ran out
            done += _place_dependencies(rng, targets, wanted - done, usable, depends_on)
        owed = wanted - done  # a small service that is full hands the rest on
        placed += done
        domains[d]["services"].append(service)
        start += items
        n_functions += len(functions)
    channels = [{"id": c, "kind": k, "name": n} for c, k, n in CHANNELS]
    org = {
        "id": organisation,
        "name": {"nl": "Synthetische stad", "en": "Synthetic city"},
        "language": "nl",
        "time_zone": "Europe/Brussels",
        "channels": channels,
        "systems": systems,
        "domains": domains,
    }
    built = Counts(
        len(domains), sizes.services, n_functions, start, len(systems), system_deps, placed
    )
    return {"watwerkt": 1, "organisations": [org]}, built
