"""`watwerkt demo` makes a console admin with a new random password on every run."""

from __future__ import annotations

import re
from io import StringIO

from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from watwerkt.accounts.models import Account, Membership
from watwerkt.accounts.services import DEMO_ADMIN
from watwerkt.audit.models import AuditEntry
from watwerkt.status.models import StatusEvent
from watwerkt.status.revision import current_revision


def demo() -> tuple[str, str]:
    out = StringIO()
    call_command("demo", stdout=out)
    found = re.search(
        r"Console: /console/ as demo-admin \(admin of antwerpen\), one-time password: (\S+)",
        out.getvalue(),
    )
    assert found, out.getvalue()
    return out.getvalue(), found.group(1)


def signs_in(password: str) -> bool:
    request = RequestFactory().post("/console/inloggen/")
    return authenticate(request, username=DEMO_ADMIN, password=password) is not None


def test_every_run_prints_a_new_one_time_password_and_only_it_works(db: None) -> None:
    _, first = demo()
    assert signs_in(first)
    revision, events = current_revision(), StatusEvent.objects.count()
    output, second = demo()
    assert "already loaded: nothing changed" in output  # the catalogue stays as it was
    assert (current_revision(), StatusEvent.objects.count()) == (revision, events)
    assert first != second
    assert signs_in(second)
    assert not signs_in(first)
    membership = Membership.objects.get(user__username=DEMO_ADMIN)
    assert (membership.organisation.slug, membership.role) == ("antwerpen", "admin")
    assert Account.objects.get(user__username=DEMO_ADMIN).password_is_temporary
    accounts = AuditEntry.objects.filter(actor="demo", action__startswith="user.")
    actions = list(accounts.values_list("action", flat=True))  # (the demo incident's too)
    assert actions == ["user.add", "user.password.issue"]


def test_a_disabled_or_demoted_demo_admin_is_restored(db: None) -> None:
    demo()
    call_command("user", "disable", DEMO_ADMIN, stdout=StringIO())
    call_command("user", "role", DEMO_ADMIN, "antwerpen", "viewer", stdout=StringIO())
    _, password = demo()
    assert signs_in(password)
    assert Membership.objects.get(user__username=DEMO_ADMIN).role == "admin"
