"""``watwerkt system set|list``: the state of back-end systems."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from watwerkt.engine import SYSTEM_WORDS, SystemState
from watwerkt.status import targets
from watwerkt.status.report import PUBLIC_SUBJECTS, change_lines, format_lines, written_text
from watwerkt.status.services import SystemChange, preview_system, set_system
from watwerkt.status.values import EXPECTED_HELP, parse_datetime, parse_expected
from watwerkt.status.writing import Actor


class Command(BaseCommand):
    help = "Set and list the state of back-end systems."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        set_ = actions.add_parser("set", help="set a system up, degraded, maintenance or down")
        set_.add_argument("system", metavar="[ORGANISATION/]SYSTEM")
        set_.add_argument("state", metavar="STATE", help=", ".join(SYSTEM_WORDS))
        set_.add_argument("--note", default="", help="why; kept with the event")
        set_.add_argument("--expected", help=f"expected back: {EXPECTED_HELP}")
        set_.add_argument("--since", help="when the state started (default: now)")
        set_.add_argument(
            "--dry-run",
            action="store_true",
            help="print every public status that would change, and change nothing",
        )
        list_ = actions.add_parser("list", help="list systems and their states")
        for sub in (set_, list_):
            sub.add_argument("--org", help="organisation id (needed when there are several)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"do_{options['action']}")(options)
        except (ValueError, targets.TargetError) as exc:
            raise CommandError(str(exc)) from None

    def do_set(self, options: dict[str, Any]) -> None:
        org = targets.organisation(options["org"]) if options["org"] else None
        system = targets.system(org, options["system"])
        owner = system.organisation
        change = SystemChange(
            SystemState.parse(options["state"]),
            since=parse_datetime(options["since"]) if options["since"] else None,
            expected=parse_expected(options["expected"]) if options["expected"] else None,
            note={owner.language: options["note"]} if options["note"] else {},
        )
        if options["dry_run"]:
            lines = [
                line
                for line in change_lines(preview_system(system, change).changes)
                if line.subject in PUBLIC_SUBJECTS
            ]
            self.stdout.write(f"dry run: {owner.slug}/{system.slug} -> {change.state.word}")
            self.stdout.write(format_lines(lines))
            return
        done = set_system(system, change, Actor("cli", "cli"), options["note"])
        self.stdout.write(written_text(done))

    def do_list(self, options: dict[str, Any]) -> None:
        org = targets.organisation(options["org"])
        for system in org.systems.all():
            since = f" since {system.since:%Y-%m-%d %H:%M}" if system.since else ""
            name = org.text(system.name, org.language).text
            self.stdout.write(f"{system.slug:<24} {system.state:<12} {name}{since}")
