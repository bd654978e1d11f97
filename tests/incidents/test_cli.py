"""`watwerkt incident ...` and `watwerkt maintenance ...`, through their real interfaces."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command

from tests.factories import Catalogue
from tests.incidents.conftest import Crisis, state
from watwerkt.audit.models import AuditEntry
from watwerkt.incidents.models import Incident, Maintenance


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def refused(*args: str) -> str:
    """Run a command that must fail; check it wrote nothing; return its one-line error."""
    before = state()
    with pytest.raises(CommandError) as error:
        run(*args)
    assert state() == before
    message = str(error.value)
    assert "\n" not in message
    return message


def test_the_comms_officer_runs_an_incident_from_the_command_line(small: Catalogue) -> None:
    created = run(
        "incident", "create", "Cyberaanval", "--impact", "critical",
        "--started", "2022-12-06T09:10", "--known", "De servers liggen plat.",
        "--services", "sporthal,materiaal", "--systems", "reservatie",
    )  # fmt: skip
    assert created == "created draft incident stad/cyberaanval\n"
    incident = Incident.objects.get(slug="cyberaanval")
    assert incident.started_at == datetime(2022, 12, 6, 8, 10, tzinfo=UTC)  # read in Brussels
    assert [s.slug for s in incident.affected_services.order_by("slug")] == [
        "materiaal",
        "sporthal",
    ]
    posted = run("incident", "post", "cyberaanval", "We onderzoeken de aanval.",
                 "--en", "We are investigating.")  # fmt: skip
    assert "posted draft update" in posted
    assert "publish it with: watwerkt incident publish cyberaanval" in posted
    assert Incident.objects.get(pk=incident.pk).published_at is None
    assert "is investigating" in run("incident", "publish", "cyberaanval")
    run(
        "incident", "post", "cyberaanval", "Oorzaak gevonden.", "--phase", "identified", "--publish"
    )
    run("incident", "update", "cyberaanval", "--lang", "en", "--known", "The servers are down.")
    run("incident", "target", "cyberaanval", "Reservaties werken weer", "--by", "2023-03-31",
        "--service", "sporthal")  # fmt: skip
    target = incident.targets.get()
    run("incident", "target", "cyberaanval", "--id", str(target.pk), "--reached",
        "2023-03-20T10:00")  # fmt: skip
    resolved = run("incident", "resolve", "cyberaanval", "Alles werkt weer.")
    assert resolved.startswith("resolved stad/cyberaanval at ")
    incident.refresh_from_db()
    assert (incident.phase, incident.known["en"]) == ("resolved", "The servers are down.")
    shown = run("incident", "show", "cyberaanval")
    assert "phase: resolved  impact: critical" in shown
    assert "known [en]: The servers are down." in shown
    assert "reached 2023-03-20 10:00: Reservaties werken weer" in shown
    listed = run("incident", "list")
    assert listed.startswith("cyberaanval              resolved      published 2022-12-06 09:10")
    assert AuditEntry.objects.filter(source="cli", actor="cli").count() == 10


def test_a_preview_prints_the_text_as_published_and_saves_nothing(crisis: Crisis) -> None:
    before = state()
    output = run("incident", "post", "cyberaanval", "**Let op** <script>x</script>",
                 "--fr", "Attention", "--preview")  # fmt: skip
    assert state() == before
    assert output.splitlines() == [
        "preview of an update to cyberaanval (investigating):",
        "[nl]",
        "<p><strong>Let op</strong> &lt;script&gt;x&lt;/script&gt;</p>",
        "[fr]",
        "<p>Attention</p>",
    ]


def test_publish_preview_shows_the_draft_and_publishes_nothing(crisis: Crisis) -> None:
    run("incident", "post", "cyberaanval", "_Klad_")
    before = state()
    output = run("incident", "publish", "cyberaanval", "--preview")
    assert state() == before
    assert "<p><em>Klad</em></p>" in output


def test_the_body_can_come_from_standard_input(
    crisis: Crisis, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("# Stand van zaken\n\nLang verhaal."))
    run("incident", "post", "cyberaanval", "-")
    update = crisis.incident.updates.order_by("-id").first()
    assert update is not None
    assert update.body == {"nl": "# Stand van zaken\n\nLang verhaal."}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["incident", "post", "cyberaanvall", "x"],
            "unknown incident of stad 'cyberaanvall' (did you mean 'cyberaanval'?)",
        ),
        (
            ["incident", "post", "cyberaanval", "x", "--phase", "opgelost"],
            "phase: unknown value 'opgelost'",
        ),
        (["incident", "post", "cyberaanval", "", "--en", "only English"], "body: text in nl"),
        (["incident", "publish", "cyberaanval"], "update: no draft update to publish"),
        (["incident", "create", "X", "--services", "zwembad"], "unknown service 'zwembad'"),
        (["incident", "create", "X", "--systems", "kassa"], "unknown system of stad 'kassa'"),
        (["incident", "create", "X", "--started", "gisteren"], "is not a date and time"),
        (["incident", "create", "X", "--impact", "enorm"], "impact: unknown value 'enorm'"),
        (
            ["incident", "update", "cyberaanval", "--phase", "postmortem"],
            "phase: a postmortem follows",
        ),
        (
            ["incident", "resolve", "cyberaanval", "--at", "2022-12-01T00:00"],
            "resolved_at: an incident cannot be resolved before it started",
        ),
        (
            ["incident", "target", "cyberaanval", "--by", "2023-03-30"],
            "text: a new target needs a text",
        ),
        (
            ["incident", "target", "cyberaanval", "X", "--by", "2023-02-30"],
            "impossible date '2023-02-30'",
        ),
        (["incident", "target", "cyberaanval", "--id", "999", "--reached"], "id: no target 999"),
        (["incident", "show", "niets"], "unknown incident of stad 'niets'"),
        (
            [
                "maintenance",
                "add",
                "X",
                "--from",
                "2030-01-02T10:00",
                "--until",
                "2030-01-02T09:00",
            ],
            "scheduled_until: the window must end after it starts",
        ),
        (["maintenance", "publish", "niets"], "unknown maintenance window of stad 'niets'"),
    ],
)
def test_bad_input_is_one_clear_line_and_writes_nothing(
    crisis: Crisis, args: list[str], message: str
) -> None:
    assert message in refused(*args)


def test_several_drafts_need_a_choice(crisis: Crisis) -> None:
    run("incident", "post", "cyberaanval", "een")
    run("incident", "post", "cyberaanval", "twee")
    assert "update: several drafts" in refused("incident", "publish", "cyberaanval")
    ids = [u.pk for u in crisis.incident.updates.filter(published_at=None).order_by("id")]
    run("incident", "publish", "cyberaanval", "--update", str(ids[1]))
    assert crisis.incident.updates.get(pk=ids[1]).published_at is not None


def test_maintenance_from_plan_to_cancellation(small: Catalogue) -> None:
    with time_machine.travel(datetime(2030, 1, 1, 12, 0, tzinfo=UTC), tick=False):
        out = run("maintenance", "add", "Onderhoud e-loket", "--from", "2030-01-04T22:00",
                  "--until", "2030-01-05T02:00", "--description", "Het e-loket is **dicht**.",
                  "--services", "sporthal")  # fmt: skip
        assert out == "planned stad/onderhoud-e-loket (draft)\n"
        assert (
            run("maintenance", "publish", "onderhoud-e-loket")
            == "published stad/onderhoud-e-loket\n"
        )
        listed = run("maintenance", "list")
        assert listed.startswith(
            "onderhoud-e-loket        scheduled    published 2030-01-04 22:00 - "
        )
        edited = run("maintenance", "edit", "onderhoud-e-loket", "--until", "2030-01-05T04:00",
                     "--state", "in_progress")  # fmt: skip
        assert edited == "stad/onderhoud-e-loket: in_progress\n"
        window = Maintenance.objects.get()
        assert window.scheduled_until == datetime(2030, 1, 5, 3, 0, tzinfo=UTC)
        run("maintenance", "edit", "onderhoud-e-loket", "--state", "verifying")
        assert "state: the window is already verifying; states go forward" in refused(
            "maintenance", "edit", "onderhoud-e-loket", "--title", "Nieuw", "--state", "in_progress"
        )
        run("maintenance", "cancel", "onderhoud-e-loket", "--note", "leverancier ziek")
        assert "cancelled" in run("maintenance", "list")
        assert "the window was cancelled" in refused("maintenance", "cancel", "onderhoud-e-loket")


def test_the_console_script_fails_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "WATWERKT_VAR_DIR": str(tmp_path),
    }
    script = Path(sys.executable).parent / "watwerkt"
    subprocess.run([script, "migrate", "-v0"], env=env, check=True)
    result = subprocess.run(
        [script, "incident", "create", "X"], env=env, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == "CommandError: there are no organisations yet; import a catalogue first"
    )


def test_an_update_without_a_later_phase_does_not_need_one(crisis: Crisis) -> None:
    later = datetime.now(UTC) + timedelta(days=1)
    with time_machine.travel(later, tick=False):
        run("incident", "post", "cyberaanval", "Nog steeds bezig.", "--publish")
    assert crisis.incident.updates.filter(published_at__isnull=False).count() == 2
