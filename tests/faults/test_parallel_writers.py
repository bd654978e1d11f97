"""Many writers at once, through the API and the CLI: the history stays one unbroken chain.

Each write carries its own note, so every writer can be matched with the event
it made: one manual event for every writer told "changed", none for the
others, and each event's ``old`` is the ``new`` of the one before it.
"""

from __future__ import annotations

import random
import subprocess
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise
from typing import Any

from tests.faults.conftest import API, WATWERKT, Server, Site, serving
from watwerkt.status.report import NOTHING_CHANGED

ITEM = "sporthal/reserveren/website"
ITEM_API = f"{API}/services/sporthal/functions/reserveren/channels/website/status"
LEVELS = ["available", "limited", "unavailable"]
QUALIFIERS = [[], ["delays"], ["manual"], ["delays", "manual"]]


def api_write(server: Server, token: str, n: int, body: dict[str, Any]) -> tuple[str, bool]:
    note = f"api-{n}"
    answer = server.put(ITEM_API, {**body, "note": note}, token)
    assert answer.status == 200, answer.text
    return note, bool(answer.json()["changed"])


def cli_write(site: Site, n: int, level: str) -> tuple[str, subprocess.Popen[str]]:
    note = f"cli-{n}"
    command = [WATWERKT, "status", "set", ITEM, level, "--note", note]
    return note, subprocess.Popen(command, env=site.env, stdout=subprocess.PIPE, text=True)


def manual_events(site: Site) -> list[tuple[Any, Any, str, int]]:
    return site.rows(
        "SELECT old, new, note, revision FROM status_statusevent "
        "WHERE layer = 'manual' AND path = ? ORDER BY id",
        f"antwerpen/{ITEM}",
    )


def test_parallel_writes_make_one_event_each_and_an_unbroken_chain(site: Site) -> None:
    token = site.token()
    rng = random.Random(7)
    before = len(manual_events(site))
    with serving(site) as server, ThreadPoolExecutor(max_workers=12) as pool:
        bodies = [
            {"level": rng.choice(LEVELS), "qualifiers": rng.choice(QUALIFIERS)} for _ in range(24)
        ]
        clis = [cli_write(site, n, rng.choice(LEVELS)) for n in range(6)]
        api = list(pool.map(lambda nb: api_write(server, token, *nb), enumerate(bodies)))
        for _, process in clis:
            assert process.wait(timeout=120) == 0
    events = manual_events(site)[before:]
    by_note = {note: revision for _, _, note, revision in events}
    assert len(by_note) == len(events), "one event per write at most"
    for note, changed in api:
        assert (note in by_note) == changed, f"{note} said changed={changed}"
    for note, process in clis:
        said = process.stdout.read() if process.stdout else ""
        assert (note in by_note) == (NOTHING_CHANGED not in said), f"{note}: {said}"
    assert all(new == old for (_, new, _, _), (old, _, _, _) in pairwise(events)), (
        "an event's old must be the previous event's new"
    )
    revisions = [revision for *_, revision in events]
    assert revisions == sorted(set(revisions)), "each write its own, increasing revision"


def test_parallel_writes_of_a_system_keep_its_chain_too(site: Site) -> None:
    token = site.token()
    path = f"{API}/systems/reservatieplatform/state"
    rng = random.Random(11)
    before = site.rows(
        "SELECT count(*) FROM status_statusevent WHERE subject = 'system' AND layer = 'manual'"
    )[0][0]
    with serving(site) as server, ThreadPoolExecutor(max_workers=10) as pool:
        states = [rng.choice(["up", "down", "degraded"]) for _ in range(20)]
        answers = list(
            pool.map(lambda s: server.put(path, {"state": s, "note": "parallel"}, token), states)
        )
    assert {a.status for a in answers} == {200}
    events = site.rows(
        "SELECT old, new FROM status_statusevent WHERE subject = 'system' AND layer = 'manual' "
        "AND path = ? ORDER BY id",
        "antwerpen/reservatieplatform",
    )
    changed = sum(1 for a in answers if a.json()["changed"])
    total = site.rows(
        "SELECT count(*) FROM status_statusevent WHERE subject = 'system' AND layer = 'manual'"
    )[0][0]
    assert total - before == changed
    assert all(new == old for (_, new), (old, _) in pairwise(events))
