"""API tokens: made with a secret shown once, kept as a hash, checked, touched, revoked, expired."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.factories import Catalogue, org
from watwerkt.accounts import tokens
from watwerkt.accounts.models import ApiToken
from watwerkt.accounts.permissions import can
from watwerkt.accounts.roles import Role
from watwerkt.audit.models import AuditEntry
from watwerkt.status.writing import Actor

ADMIN = Actor("ada", "console")


def make(
    catalogue: Catalogue, name: str = "monitor", role: Role = Role.EDITOR
) -> tuple[ApiToken, str]:
    return tokens.create(catalogue.org, name, role, ADMIN)


def test_the_secret_is_shown_once_and_only_its_hash_is_kept(small: Catalogue) -> None:
    token, raw = make(small)
    assert raw.startswith(f"ww_{token.public_id}_")
    assert len(raw) == 3 + 12 + 1 + 43
    row = ApiToken.objects.values().get(pk=token.pk)
    secret = raw[16:]  # after ww_ and the public id
    assert all(secret not in str(value) for value in row.values())
    assert row["secret_hash"] == hashlib.sha256(raw.encode()).hexdigest()


def test_two_tokens_never_share_a_secret_or_an_id(small: Catalogue) -> None:
    first, raw1 = make(small, "a")
    second, raw2 = make(small, "b")
    assert raw1 != raw2
    assert first.public_id != second.public_id


def test_making_and_revoking_is_audited_without_the_secret(small: Catalogue) -> None:
    token, raw = make(small)
    tokens.revoke(token, Actor("cli", "cli"))
    entries = list(AuditEntry.objects.filter(target_type="accounts.apitoken").order_by("id"))
    assert [(e.action, e.actor, e.source) for e in entries] == [
        ("token.create", "ada", "console"),
        ("token.revoke", "cli", "cli"),
    ]
    assert entries[0].target == "stad/monitor"
    assert entries[0].after["role"] == "editor"
    text = json.dumps([e.after for e in entries] + [e.before for e in entries])
    assert raw[16:] not in text
    assert token.secret_hash not in text


def test_a_valid_token_is_its_principal_with_one_role_in_one_organisation(small: Catalogue) -> None:
    _, raw = make(small, role=Role.EDITOR)
    checked = tokens.check(raw)
    assert checked.refusal is None
    principal = checked.principal
    assert (principal.name, principal.source) == ("monitor", "api")
    assert can(principal, "edit", small.org)
    assert not can(principal, "admin", small.org)
    assert not can(principal, "view", org("elders"))


@pytest.mark.parametrize(
    ("mangle", "refusal"),
    [
        (lambda raw: raw[:-1] + ("A" if raw[-1] != "A" else "B"), tokens.Refusal.UNKNOWN),
        (lambda raw: "ww_aaaaaaaaaaaa_" + raw[16:], tokens.Refusal.UNKNOWN),
        (lambda raw: raw[3:], tokens.Refusal.MALFORMED),
        (lambda raw: raw + "x", tokens.Refusal.MALFORMED),
        (lambda raw: "", tokens.Refusal.MALFORMED),
    ],
)
def test_a_wrong_token_is_refused(small: Catalogue, mangle: object, refusal: str) -> None:
    _, raw = make(small)
    assert callable(mangle)
    checked = tokens.check(mangle(raw))
    assert (checked.token, checked.refusal) == (None, refusal)


def test_a_revoked_token_stops_working_at_once(small: Catalogue) -> None:
    token, raw = make(small)
    tokens.revoke(token, ADMIN)
    assert tokens.check(raw).refusal == tokens.Refusal.REVOKED
    with pytest.raises(tokens.TokenError, match="already revoked"):
        tokens.revoke(token, ADMIN)
    assert tokens.state(ApiToken.objects.get(pk=token.pk)) == "revoked"


def test_an_expiry_date_means_through_that_day_in_the_organisations_time_zone(
    small: Catalogue,
) -> None:
    with time_machine.travel(datetime(2023, 1, 10, 12, tzinfo=UTC), tick=False):
        ends = tokens.expiry("2023-01-31", small.org)
        assert ends == datetime(2023, 1, 31, 23, tzinfo=UTC)  # midnight in Brussels
        assert tokens.expiry(date(2023, 1, 31), small.org) == ends
        token, raw = tokens.create(small.org, "tijdelijk", Role.EDITOR, ADMIN, expires_at=ends)
        assert tokens.check(raw).token == token
    with time_machine.travel(datetime(2023, 1, 31, 22, 59, tzinfo=UTC), tick=False):
        assert tokens.check(raw).token == token
    with time_machine.travel(datetime(2023, 1, 31, 23, 0, tzinfo=UTC), tick=False):
        assert tokens.check(raw).refusal == tokens.Refusal.EXPIRED
        assert tokens.state(ApiToken.objects.get(pk=token.pk)) == "expired"


def test_an_expiry_in_the_past_is_refused(small: Catalogue) -> None:
    with pytest.raises(tokens.TokenError, match="past"):
        tokens.create(small.org, "oud", Role.EDITOR, ADMIN, expires_at=timezone.now())
    assert not ApiToken.objects.exists()


def test_the_last_use_is_recorded_at_most_once_a_minute(small: Catalogue) -> None:
    token, raw = make(small)
    assert token.last_used_at is None
    start = datetime(2023, 2, 1, 9, tzinfo=UTC)

    def used_at(moment: datetime) -> datetime | None:
        with time_machine.travel(moment, tick=False):
            tokens.check(raw)
        return ApiToken.objects.get(pk=token.pk).last_used_at

    assert used_at(start) == start
    assert used_at(start + timedelta(seconds=59)) == start  # no write for this use
    assert used_at(start + timedelta(seconds=61)) == start + timedelta(seconds=61)


def test_a_busy_token_costs_no_write_per_request(
    small: Catalogue, django_assert_num_queries: object
) -> None:
    _, raw = make(small)
    tokens.check(raw)
    assert callable(django_assert_num_queries)
    with django_assert_num_queries(1):  # the lookup; no UPDATE within the minute
        tokens.check(raw)


def test_names_stay_with_their_token_in_an_organisation(small: Catalogue) -> None:
    token, _ = make(small, "monitor")
    tokens.revoke(token, ADMIN)
    with pytest.raises(tokens.TokenError, match="already has a token named 'monitor'"):
        make(small, "monitor")
    other = org("elders")
    assert tokens.create(other, "monitor", Role.EDITOR, ADMIN)[0].organisation == other


@pytest.mark.parametrize("name", ["", " ", "a/b", "x" * 101, "-begint-met-streepje", "é"])
def test_a_name_must_be_plain(small: Catalogue, name: str) -> None:
    with pytest.raises(tokens.TokenError, match="token name"):
        make(small, name)


# -- the command line ---------------------------------------------------------------------


def run(*args: str) -> str:
    out = StringIO()
    call_command("token", *args, stdout=out)
    return out.getvalue()


def test_token_add_prints_the_token_once_and_list_never_does(small: Catalogue) -> None:
    out = run("add", "stad", "website", "--role", "editor", "--expires", "2099-12-31")
    raw = next(line for line in out.splitlines() if line.startswith("Token: "))[7:]
    token = ApiToken.objects.get(name="website")
    assert token.created_by == "cli"
    assert "expires 2100-01-01 00:00 (Europe/Brussels)" in out
    listing = run("list")
    assert token.public_id in listing
    assert "website  " in listing
    assert " active " in listing
    assert raw[16:] not in listing
    assert "last used never" in listing
    assert run("list", "--org", "stad") == listing
    assert tokens.check(raw).token == token
    assert "last used never" not in run("list")


def test_token_revoke_by_id(small: Catalogue) -> None:
    token, raw = make(small)
    assert "Revoked token" in run("revoke", token.public_id)
    assert tokens.check(raw).refusal == tokens.Refusal.REVOKED
    assert "revoked" in run("list")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "nergens", "x", "--role", "editor"), "unknown organisation"),
        (("add", "stad", "x", "--role", "baas"), "unknown role"),
        (("add", "stad", "x", "--role", "editor", "--expires", "2023-02-30"), "impossible date"),
        (("add", "stad", "x", "--role", "editor", "--expires", "2001-01-01"), "past"),
        (("revoke", "bestaatniet1"), "no token with id"),
    ],
)
def test_token_command_errors_change_nothing(
    small: Catalogue, args: tuple[str, ...], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not ApiToken.objects.exists()
