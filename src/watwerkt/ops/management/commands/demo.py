"""``watwerkt demo``: load the Antwerp demo, or a large synthetic catalogue.

Both go through the catalogue import, like any other catalogue file, so the
demo proves the import as much as it shows the product. Running the command
again changes nothing in the catalogue; the Antwerp demo also (re)creates the
console user ``demo-admin`` with a new one-time password, printed at the end,
and creates its illustrative incident once (:mod:`watwerkt.ops.demo.incident`).
"""

from __future__ import annotations

import time
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from watwerkt.accounts.services import ensure_demo_admin
from watwerkt.authoring.importer import CatalogueInvalid, ImportReport, import_catalogue
from watwerkt.authoring.synthetic import ORGANISATION as SYNTHETIC
from watwerkt.authoring.synthetic import Sizes, generate
from watwerkt.authoring.yamlio import dump_yaml
from watwerkt.catalogue.models import FunctionChannel, Organisation, System
from watwerkt.engine import LEVEL_WORDS
from watwerkt.ops.demo.incident import demo_spec, ensure_demo_incident
from watwerkt.status.models import EffectiveStatus
from watwerkt.status.writing import Actor

DEMO_FILE = "antwerpen.yaml"
DEMO_ORGANISATION = "antwerpen"
DEMO_ACTOR = Actor("demo", "import")


def demo_text() -> str:
    """The Antwerp demo catalogue as shipped in the package."""
    return resources.files("watwerkt.ops.demo").joinpath(DEMO_FILE).read_text("utf-8")


class Command(BaseCommand):
    help = (
        "Load the demo: the services of Antwerp in early February 2023, two months after "
        "the ransomware attack (illustrative systems), with an illustrative incident page. "
        "With --synthetic N, build and load "
        "a synthetic catalogue of N services instead, as organisation 'synthetic'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--synthetic",
            type=int,
            metavar="N",
            help="build a synthetic catalogue of N services (2N function x channels)",
        )
        parser.add_argument(
            "--synthetic-systems",
            type=int,
            metavar="N",
            help="systems in the synthetic catalogue (default: services / 10)",
        )
        parser.add_argument(
            "--synthetic-dependencies",
            type=int,
            metavar="N",
            help="dependencies in the synthetic catalogue (default: 4 x services)",
        )
        parser.add_argument(
            "--seed", type=int, default=2022, help="seed of the synthetic catalogue"
        )
        parser.add_argument(
            "--write",
            metavar="FILE",
            help="write the synthetic catalogue as YAML to FILE instead of importing it",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["synthetic"] is None:
            extra = [
                f"--{name.replace('_', '-')}"
                for name in ("synthetic_systems", "synthetic_dependencies", "write")
                if options[name] is not None
            ]
            if extra:
                raise CommandError(f"{', '.join(extra)} needs --synthetic N")
            self.load(demo_text(), "antwerpen.yaml", DEMO_ORGANISATION, "the Antwerp demo")
            self.demo_incident()
            self.demo_admin()
            return
        try:
            sizes = Sizes.for_services(
                options["synthetic"],
                options["synthetic_systems"],
                options["synthetic_dependencies"],
            )
            started = time.perf_counter()
            catalogue, counts = generate(sizes, seed=options["seed"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Generated {counts.services:,} services, {counts.items:,} function x channels, "
            f"{counts.systems:,} systems and {counts.dependencies:,} dependencies "
            f"(seed {options['seed']}) in {time.perf_counter() - started:.1f} s."
        )
        if options["write"]:
            try:
                Path(options["write"]).write_text(dump_yaml(catalogue), encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"cannot write {options['write']}: {exc.strerror}") from None
            self.stdout.write(f"Wrote {options['write']}.")
            return
        self.load(catalogue, "<synthetic>", SYNTHETIC, "the synthetic catalogue")

    def load(self, source: str | dict[str, Any], filename: str, slug: str, what: str) -> None:
        started = time.perf_counter()
        try:
            report = import_catalogue(source, filename=filename, actor=DEMO_ACTOR)
        except CatalogueInvalid as exc:
            raise CommandError(f"{what} does not validate:\n{exc}") from None
        took = time.perf_counter() - started
        if report.changed:
            self.stdout.write(
                f"Loaded {what} in {took:.1f} s (revision {report.revision}): {changes(report)}."
            )
        else:
            self.stdout.write(
                f"{what[0].upper()}{what[1:]} is already loaded: nothing changed "
                f"(revision {report.revision}, checked in {took:.1f} s)."
            )
        self.stdout.write(summary(Organisation.objects.get(slug=slug)))

    def demo_incident(self) -> None:
        """The illustrative incident "Cyberaanval op de stad", made once (docs/demo.md)."""
        org = Organisation.objects.get(slug=DEMO_ORGANISATION)
        created = ensure_demo_incident(org, DEMO_ACTOR)
        if created is None and org.incidents.filter(slug=demo_spec()["id"]).exists():
            self.stdout.write("The demo incident is already there: nothing changed.")
        elif created is None:
            self.stdout.write("The demo incident is dated after the current time: left out.")
        else:
            updates, targets = created.updates.count(), created.targets.count()
            self.stdout.write(
                f"Created the demo incident {org.slug}/{created.slug} "
                f"({updates} updates, {targets} recovery targets; illustrative)."
            )

    def demo_admin(self) -> None:
        """A console admin for the demo, with a new random password on every run:
        a demo that is reachable by others must never have a known password."""
        org = Organisation.objects.get(slug=DEMO_ORGANISATION)
        user, password = ensure_demo_admin(org, DEMO_ACTOR)
        self.stdout.write(
            f"\nConsole: /console/ as {user.username} (admin of {org.slug}), "
            f"one-time password: {password}\n"
            "At first sign-in the console asks for your own password and sets up an "
            "authenticator app."
        )


def changes(report: ImportReport) -> str:
    """``services +62, systems +30 ~1, ...``: created, updated, removed per kind touched."""
    parts = [
        f"{kind} " + " ".join(f"{sign}{n}" for sign, n in zip("+~-", counts, strict=True) if n)
        for kind, counts in report.counts().items()
        if any(counts)
    ]
    if report.statuses:
        parts.append(f"{len(report.statuses)} statuses set")
    return ", ".join(parts) or "statuses recomputed"


def summary(org: Organisation) -> str:
    """What an organisation holds, and how its services are doing."""
    services = org.services.count()
    items = FunctionChannel.objects.filter(function__service__organisation=org).count()
    systems = System.objects.filter(organisation=org)
    illustrative = systems.filter(illustrative=True).count()
    levels = Counter(
        value["level"]
        for value in EffectiveStatus.objects.filter(
            organisation=org, subject="service"
        ).values_list("value", flat=True)
    )
    by_level = ", ".join(f"{levels[w]} {w}" for w in LEVEL_WORDS if levels[w])
    marked = " (all illustrative)" if illustrative == systems.count() else ""
    return (
        f"{org.slug}: {org.domains.count()} domains, {services:,} services, "
        f"{items:,} function x channels, {systems.count():,} systems{marked}.\n"
        f"services: {by_level or 'none'}"
    )
