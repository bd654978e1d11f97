"""Named people for console and permission tests, cheap to build and to sign in.

Four personas around the small catalogue's organisation ``stad``: a viewer
(contact centre), an editor (comms), an admin, and an outsider (editor of
another organisation, ``elders``). Editors and admins have a confirmed
authenticator, like real ones. ``people.client("editor")`` returns a test
client already signed in with both factors, without going through the login
pages (those have their own tests); ``people.client("anonymous")`` is not
signed in at all.

Use from any test folder's conftest.py::

    from tests.personas import fast_passwords, people  # noqa: F401 (fixtures)
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import TEST_ACTOR, Catalogue, domain, function, org, service, system
from watwerkt.accounts.models import Membership
from watwerkt.accounts.roles import Role
from watwerkt.catalogue.models import Dependency, Organisation, System
from watwerkt.console.routing import SEEN
from watwerkt.status.services import recompute

NAMES = ("anonymous", "viewer", "editor", "admin", "outsider")


@dataclass
class Person:
    user: User
    device: TOTPDevice | None = None


def person(
    username: str,
    roles: dict[Organisation, Role],
    *,
    password: str | None = None,
    second_factor: bool | None = None,
) -> Person:
    """A user with ``roles``; with an authenticator when a role needs one (or when
    ``second_factor`` says so). Without ``password`` it has none usable (faster)."""
    user = User.objects.create_user(username, password=password)
    for organisation, role in roles.items():
        Membership.objects.create(user=user, organisation=organisation, role=role)
    wanted = any(r.needs_second_factor for r in roles.values())
    if second_factor is not None:
        wanted = second_factor
    device = TOTPDevice.objects.create(user=user, name="authenticator") if wanted else None
    return Person(user, device)


def code_now(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The six digits the person's app shows now (or ``steps_ahead`` steps later)."""
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead)
    return f"{value:0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    """Six digits the device does not accept now (nor one step either side)."""
    accepted = {code_now(device, step) for step in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in accepted)


def sign_in(client: Client, who: Person) -> Client:
    """Sign ``who`` in on ``client`` as the login pages would: both factors, fresh."""
    client.force_login(who.user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[SEEN] = time.time()
    if who.device is not None:
        session[DEVICE_ID_SESSION_KEY] = who.device.persistent_id
    session.save()
    return client


@dataclass
class People:
    """The personas, their organisations, and the shared system between them."""

    org: Organisation
    other: Organisation
    shared: System  # owned by ``other``; a service of ``org`` depends on it
    persons: dict[str, Person] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Person:
        return self.persons[name]

    def client(self, name: str) -> Client:
        return Client() if name == "anonymous" else sign_in(Client(), self.persons[name])


def build_people(small: Catalogue) -> People:
    """The personas around ``small``'s ``stad``, and ``elders``, which owns the
    payment platform that stad's sporthal depends on."""
    other = org("elders", "Elders")
    shared = system(other, "betaalplatform")
    Dependency.objects.create(system=shared, service=small.services["sporthal"], kind="soft")
    hal = service(domain(other, "sport"), "zwembad")
    function(hal)
    Dependency.objects.create(system=system(other, "kassa"), service=hal)
    recompute(TEST_ACTOR)
    stad = small.org
    people = People(stad, other, shared)
    people.persons = {
        "viewer": person("viola", {stad: Role.VIEWER}),
        "editor": person("eddy", {stad: Role.EDITOR}),
        "admin": person("ada", {stad: Role.ADMIN}),
        "outsider": person("otto", {other: Role.EDITOR}),
    }
    return people


@pytest.fixture
def people(small: Catalogue) -> People:
    return build_people(small)


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    """Hash passwords cheaply: the real hasher is slow on purpose, tests need not be."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
