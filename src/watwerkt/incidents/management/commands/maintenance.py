"""``watwerkt maintenance ...``: planned maintenance windows."""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from watwerkt.catalogue.models import Organisation
from watwerkt.incidents import cli, services
from watwerkt.incidents.maintenance import STATED, state_at
from watwerkt.incidents.models import Maintenance
from watwerkt.lib.i18n import LANGUAGES
from watwerkt.status import targets
from watwerkt.status.writing import Actor

WINDOW_HELP = "the window's id (watwerkt maintenance list shows them)"
WHEN_HELP = "a date and time, e.g. 2023-03-04T22:00 (in the organisation's time zone)"


class Command(BaseCommand):
    help = "Plan, announce and call off maintenance windows."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        add = actions.add_parser("add", help="plan a window (a draft unless --publish)")
        add.add_argument("title", metavar="TITLE", help="in the organisation's language")
        add.add_argument("--from", dest="starts", required=True, metavar="WHEN", help=WHEN_HELP)
        add.add_argument("--until", dest="ends", required=True, metavar="WHEN", help=WHEN_HELP)
        add.add_argument("--slug", help="its id (default: made from the title)")
        add.add_argument("--publish", action="store_true", help="announce it at once")
        edit = actions.add_parser("edit", help="change a window, or state its progress")
        edit.add_argument("maintenance", metavar="MAINTENANCE", help=WINDOW_HELP)
        edit.add_argument("--title", metavar="TEXT", help="a new title (in --lang)")
        edit.add_argument("--from", dest="starts", metavar="WHEN", help=WHEN_HELP)
        edit.add_argument("--until", dest="ends", metavar="WHEN", help=WHEN_HELP)
        edit.add_argument("--state", help=f"{', '.join(STATED)} (forward only)")
        for sub in (add, edit):
            sub.add_argument("--description", metavar="TEXT", help="Markdown; - reads stdin")
            sub.add_argument(
                "--lang",
                choices=LANGUAGES,
                help="language of the texts given (default: the organisation's)",
            )
            sub.add_argument("--services", metavar="A,B", help="affected services ('' for none)")
            sub.add_argument("--systems", metavar="X,Y", help="affected systems ('' for none)")
        publish = actions.add_parser("publish", help="announce a window")
        publish.add_argument("maintenance", metavar="MAINTENANCE", help=WINDOW_HELP)
        cancel = actions.add_parser("cancel", help="call a window off (it stays, as cancelled)")
        cancel.add_argument("maintenance", metavar="MAINTENANCE", help=WINDOW_HELP)
        cancel.add_argument("--note", default="", help="why; kept in the audit trail")
        list_ = actions.add_parser("list", help="list windows and their state now")
        for sub in (add, edit, publish, cancel, list_):
            sub.add_argument("--org", help="organisation id (needed when there are several)")
            sub.add_argument("--actor", default="cli", help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            org = targets.organisation(options["org"])
            self.actor = Actor(options["actor"], "cli")
            getattr(self, f"do_{options['action']}")(org, options)
        except (ValueError, targets.TargetError) as exc:
            raise CommandError(str(exc)) from None

    def _text(self, org: Organisation, options: dict[str, Any], name: str) -> dict[str, str] | None:
        value = options[name]
        return None if value is None else {options["lang"] or org.language: cli.text(value)}

    def do_add(self, org: Organisation, options: dict[str, Any]) -> None:
        starts = cli.required_moment(org, options["starts"])
        ends = cli.required_moment(org, options["ends"])
        window = services.create_maintenance(
            org,
            self._text(org, options, "title") or {},
            starts,
            ends,
            self.actor,
            slug=options["slug"],
            description=self._text(org, options, "description"),
            services=cli.services(org, options["services"]) or (),
            systems=cli.systems(org, options["systems"]) or (),
            publish=options["publish"],
        )
        state = "published" if options["publish"] else "draft"
        self.stdout.write(f"planned {org.slug}/{window.slug} ({state})")

    def do_edit(self, org: Organisation, options: dict[str, Any]) -> None:
        window = cli.maintenance(org, options["maintenance"])
        services.edit_maintenance(
            window,
            self.actor,
            title=self._text(org, options, "title"),
            description=self._text(org, options, "description"),
            starts=cli.moment(org, options["starts"]),
            ends=cli.moment(org, options["ends"]),
            services=cli.services(org, options["services"]),
            systems=cli.systems(org, options["systems"]),
            state=options["state"],
        )
        self.stdout.write(f"{org.slug}/{window.slug}: {state_at(window, timezone.now())}")

    def do_publish(self, org: Organisation, options: dict[str, Any]) -> None:
        window = services.publish_maintenance(
            cli.maintenance(org, options["maintenance"]), self.actor
        )
        self.stdout.write(f"published {org.slug}/{window.slug}")

    def do_cancel(self, org: Organisation, options: dict[str, Any]) -> None:
        window = cli.maintenance(org, options["maintenance"])
        services.cancel_maintenance(window, self.actor, options["note"])
        self.stdout.write(f"cancelled {org.slug}/{window.slug}")

    def do_list(self, org: Organisation, options: dict[str, Any]) -> None:
        now = timezone.now()
        for window in Maintenance.objects.filter(organisation=org):
            state = "cancelled" if window.cancelled_at else state_at(window, now)
            shown = "published" if window.published_at else "draft"
            title = org.text(window.title, org.language).text
            self.stdout.write(
                f"{window.slug:<24} {state:<12} {shown:<9} {cli.when(window.scheduled_for, org)}"
                f" - {cli.when(window.scheduled_until, org)}  {title}"
            )
