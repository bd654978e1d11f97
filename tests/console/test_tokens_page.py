"""The console's API keys page: admins list, make (the secret shown once) and revoke keys."""

from __future__ import annotations

import re

from django.test import Client

from tests.personas import People
from watwerkt.accounts import tokens
from watwerkt.accounts.models import ApiToken
from watwerkt.accounts.roles import Role
from watwerkt.audit.models import AuditEntry
from watwerkt.status.writing import Actor

PAGE = "/console/stad/api-sleutels/"
SECRET = re.compile(r"ww_[a-z0-9]{12}_[A-Za-z0-9_-]{43}")


def make(client: Client, **fields: str) -> str:
    data = {"action": "create", "name": "monitoring", "role": "editor", **fields}
    return client.post(PAGE, data).content.decode()


def test_an_admin_makes_a_key_and_sees_its_secret_once(people: People) -> None:
    admin = people.client("admin")
    page = make(admin, name="website")
    [secret] = set(SECRET.findall(page))
    token = ApiToken.objects.get(name="website")
    assert tokens.check(secret).token == token
    assert token.role == "editor"
    assert token.created_by == "ada"
    assert "maar één keer getoond" in page
    again = admin.get(PAGE).content.decode()
    assert "website" in again
    assert token.public_id in again
    assert not SECRET.search(again)


def test_making_a_key_is_audited_as_the_admin(people: People) -> None:
    make(people.client("admin"), name="monitoring", role="viewer")
    entry = AuditEntry.objects.get(action="token.create")
    assert (entry.actor, entry.source, entry.target) == ("ada", "console", "stad/monitoring")


def test_a_key_can_end_on_a_day(people: People) -> None:
    make(people.client("admin"), name="tijdelijk", expires="2099-06-30")
    token = ApiToken.objects.get(name="tijdelijk")
    assert token.expires_at == tokens.expiry("2099-06-30", people.org)


def test_mistakes_are_said_in_dutch_and_make_nothing(people: People) -> None:
    admin = people.client("admin")
    make(admin, name="dubbel")
    for fields, says in (
        ({"name": "dubbel"}, "Er is al een sleutel met deze naam"),
        ({"name": "a/b"}, "Gebruik letters, cijfers"),
        ({"name": "x", "expires": "2001-01-01"}, "Die dag is al voorbij"),
        ({"name": "x", "role": "baas"}, "Selecteer een geldige keuze"),
        ({"name": ""}, "Dit veld is verplicht"),
    ):
        response = admin.post(PAGE, {"action": "create", "role": "editor", **fields})
        assert response.status_code == 400
        assert says in response.content.decode()
        assert not SECRET.search(response.content.decode())
    assert ApiToken.objects.count() == 1


def test_an_admin_revokes_a_key(people: People) -> None:
    admin = people.client("admin")
    make(admin, name="oud")
    token = ApiToken.objects.get(name="oud")
    response = admin.post(PAGE, {"action": "revoke", "token": token.public_id}, follow=True)
    assert "Sleutel oud is ingetrokken" in response.content.decode()
    assert "ingetrokken" in response.content.decode()
    assert tokens.state(ApiToken.objects.get(pk=token.pk)) == "revoked"
    assert AuditEntry.objects.filter(action="token.revoke", actor="ada").count() == 1


def test_a_key_of_another_organisation_cannot_be_revoked_from_here(people: People) -> None:
    theirs, _ = tokens.create(people.other, "elders-key", Role.EDITOR, Actor("t", "cli"))
    admin = people.client("admin")
    response = admin.post(PAGE, {"action": "revoke", "token": theirs.public_id}, follow=True)
    assert "bestaat niet of is al ingetrokken" in response.content.decode()
    assert "elders-key" not in response.content.decode()
    assert tokens.state(ApiToken.objects.get(pk=theirs.pk)) == "active"


def test_the_page_lists_only_this_organisations_keys(people: People) -> None:
    tokens.create(people.other, "elders-key", Role.EDITOR, Actor("t", "cli"))
    tokens.create(people.org, "stad-key", Role.EDITOR, Actor("t", "cli"))
    page = people.client("admin").get(PAGE).content.decode()
    assert "stad-key" in page
    assert "elders-key" not in page


def test_the_menu_offers_the_page_to_admins_only(people: People) -> None:
    assert PAGE in people.client("admin").get("/console/stad/").content.decode()
    assert PAGE not in people.client("editor").get("/console/stad/").content.decode()


def test_the_secret_page_is_never_cached(people: People) -> None:
    response = people.client("admin").post(
        PAGE, {"action": "create", "name": "x", "role": "editor"}
    )
    assert "no-store" in response["Cache-Control"]
