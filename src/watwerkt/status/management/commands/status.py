"""``watwerkt status set|show|recompute``: manual statuses of function x channel items."""

from __future__ import annotations

import argparse
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from watwerkt.engine import Level
from watwerkt.status import targets
from watwerkt.status.explain import SystemName, explain
from watwerkt.status.models import EffectiveStatus
from watwerkt.status.report import written_text
from watwerkt.status.services import recompute, set_status
from watwerkt.status.values import (
    EXPECTED_HELP,
    ManualStatus,
    parse_datetime,
    parse_expected,
    parse_qualifier,
)
from watwerkt.status.writing import Actor


class Command(BaseCommand):
    help = "Set and show the manual status of services, functions and channels."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        set_ = actions.add_parser("set", help="set the manual status of function x channels")
        set_.add_argument("target", metavar="SERVICE[/FUNCTION[/CHANNEL]]")
        set_.add_argument(
            "level", metavar="LEVEL", help="available, limited, unavailable, unknown or maintenance"
        )
        set_.add_argument(
            "--qualifier",
            "-q",
            action="append",
            default=[],
            metavar="CODE[=TEXT|DATE]",
            help="e.g. delays, except='Arenberg', started_before=2022-12-06; repeat for several",
        )
        set_.add_argument(
            "--note",
            default="",
            help="why, for the history and the audit trail; not shown publicly",
        )
        set_.add_argument(
            "--public-note",
            default="",
            metavar="TEXT",
            help="an explanation shown to residents with the status",
        )
        set_.add_argument("--expected", help=f"expected return: {EXPECTED_HELP}")
        set_.add_argument("--since", help="when the level started (default: now, or unchanged)")
        set_.add_argument(
            "--pin", action="store_true", help="hold this level whatever the systems below say"
        )
        show = actions.add_parser("show", help="show effective statuses and why")
        show.add_argument("target", metavar="SERVICE[/FUNCTION[/CHANNEL]]")
        show.add_argument("--json", action="store_true")
        actions.add_parser(
            "recompute",
            help="recompute every effective status and store the differences (a repair tool)",
        )
        for sub in (set_, show):
            sub.add_argument("--org", help="organisation id (needed when there are several)")
            sub.add_argument("--actor", default="cli", help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"do_{options['action']}")(options)
        except (ValueError, targets.TargetError) as exc:
            raise CommandError(str(exc)) from None

    def do_set(self, options: dict[str, Any]) -> None:
        org = targets.organisation(options["org"])
        items = targets.items(org, options["target"])
        status = ManualStatus(
            level=Level.parse(options["level"]),
            qualifiers=tuple(parse_qualifier(q, org.language) for q in options["qualifier"]),
            since=parse_datetime(options["since"]) if options["since"] else None,
            expected=parse_expected(options["expected"]) if options["expected"] else None,
            pinned=options["pin"],
            note={org.language: options["public_note"]} if options["public_note"] else {},
        )
        done = set_status(items, status, Actor(options["actor"], "cli"), options["note"])
        self.stdout.write(written_text(done))

    def do_show(self, options: dict[str, Any]) -> None:
        org = targets.organisation(options["org"])
        items = targets.items(org, options["target"])
        values = dict(
            EffectiveStatus.objects.filter(
                subject="item", object_id__in=[i.pk for i in items]
            ).values_list("object_id", "value")
        )
        names = {
            s.pk: SystemName(org.text(s.name, org.language).text or s.slug, True)
            for s in org.systems.all()
        }
        rows = []
        for item in items:
            value = values.get(item.pk)
            path = "/".join(
                [
                    options["target"].split("/")[0],
                    item.function.slug or "-",
                    item.channel.slug if item.channel else "-",
                ]
            )
            text = explain(value, names, public=False) if value else "not computed yet"
            rows.append({"path": path, "status": value, "explanation": text})
        if options["json"]:
            self.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False))
        else:
            self.stdout.write("\n".join(f"{r['path']}: {r['explanation']}" for r in rows))

    def do_recompute(self, options: dict[str, Any]) -> None:
        changed = recompute(Actor("cli", "cli"), "recompute")
        self.stdout.write(f"{len(changed)} effective statuses corrected")
