"""The server killed with SIGKILL in the middle of a burst of writes.

Every write the API acknowledged is in the history with the revision it was
told, and nothing is half-written: the stored statuses are what the engine
makes of the manual ones, and each item's latest manual event is its status.
"""

from __future__ import annotations

import threading
import time
from itertools import cycle
from typing import Any

from tests.faults.conftest import API, Server, Site, serving

ITEMS = [
    ("sporthal", "reserveren", "website"),
    ("afvalsticker", "-", "e-loket"),
    ("reispas", "aanvragen", "afspraak"),
]
LEVELS = ["limited", "unavailable", "available"]


def writer(server: Server, token: str, n: int, acknowledged: list[tuple[str, int]]) -> None:
    levels = cycle(LEVELS[n % 3 :] + LEVELS[: n % 3])
    for count in range(10_000):
        service, function, channel = ITEMS[n % len(ITEMS)]
        path = f"{API}/services/{service}/functions/{function}/channels/{channel}/status"
        note = f"burst-{n}-{count}"
        try:
            answer = server.put(path, {"level": next(levels), "note": note}, token)
        except OSError:
            return  # the server is gone
        if answer.status != 200:
            return
        if answer.json()["changed"]:  # a write that changed nothing leaves no event
            acknowledged.append((note, answer.json()["revision"]))


def test_a_killed_server_loses_no_acknowledged_write_and_leaves_nothing_half_written(
    site: Site,
) -> None:
    token = site.token()
    acknowledged: list[tuple[str, int]] = []
    with serving(site) as server:
        threads = [
            threading.Thread(target=writer, args=(server, token, n, acknowledged)) for n in range(6)
        ]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 30
        while len(acknowledged) < 40 and time.monotonic() < deadline:
            time.sleep(0.05)
        server.kill()  # SIGKILL to granian and its workers, mid-burst
        for thread in threads:
            thread.join(timeout=60)
    assert len(acknowledged) >= 40
    stored = dict(
        site.rows(
            "SELECT note, revision FROM status_statusevent WHERE layer = 'manual' AND note LIKE ?",
            "burst-%",
        )
    )
    lost = [(note, rev) for note, rev in acknowledged if stored.get(note) != rev]
    assert lost == [], "every acknowledged write is in the history, at its revision"
    assert_nothing_half_written(site)


def assert_nothing_half_written(site: Site) -> None:
    # The stored effective statuses are exactly what the engine makes of the
    # stored manual statuses: recomputing finds nothing to correct.
    out = site.run("status", "recompute").stdout
    assert out.strip() == "0 effective statuses corrected", out
    # Each item's latest manual event is the item's manual status now.
    latest: dict[int, Any] = {}
    for object_id, new in site.rows(
        "SELECT object_id, new FROM status_statusevent "
        "WHERE layer = 'manual' AND subject = 'item' ORDER BY id"
    ):
        latest[object_id] = new
    levels = dict(site.rows("SELECT id, level FROM catalogue_functionchannel"))
    assert {pk: new["level"] for pk, new in latest.items()} == {pk: levels[pk] for pk in latest}
