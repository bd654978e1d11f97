"""`watwerkt user ...`: people, roles, second factors; every write in the audit trail."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import Catalogue
from tests.personas import People
from watwerkt.accounts.models import Account, Membership
from watwerkt.accounts.services import one_time_password
from watwerkt.audit.models import AuditEntry


def run(*args: str) -> str:
    out = StringIO()
    call_command("user", *args, stdout=out)
    return out.getvalue()


def printed_password(output: str) -> str:
    found = re.search(r"One-time password: (\S+)", output)
    assert found, output
    return found.group(1)


def signs_in(username: str, password: str) -> bool:
    request = RequestFactory().post("/console/inloggen/")
    return authenticate(request, username=username, password=password) is not None


def test_add_prints_a_random_one_time_password_that_signs_in(small: Catalogue) -> None:
    output = run("add", "piet", "--email", "piet@stad.be", "--org", "stad", "--role", "editor")
    password = printed_password(output)
    assert "Added piet (editor of stad)." in output
    assert len(password) == 23
    assert signs_in("piet", password)
    assert Account.objects.get(user__username="piet").password_is_temporary
    assert Membership.objects.get(user__username="piet").role == "editor"
    entry = AuditEntry.objects.get(action="user.add")
    assert (entry.actor, entry.source, entry.organisation_id) == ("cli", "cli", small.org.pk)
    assert entry.after == {"username": "piet", "email": "piet@stad.be", "role": "stad:editor"}
    assert password not in str(entry.after)


def test_two_users_never_get_the_same_password(small: Catalogue) -> None:
    assert len({one_time_password() for _ in range(50)}) == 50
    first = printed_password(run("add", "een"))
    second = printed_password(run("add", "twee"))
    assert first != second


def test_a_password_is_never_taken_from_the_command_line(small: Catalogue) -> None:
    with pytest.raises(CommandError, match="unrecognized arguments: --password"):
        call_command("user", "add", "piet", "--password", "geheim123456")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "piet", "--org", "stad"), "give both an organisation and a role, or neither"),
        (("add", "piet", "--org", "stad", "--role", "boss"), "unknown role 'boss'"),
        (("add", "piet", "--org", "stadt", "--role", "viewer"), "unknown organisation 'stadt'"),
        (("add", "piet pan"), "Enter a valid username"),
        (("add", "piet", "--email", "not-an-address"), "'not-an-address': Enter a valid email"),
        (("role", "nobody", "stad", "viewer"), "unknown user 'nobody'"),
        (("disable", "nobody"), "unknown user 'nobody'"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_changes_nothing(
    small: Catalogue, args: tuple[str, ...], message: str
) -> None:
    with pytest.raises(CommandError, match=re.escape(message)):
        run(*args)
    assert not User.objects.exists()
    assert not AuditEntry.objects.exists()


def test_adding_an_existing_user_is_refused(small: Catalogue) -> None:
    run("add", "piet")
    with pytest.raises(CommandError, match="user 'piet' already exists"):
        run("add", "piet")


def test_role_sets_changes_and_removes_a_role(people: People) -> None:
    assert run("role", "viola", "stad", "editor") == "viola: editor of stad\n"
    assert run("role", "viola", "stad", "editor") == "viola: editor of stad (unchanged)\n"
    assert run("role", "viola", "elders", "viewer") == "viola: viewer of elders\n"
    assert run("role", "viola", "stad", "none") == "viola: no role in stad\n"
    assert list(
        Membership.objects.filter(user__username="viola").values_list("role", flat=True)
    ) == ["viewer"]
    changes = [
        (e.organisation_id, e.before, e.after)
        for e in AuditEntry.objects.filter(action="user.role")
    ]
    assert changes == [
        (people.org.pk, {"role": "viewer"}, {"role": "editor"}),
        (people.other.pk, {"role": None}, {"role": "viewer"}),
        (people.org.pk, {"role": "editor"}, {"role": None}),
    ]


def test_disable_stops_sign_in_and_ends_every_session(people: People) -> None:
    people.client("editor")
    people.client("editor")
    people.client("viewer")
    assert run("disable", "eddy") == "Disabled eddy; ended 2 session(s).\n"
    assert Session.objects.count() == 1
    assert not User.objects.get(username="eddy").is_active
    with pytest.raises(CommandError, match="already disabled"):
        run("disable", "eddy")
    assert run("enable", "eddy") == "Enabled eddy.\n"
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert actions == ["user.disable", "user.enable"]


def test_a_disabled_users_session_no_longer_opens_the_console(people: People) -> None:
    client = people.client("admin")
    assert client.get("/console/stad/").status_code == 200
    run("disable", "ada")
    response = client.get("/console/stad/")
    assert response.status_code == 302
    assert response["Location"].startswith("/console/inloggen/")


def test_password_issues_a_new_one_time_password(people: People) -> None:
    password = printed_password(run("password", "viola"))
    assert signs_in("viola", password)
    assert Account.objects.get(user__username="viola").password_is_temporary
    assert AuditEntry.objects.get().action == "user.password.issue"


def test_reset_2fa_forgets_the_authenticator(people: People) -> None:
    people.client("editor")
    output = run("reset-2fa", "eddy")
    assert "Removed the authenticator of eddy" in output
    assert not TOTPDevice.objects.filter(user__username="eddy").exists()
    assert not Session.objects.exists()
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.before, entry.after) == (
        "user.2fa.reset",
        {"devices": 1},
        {"devices": 0},
    )
    with pytest.raises(CommandError, match="has no second factor to reset"):
        run("reset-2fa", "eddy")


def test_unlock_clears_the_failed_sign_ins(people: People) -> None:
    AccessAttempt.objects.create(
        username="viola", ip_address="10.0.0.1", user_agent="x", failures_since_start=9,
        get_data="", post_data="", http_accept="", path_info="/console/inloggen/",
    )  # fmt: skip
    assert run("unlock", "viola") == "Unlocked viola (1 lockout record(s) cleared).\n"
    assert not AccessAttempt.objects.exists()
    assert AuditEntry.objects.get().action == "user.unlock"


def test_list_shows_roles_second_factor_and_state(people: People) -> None:
    run("disable", "viola")
    lines = run("list").splitlines()
    assert [line.split()[0] for line in lines] == ["ada", "eddy", "otto", "viola"]
    assert "stad:admin" in lines[0]
    assert "2fa" in lines[0]
    assert "no 2fa" not in lines[0]
    assert "elders:editor" in lines[2]
    assert "disabled no 2fa" in lines[3]
    assert "last login never" in lines[3]


def test_a_change_to_a_person_is_recorded_for_each_of_their_organisations(people: People) -> None:
    run("role", "eddy", "elders", "viewer")
    run("disable", "eddy")
    disabled = AuditEntry.objects.filter(action="user.disable")
    assert sorted(e.organisation_id for e in disabled) == sorted([people.org.pk, people.other.pk])
    run("add", "nobody")
    assert AuditEntry.objects.get(action="user.add").organisation_id is None
