"""``watwerkt user add|role|disable|enable|password|reset-2fa|unlock|list``: who may
use the console, and with which role in which organisation."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from watwerkt.accounts import services
from watwerkt.accounts.roles import Role
from watwerkt.status import targets
from watwerkt.status.writing import Actor

CLI = Actor("cli", "cli")
ROLES = ", ".join(r.value for r in Role)


class Command(BaseCommand):
    help = (
        "Manage the people who use the console. Passwords are never typed on the command "
        "line: 'add' and 'password' print a random one-time password, which the person "
        "replaces at their first sign-in."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        add = actions.add_parser("add", help="add a person and print a one-time password")
        add.add_argument("username", metavar="USERNAME")
        add.add_argument("--email", default="", help="e-mail address")
        add.add_argument("--org", help="organisation id to give a role in (with --role)")
        add.add_argument("--role", help=f"role in --org: {ROLES}")
        role = actions.add_parser("role", help="set or remove a person's role in an organisation")
        role.add_argument("username", metavar="USERNAME")
        role.add_argument("org", metavar="ORG", help="organisation id")
        role.add_argument("role", metavar="ROLE", help=f"{ROLES}, or none to remove it")
        for name, text in [
            ("disable", "stop a person from signing in, and end their sessions"),
            ("enable", "let a disabled person sign in again"),
            ("password", "print a new one-time password (a forgotten password)"),
            ("reset-2fa", "forget a person's authenticator app; they set up a new one"),
            ("unlock", "lift a lockout after too many failed sign-ins"),
        ]:
            actions.add_parser(name, help=text).add_argument("username", metavar="USERNAME")
        actions.add_parser("list", help="list every person, their roles and second factor")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"].replace("-", "_")
        try:
            with translation.override("en"):  # Django's own messages, like ours, in English
                getattr(self, f"do_{action}")(options)
        except (ValueError, targets.TargetError) as exc:
            raise CommandError(str(exc)) from None

    def do_add(self, options: dict[str, Any]) -> None:
        org = targets.organisation(options["org"]) if options["org"] else None
        role = Role.parse(options["role"]) if options["role"] else None
        user, password = services.add_user(
            options["username"], CLI, email=options["email"], organisation=org, role=role
        )
        where = f" ({role.value} of {org.slug})" if org and role else ""
        self.stdout.write(f"Added {user.username}{where}.")
        self._password(password)

    def do_role(self, options: dict[str, Any]) -> None:
        user = services.find_user(options["username"])
        org = targets.organisation(options["org"])
        word = options["role"].strip().lower()
        role = None if word == "none" else Role.parse(word)
        changed = services.set_role(user, org, role, CLI)
        now = f"{role.value} of {org.slug}" if role else f"no role in {org.slug}"
        self.stdout.write(f"{user.username}: {now}" + ("" if changed else " (unchanged)"))

    def do_disable(self, options: dict[str, Any]) -> None:
        user = services.find_user(options["username"])
        ended = services.disable_user(user, CLI)
        self.stdout.write(f"Disabled {user.username}; ended {ended} session(s).")

    def do_enable(self, options: dict[str, Any]) -> None:
        user = services.find_user(options["username"])
        services.enable_user(user, CLI)
        self.stdout.write(f"Enabled {user.username}.")

    def do_password(self, options: dict[str, Any]) -> None:
        user = services.find_user(options["username"])
        self._password(services.issue_password(user, CLI))

    def do_reset_2fa(self, options: dict[str, Any]) -> None:
        user = services.find_user(options["username"])
        services.reset_second_factor(user, CLI)
        self.stdout.write(
            f"Removed the authenticator of {user.username}; they set up a new one at the "
            "next sign-in."
        )

    def do_unlock(self, options: dict[str, Any]) -> None:
        user = services.find_user(options["username"])
        cleared = services.unlock(user, CLI)
        self.stdout.write(f"Unlocked {user.username} ({cleared} lockout record(s) cleared).")

    def do_list(self, options: dict[str, Any]) -> None:
        from django.contrib.auth import get_user_model

        for user in get_user_model().objects.order_by("username"):
            row = services.describe(user)
            flags = [] if row["active"] else ["disabled"]
            flags.append("2fa" if row["second_factor"] else "no 2fa")
            roles = ", ".join(row["roles"]) or "no role"
            last = f"{row['last_login']:%Y-%m-%d %H:%M}" if row["last_login"] else "never"
            self.stdout.write(
                f"{row['username']:<24} {roles:<36} {' '.join(flags):<16} last login {last}"
            )

    def _password(self, password: str) -> None:
        self.stdout.write(f"One-time password: {password}")
        self.stdout.write(
            "Pass it on privately; the console asks for a new password at first sign-in."
        )
