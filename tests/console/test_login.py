"""Signing in: password, authenticator code (or setting one up), lockout, idle timeout."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.personas import People, code_now, person, wrong_code
from watwerkt.accounts.models import Account
from watwerkt.accounts.roles import Role
from watwerkt.accounts.services import issue_password
from watwerkt.accounts.throttle import client_ip
from watwerkt.audit.models import AuditEntry
from watwerkt.status.writing import Actor

LOGIN, CODE, ENROL = (
    "/console/inloggen/",
    "/console/inloggen/code/",
    "/console/inloggen/app-instellen/",
)
PASSWORD = "een lange zin als wachtwoord"


@pytest.fixture
def with_passwords(people: People) -> People:
    for p in people.persons.values():
        p.user.set_password(PASSWORD)
        p.user.save()
    return people


def text(response: Any) -> str:
    """The page's visible words, tags stripped, whitespace squeezed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def password_step(client: Client, username: str, password: str = PASSWORD, **extra: str) -> Any:
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def test_an_anonymous_visitor_is_sent_to_sign_in_and_back(with_passwords: People) -> None:
    client = Client()
    response = client.get("/console/stad/audit/")
    assert response.status_code == 302
    assert response["Location"] == "/console/inloggen/?next=/console/stad/audit/"
    page = client.get(response["Location"])
    assert 'name="next" value="/console/stad/audit/"' in page.content.decode()
    landed = password_step(client, "viola", next="/console/stad/")
    assert landed["Location"] == "/console/stad/"


def test_a_viewer_without_an_authenticator_signs_in_with_a_password(with_passwords: People) -> None:
    client = Client()
    assert password_step(client, "viola")["Location"] == "/console/"
    assert client.get("/console/stad/").status_code == 200


def test_an_editor_sets_up_an_authenticator_at_first_sign_in(with_passwords: People) -> None:
    TOTPDevice.objects.filter(user__username="eddy").delete()
    client = Client()
    assert password_step(client, "eddy")["Location"] == ENROL
    page = client.get(ENROL)
    body = page.content.decode()
    assert 'src="data:image/svg+xml' in body
    assert "otpauth://totp/watwerkt%3Aeddy?secret=" in body
    assert re.search(r'<code class="secret">([A-Z2-7]{4} ){7}[A-Z2-7]{4}</code>', body)
    assert client.get("/console/stad/").status_code == 302  # not signed in half-way
    device = TOTPDevice.objects.get(user__username="eddy", confirmed=False)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        wrong = client.post(ENROL, {"token": wrong_code(device)})
        assert wrong.status_code == 400
        assert "Deze code klopt niet" in text(wrong)
        throttled = client.post(ENROL, {"token": code_now(device)})
        assert "Wacht 1 seconden na een foute code" in text(throttled)
        clock.shift(2)
        done = client.post(ENROL, {"token": code_now(device)})
    assert done["Location"] == "/console/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/console/stad/").status_code == 200
    assert AuditEntry.objects.filter(action="user.2fa.enrol", actor="eddy").count() == 1


def test_reloading_the_set_up_page_keeps_the_same_key(with_passwords: People) -> None:
    TOTPDevice.objects.filter(user__username="eddy").delete()
    client = Client()
    password_step(client, "eddy")
    first = re.findall(r'<code class="secret">(.*?)</code>', client.get(ENROL).content.decode())
    again = re.findall(r'<code class="secret">(.*?)</code>', client.get(ENROL).content.decode())
    assert first == again != []


def test_an_editor_with_an_authenticator_gives_a_code(with_passwords: People) -> None:
    client = Client()
    assert password_step(client, "eddy")["Location"] == CODE
    assert client.get(ENROL)["Location"] == CODE
    for malformed in ("12ab", "1234567", "١٢٣٤٥٦"):
        assert "Typ de zes cijfers" in text(client.post(CODE, {"token": malformed}))
    device = with_passwords["editor"].device
    assert device is not None
    response = client.post(CODE, {"token": code_now(device)})
    assert response["Location"] == "/console/"
    assert client.get("/console/stad/").status_code == 200


