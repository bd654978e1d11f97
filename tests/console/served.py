"""The Antwerp demo on a live server with the public page cache in front, as in production.

``demo_site`` loads the demo (``watwerkt demo``: the catalogue and the incident
"Cyberaanval op de stad"), adds a comms officer (editor) and a coordinator
(admin) of ``antwerpen``, each with a password and an authenticator app, and
serves it all through :class:`FastPathServer`. tests/console/conftest.py
offers the fixture to every console test.

Everything that needs the database happens in the fixture, before the
``browser`` fixture starts (tests/browser.py), so list ``demo_site`` first.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from io import StringIO
from typing import Any

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management import call_command
from django.db import connections
from django.test.testcases import LiveServerThread
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.live import empty_append_only_tables
from tests.personas import code_now, person
from watwerkt.accounts.roles import Role
from watwerkt.catalogue.models import Organisation
from watwerkt.webcache.fastpath import fast_path

PASSWORD = "een lange zin als wachtwoord"


class FastPathServer(LiveServerThread):
    """Django's live server with the public page cache in front, as
    ``watwerkt.wsgi.application`` has it: stored pages, revision checks every 0.5 s."""

    def __init__(self, host: str, connections_override: dict[str, Any]) -> None:
        super().__init__(host, lambda app: StaticFilesHandler(fast_path(app)), connections_override)


@dataclass
class DemoSite:
    url: str  # without a trailing slash
    devices: dict[str, TOTPDevice]  # "comms" and "coordinator": their authenticator apps


@pytest.fixture
def demo_site(transactional_db: None, settings: Any) -> Iterator[DemoSite]:
    """The Antwerp demo on a live server with the fast path; a comms officer and a
    coordinator, each with a password and an authenticator app."""
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo", stdout=StringIO())
    antwerpen = Organisation.objects.get(slug="antwerpen")
    people = {
        "comms": person("comms", {antwerpen: Role.EDITOR}, password=PASSWORD),
        "coordinator": person("coordinator", {antwerpen: Role.ADMIN}, password=PASSWORD),
    }
    shared = {
        alias: conn
        for alias in connections
        if (conn := connections[alias]).vendor == "sqlite" and conn.is_in_memory_db()
    }
    server = FastPathServer("localhost", shared)
    server.daemon = True
    for conn in shared.values():
        conn.inc_thread_sharing()
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    devices = {name: p.device for name, p in people.items() if p.device is not None}
    try:
        yield DemoSite(f"http://localhost:{server.port}", devices)
    finally:
        server.terminate()
        for conn in shared.values():
            conn.dec_thread_sharing()
        empty_append_only_tables()


def keyboard_sign_in(page: Any, site: DemoSite, name: str) -> None:
    """Open the console and sign in as ``name``: password, then the code from the
    app, with the keyboard alone; ends on antwerpen's console page."""
    page.goto(f"{site.url}/console/antwerpen/")
    page.wait_for_selector("#id_username:focus")
    page.keyboard.type(name)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/console/inloggen/code/")
    page.wait_for_selector("#id_token:focus")
    page.keyboard.type(code_now(site.devices[name]))
    page.keyboard.press("Enter")
    page.wait_for_url("**/console/antwerpen/")
