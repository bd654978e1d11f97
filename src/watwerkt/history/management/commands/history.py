"""``watwerkt history rollup``: store the daily rollups of closed days (or rebuild them)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from watwerkt.catalogue.models import Organisation
from watwerkt.history import rollups
from watwerkt.status import targets
from watwerkt.status.values import parse_date


class Command(BaseCommand):
    help = (
        "Daily rollups of status history: the time each service and domain spent at "
        "each level, per local day, derived from the status events."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        rollup = actions.add_parser(
            "rollup",
            help="store every closed day not stored yet (pages do this too, on first use "
            "after midnight); with --since, recompute from that day on",
        )
        rollup.add_argument(
            "--since",
            metavar="DATE",
            help="recompute from this local day (YYYY-MM-DD) on; running it twice gives "
            "the same rows",
        )
        rollup.add_argument("--org", metavar="ID", help="one organisation (default: every one)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            since = parse_date(options["since"]) if options["since"] else None
            orgs = (
                [targets.organisation(options["org"])]
                if options["org"]
                else list(Organisation.objects.all())
            )
        except (ValueError, targets.TargetError) as exc:
            raise CommandError(str(exc)) from None
        now = timezone.now()
        for org in orgs:  # check them all first: a refusal changes nothing
            last = rollups.yesterday(org.time_zone, now)
            if since is not None and since > last:
                raise CommandError(
                    f"--since {since}: only closed days are stored, and the last one "
                    f"in {org.slug} ({org.time_zone}) is {last}"
                )
        for org in orgs:
            done = rollups.store(org.id, org.time_zone, since=since, now=now)
            if done.first is None:
                what = "nothing to compute"
            else:
                what = f"computed {done.first} .. {done.through}, {done.written} rows written"
            self.stdout.write(f"{org.slug}: stored through {done.through}; {what}")