def test_a_code_works_only_once(with_passwords: People) -> None:
    device = with_passwords["editor"].device
    assert device is not None
    first, second = Client(), Client()
    token = code_now(device)
    password_step(first, "eddy")
    password_step(second, "eddy")
    assert first.post(CODE, {"token": token}).status_code == 302
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        replay = second.post(CODE, {"token": token})
    assert replay.status_code == 400


def test_a_half_done_sign_in_is_forgotten_after_five_minutes(with_passwords: People) -> None:
    client = Client()
    password_step(client, "eddy")
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert client.get(CODE)["Location"] == LOGIN


def test_the_code_step_without_a_password_step_starts_over(with_passwords: People) -> None:
    assert Client().get(CODE)["Location"] == LOGIN
    assert Client().post(ENROL, {"token": "123456"})["Location"] == LOGIN


def test_a_wrong_password_says_so_in_dutch(with_passwords: People) -> None:
    response = password_step(Client(), "viola", "fout")
    assert response.status_code == 400
    assert "Deze combinatie van gebruikersnaam en wachtwoord kennen we niet" in text(response)
    assert "na 5 mislukte pogingen" in text(response)


def test_a_disabled_user_is_told_so_once_the_password_is_right(with_passwords: People) -> None:
    User.objects.filter(username="viola").update(is_active=False)
    right = password_step(Client(), "viola")
    assert "Dit account is uitgeschakeld" in text(right)
    wrong = password_step(Client(), "viola", "fout")
    assert "uitgeschakeld" not in text(wrong)


def test_wrong_passwords_lock_out_with_a_dutch_message(with_passwords: People) -> None:
    client = Client()
    for _ in range(4):
        assert password_step(client, "viola", "fout").status_code == 400
    locked = password_step(client, "viola", "fout")
    assert locked.status_code == 429
    assert "Tijdelijk geblokkeerd" in text(locked)
    assert "over 15 minuten" in text(locked)
    assert "no-store" in locked["Cache-Control"]
    assert password_step(client, "viola").status_code == 429  # even the right password
    assert password_step(client, "eddy")["Location"] == CODE  # a colleague is not locked out
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert password_step(Client(), "viola")["Location"] == "/console/"


def test_wrong_codes_count_towards_the_lockout(with_passwords: People) -> None:
    device = with_passwords["editor"].device
    assert device is not None
    client = Client()
    for _ in range(3):
        password_step(client, "eddy", "fout")
    password_step(client, "eddy")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert client.post(CODE, {"token": wrong_code(device)}).status_code == 400
        clock.shift(3)  # past django-otp's own pause after a wrong code
        locked = client.post(CODE, {"token": wrong_code(device)})
        assert locked.status_code == 429
        clock.shift(6)
        assert client.post(CODE, {"token": code_now(device)}).status_code == 429


def test_a_wrong_code_makes_the_next_one_wait(with_passwords: People) -> None:
    device = with_passwords["editor"].device
    assert device is not None
    client = Client()
    password_step(client, "eddy")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.post(CODE, {"token": wrong_code(device)})
        response = client.post(CODE, {"token": code_now(device)})
        assert "Wacht 1 seconden na een foute code" in text(response)
        clock.shift(1)
        assert client.post(CODE, {"token": code_now(device)})["Location"] == "/console/"


