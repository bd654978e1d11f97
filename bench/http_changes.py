"""Change a status while a server is under load; time how soon it shows, and how fast
the first requests after a change are answered.

Run by ``bench/http.sh``. Two measurements:

* next to wrk: one thread flips a back-end system of the demo (down, up, ...)
  every PERIOD through the same write path as the CLI and notes each write's
  revision and moment; another polls the page and notes when each revision
  first appears in its ETag (``W/"<revision>-<language>-..."``). A write is
  visible when the page shows its revision or a later one.
* ``--burst N``: for each of ROUNDS changes, the first N requests after the
  write, sent at once over CONNECTIONS keep-alive connections: requests/s from
  the write to the last answer, and how many of those answers already show
  the change. Every stored page is out of date at the write, so this is the
  throughput while the first render of the new revision happens.

Prints figures; asserts nothing.

    python bench/http_changes.py URL [--system reservatieplatform] [--period 0.1] [--seconds 10]
    python bench/http_changes.py URL --burst 1000 [--rounds 5] [--connections 32]
    DATABASE_URL=postgres://... python bench/http_changes.py --check-only   # the read alone
"""

from __future__ import annotations

import argparse
import http.client
import os
import queue
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "watwerkt.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()


class Watcher(threading.Thread):
    """Polls ``url`` and keeps (moment, revision) each time the revision goes up."""

    def __init__(self, url: str, every: float = 0.002) -> None:
        super().__init__(daemon=True)
        parts = urlsplit(url)
        self.connection = http.client.HTTPConnection(parts.hostname or "", parts.port or 80)
        self.path = parts.path or "/"
        self.every = every
        self.seen: list[tuple[float, int]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        latest = -1
        while not self.stop.is_set():
            number = revision_of(self.connection, self.path)
            if number > latest:
                latest = number
                self.seen.append((time.monotonic(), number))
            time.sleep(self.every)

    def shown(self, revision: int, written: float) -> float | None:
        """Seconds from ``written`` until the page showed ``revision`` or a later one."""
        for moment, number in self.seen:
            if number >= revision and moment >= written:
                return moment - written
        return None


def revision_of(connection: http.client.HTTPConnection, path: str) -> int:
    connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        raise SystemExit(f"{path}: HTTP {response.status}")
    tag = (response.getheader("ETag") or "").removeprefix("W/").strip('"')
    return int(tag.split("-")[0] or 0)


class Burst:
    """CONNECTIONS threads, each with its own keep-alive connection, that answer
    ``n`` requests between them whenever they are started."""

    def __init__(self, url: str, connections: int) -> None:
        parts = urlsplit(url)
        self.path = parts.path or "/"
        self.address = (parts.hostname or "", parts.port or 80)
        self.tickets: queue.Queue[int | None] = queue.Queue()
        self.answers: queue.Queue[tuple[float, int]] = queue.Queue()
        self.threads = [
            threading.Thread(target=self._work, daemon=True) for _ in range(connections)
        ]
        for thread in self.threads:
            thread.start()

    def _work(self) -> None:
        connection = http.client.HTTPConnection(*self.address)
        while (ticket := self.tickets.get()) is not None:
            self.answers.put((time.monotonic(), revision_of(connection, self.path)))
            del ticket

    def run(self, n: int) -> list[tuple[float, int]]:
        for i in range(n):
            self.tickets.put(i)
        return [self.answers.get() for _ in range(n)]

    def close(self) -> None:
        for _ in self.threads:
            self.tickets.put(None)


def bursts(url: str, system: str, n: int, rounds: int, connections: int) -> None:
    """The first ``n`` requests after each of ``rounds`` changes."""
    from watwerkt.catalogue.models import System
    from watwerkt.engine import SystemState
    from watwerkt.status.revision import current_revision
    from watwerkt.status.services import SystemChange, set_system
    from watwerkt.status.writing import Actor

    pk = System.objects.get(slug=system).pk
    burst = Burst(url, connections)
    burst.run(connections * 4)  # open every connection, warm the page
    rates, fresh, first = [], [], []
    for _ in range(rounds):
        time.sleep(0.6)  # longer than a revision check: every process is at the old revision
        row = System.objects.get(pk=pk)
        state = SystemState.UP if row.state == "down" else SystemState.DOWN
        set_system(row, SystemChange(state), Actor("bench", "cli"))
        written, revision = time.monotonic(), current_revision()
        answers = burst.run(n)
        rates.append(n / (max(moment for moment, _ in answers) - written))
        showing = [moment - written for moment, number in answers if number >= revision]
        fresh.append(len(showing))
        first.append(min(showing) * 1000 if showing else float("nan"))
    burst.close()
    print(
        f"first {n} requests after a change ({connections} connections, {rounds} changes): "
        f"median {statistics.median(rates):,.0f} requests/s (lowest {min(rates):,.0f}); "
        f"answers showing the change: median {statistics.median(fresh):.0f} of {n}, "
        f"the first after median {statistics.median(first):.0f} ms"
    )


def revision_check(reads: int = 1000) -> str:
    """What the fast path pays for its freshness: one revision read, as it does it."""
    from watwerkt.webcache.clock import read_revision

    times = []
    for _ in range(reads):
        started = time.perf_counter()
        read_revision()
        times.append(time.perf_counter() - started)
    times.sort()
    median, p99 = statistics.median(times) * 1e6, times[int(0.99 * reads)] * 1e6
    return (
        f"revision check (once per process per WATWERKT_REVISION_CHECK_MS): "
        f"median {median:.0f} us, p99 {p99:.0f} us"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("url", nargs="?", default="")
    parser.add_argument("--check-only", action="store_true", help="only time the revision read")
    parser.add_argument("--system", default="reservatieplatform")
    parser.add_argument("--period", type=float, default=0.1, help="seconds between changes")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--settle", type=float, default=3, help="wait this long for the last")
    parser.add_argument("--burst", type=int, default=0, help="requests after each change")
    parser.add_argument("--rounds", type=int, default=5, help="changes, with --burst")
    parser.add_argument("--connections", type=int, default=32, help="with --burst")
    options = parser.parse_args()
    setup()
    if options.check_only or not options.url:
        print(revision_check())
        return
    if options.burst:
        bursts(options.url, options.system, options.burst, options.rounds, options.connections)
        return

    from watwerkt.catalogue.models import System
    from watwerkt.engine import SystemState
    from watwerkt.status.revision import current_revision
    from watwerkt.status.services import SystemChange, set_system
    from watwerkt.status.writing import Actor

    pk = System.objects.get(slug=options.system).pk
    actor = Actor("bench", "cli")
    watcher = Watcher(options.url)
    watcher.start()
    writes: list[tuple[float, int]] = []
    end = time.monotonic() + options.seconds
    while time.monotonic() < end:
        started = time.monotonic()
        system = System.objects.get(pk=pk)
        state = SystemState.UP if system.state == "down" else SystemState.DOWN
        set_system(system, SystemChange(state), actor)
        written = time.monotonic()  # committed: from here the clock runs
        writes.append((written, current_revision()))
        time.sleep(max(0.0, options.period - (time.monotonic() - started)))
    time.sleep(options.settle)
    watcher.stop.set()
    watcher.join()

    delays = [watcher.shown(revision, written) for written, revision in writes]
    report(writes, delays, options.seconds, options.settle)
    print(revision_check())  # after the load, so wrk does not disturb it


def report(
    writes: list[tuple[float, int]], delays: list[float | None], seconds: float, settle: float
) -> None:
    ms = sorted(d * 1000 for d in delays if d is not None)
    missed = len(delays) - len(ms)
    if not ms:
        print(f"{len(writes)} changes; none became visible within {settle} s")
        return
    print(
        f"{len(writes)} changes ({len(writes) / seconds:.1f}/s); visible after: "
        f"median {statistics.median(ms):.0f} ms, p90 {ms[int(0.9 * (len(ms) - 1))]:.0f} ms, "
        f"max {ms[-1]:.0f} ms; not visible within {settle:.0f} s: {missed}"
    )


if __name__ == "__main__":
    main()
