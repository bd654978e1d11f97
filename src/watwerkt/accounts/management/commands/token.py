"""``watwerkt token add|list|revoke``: API tokens, for machines that write through the API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from watwerkt.accounts import tokens
from watwerkt.accounts.roles import Role
from watwerkt.status import targets
from watwerkt.status.writing import Actor

CLI = Actor("cli", "cli")
ROLES = ", ".join(r.value for r in Role)


class Command(BaseCommand):
    help = (
        "Manage API tokens: each acts for one organisation with one role, as a person "
        "with that role would. 'add' prints the token once; only a hash is kept, so "
        "it cannot be shown again. Clients send it as 'Authorization: Bearer TOKEN'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        add = actions.add_parser("add", help="make a token and print it, once")
        add.add_argument("org", metavar="ORG", help="organisation id")
        add.add_argument("name", metavar="NAME", help=f"what uses it ({tokens.NAME_HELP})")
        add.add_argument("--role", required=True, help=f"what it may do: {ROLES}")
        add.add_argument(
            "--expires",
            metavar="DATE",
            help="last day it works (2023-03-31), or a date and time; default: until revoked",
        )
        list_ = actions.add_parser("list", help="list tokens: id, name, role, state, last use")
        list_.add_argument("--org", help="only the tokens of this organisation")
        revoke = actions.add_parser("revoke", help="stop a token from working, at once")
        revoke.add_argument("id", metavar="ID", help="the token's id, as 'list' shows it")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"do_{options['action']}")(options)
        except (ValueError, targets.TargetError) as exc:
            raise CommandError(str(exc)) from None

    def do_add(self, options: dict[str, Any]) -> None:
        org = targets.organisation(options["org"])
        role = Role.parse(options["role"])
        expires = tokens.expiry(options["expires"], org) if options["expires"] else None
        token, secret = tokens.create(org, options["name"], role, CLI, expires_at=expires)
        ends = (
            f"expires {_when(token.expires_at, org.time_zone)} ({org.time_zone})"
            if token.expires_at
            else "works until revoked"
        )
        self.stdout.write(
            f"Added token {token.public_id} '{token.name}' ({role.value} of {org.slug}); {ends}."
        )
        self.stdout.write(f"Token: {secret}")
        self.stdout.write(
            "It is shown only this once: store it where the client reads it, "
            "and send it as 'Authorization: Bearer TOKEN'."
        )

    def do_list(self, options: dict[str, Any]) -> None:
        org = targets.organisation(options["org"]) if options["org"] else None
        rows = list(tokens.listing(org))
        if not rows:
            self.stdout.write("No tokens.")
            return
        for token in rows:
            zone = token.organisation.time_zone
            last = _when(token.last_used_at, zone) if token.last_used_at else "never"
            expires = _when(token.expires_at, zone) if token.expires_at else "-"
            self.stdout.write(
                f"{token.public_id}  {token.organisation.slug:<16} {token.name:<24} "
                f"{token.role:<7} {tokens.state(token):<8} expires {expires:<16} "
                f"last used {last}"
            )

    def do_revoke(self, options: dict[str, Any]) -> None:
        token = tokens.revoke(tokens.find(options["id"]), CLI)
        self.stdout.write(
            f"Revoked token {token.public_id} '{token.name}' of {token.organisation.slug}."
        )


def _when(moment: datetime, zone: str) -> str:
    with timezone.override(zone):
        return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"