def test_a_temporary_password_must_be_replaced_before_anything_else(people: People) -> None:
    temporary = issue_password(people["viewer"].user, Actor("cli", "cli"))
    client = Client()
    password_step(client, "viola", temporary)
    assert client.get("/console/stad/")["Location"] == "/console/wachtwoord/"
    page = client.get("/console/wachtwoord/")
    assert "eenmalig wachtwoord" in text(page)
    weak = client.post(
        "/console/wachtwoord/",
        {"old_password": temporary, "new_password1": "12345", "new_password2": "12345"},
    )
    assert weak.status_code == 400
    assert "Dit wachtwoord is te kort: het moet minstens 12 tekens lang zijn" in text(weak)
    assert "Dit wachtwoord is te algemeen" in text(weak)
    assert "Dit wachtwoord bevat alleen cijfers" in text(weak)
    done = client.post(
        "/console/wachtwoord/",
        {"old_password": temporary, "new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert done["Location"] == "/console/"
    assert not Account.objects.get(user__username="viola").password_is_temporary
    assert client.get("/console/stad/").status_code == 200
    assert AuditEntry.objects.filter(action="user.password.change").exists()


def test_a_password_like_the_persons_own_details_is_refused(with_passwords: People) -> None:
    User.objects.filter(username="viola").update(email="viola.vandenbroeck@stad.be")
    client = Client()
    password_step(client, "viola")
    new = {"new_password1": "Vandenbroeck", "new_password2": "Vandenbroeck"}
    response = client.post("/console/wachtwoord/", {"old_password": PASSWORD, **new})
    assert "Het wachtwoord lijkt te veel op de e-mailadres" in text(response)


def test_a_session_ends_after_thirty_idle_minutes(people: People) -> None:
    client = people.client("admin")
    with time_machine.travel(timezone.now() + timedelta(minutes=20)):
        assert client.get("/console/stad/").status_code == 200  # activity renews it
    with time_machine.travel(timezone.now() + timedelta(minutes=45)):
        assert client.get("/console/stad/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=80)):
        response = client.get("/console/stad/")
        assert response["Location"] == "/console/inloggen/?verlopen=1&next=/console/stad/"
        assert "Je sessie is afgelopen" in text(client.get(response["Location"]))


@override_settings(CONSOLE_IDLE_MINUTES=5)
def test_the_idle_timeout_is_configurable(people: People) -> None:
    client = people.client("viewer")
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert client.get("/console/stad/").status_code == 302


def test_a_session_without_a_code_for_someone_who_now_needs_one_ends(people: People) -> None:
    client = people.client("viewer")  # signed in with a password alone
    people["viewer"].user.memberships.update(role=Role.EDITOR)
    assert client.get("/console/stad/").status_code == 302
    assert client.get("/console/stad/").status_code == 302  # and stays signed out


def test_sign_out_takes_a_post_and_ends_the_session(people: People) -> None:
    client = people.client("admin")
    assert client.get("/console/uitloggen/").status_code == 200
    assert client.get("/console/stad/").status_code == 200
    assert client.post("/console/uitloggen/")["Location"] == "/console/inloggen/?uit=1"
    assert client.get("/console/stad/").status_code == 302


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/stad/", "/console\\@evil"]
)
def test_after_sign_in_we_only_go_back_into_the_console(
    with_passwords: People, target: str
) -> None:
    assert password_step(Client(), "viola", next=target)["Location"] == "/console/"


def test_sign_in_pages_are_never_cached_and_run_under_the_csp(with_passwords: People) -> None:
    response = Client().get(LOGIN)
    assert "no-store" in response["Cache-Control"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Content-Language"] == "nl"


def test_a_form_without_its_csrf_token_gets_a_dutch_page(with_passwords: People) -> None:
    client = Client(enforce_csrf_checks=True)
    response = password_step(client, "viola")
    assert response.status_code == 403
    assert "Dit formulier is verlopen" in text(response)
    assert "Er is niets gewijzigd" in text(response)


def test_the_csrf_page_of_the_public_site_is_djangos(settings: Any) -> None:
    from watwerkt.console.access.login import csrf_failure

    response = csrf_failure(RequestFactory().post("/stad/"), "no token")
    assert response.status_code == 403
    assert "Dit formulier is verlopen" not in response.content.decode()


def test_the_lockout_counts_the_proxys_address_for_the_client(settings: Any) -> None:
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 81.1.2.3"
    )
    assert client_ip(request) == "10.0.0.2"  # no proxy: the header is the client's say-so
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client_ip(request) == "81.1.2.3"


def test_a_person_with_no_role_can_sign_in_and_is_told(small: Any) -> None:
    person("nora", {}, password=PASSWORD)
    client = Client()
    password_step(client, "nora")
    assert "Je hebt nog geen rol in een organisatie" in text(client.get("/console/"))
