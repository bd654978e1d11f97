"""How fast the public overview is built for a large city: 5,000 services.

Run: ``.venv/bin/python bench/overview.py [--services 5000] [--keep DIR] [--database URL]``

Builds a synthetic catalogue in a throwaway SQLite database under a temporary
directory (or in the database ``--database`` names, which must be one to
throw away: the bench writes to it) through the real catalogue import
(statuses included), then prints:

- read-model load time (all queries, cold),
- the read model followed after one status change (an item's, then a
  system's): what a process does instead of loading it again,
- overview render, uncached: building the page's values from the read model
  and rendering the template (target < 150 ms for 5,000 services),
- the same through the whole Django stack (middleware, ETag) with the read
  model warm,
- a service page render,
- the overview's size (raw and gzip),
- peak memory (traced Python allocations during load + render, and the
  process's peak resident size).

Figures are printed, never asserted: this is a measuring tool, not a test.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any


def setup(directory: Path, database: str | None = None) -> None:
    os.environ["WATWERKT_VAR_DIR"] = str(directory)
    os.environ["DATABASE_URL"] = database or f"sqlite:///{directory / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "watwerkt.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # No collectstatic in a throwaway directory: serve CSS names unhashed.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0, interactive=False)


def build(services: int) -> str:
    """Fill the database; return the organisation's slug."""
    from watwerkt.authoring.importer import import_catalogue
    from watwerkt.authoring.synthetic import Sizes, generate
    from watwerkt.status.writing import Actor

    catalogue, _counts = generate(Sizes.for_services(services))
    # The real import path, statuses included, as `watwerkt demo --synthetic N` uses.
    import_catalogue(catalogue, filename="synthetic", actor=Actor("bench", "import"))
    return str(catalogue["organisations"][0]["id"])


Times = tuple[list[float], list[float]]  # wall-clock and CPU milliseconds per run


def timed(fn: Callable[[], Any], runs: int) -> tuple[Times, Any]:
    """Run ``fn`` ``runs`` times. CPU time is printed too: on a shared machine
    wall-clock time also counts the time other processes had the CPU."""
    wall: list[float] = []
    cpu: list[float] = []
    result = None
    for _ in range(runs):
        gc.collect()
        t0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return (wall, cpu), result


def show(label: str, times: Times, note: str = "") -> None:
    wall, cpu = times
    print(
        f"{label:<46} median {statistics.median(wall):7.1f} ms  best {min(wall):7.1f} ms  "
        f"(CPU median {statistics.median(cpu):7.1f} ms){'  ' + note if note else ''}"
    )


def follow_up(snapshot: Any, runs: int) -> None:
    """Time following the read model after one write, the write itself not counted:
    an item's manual status, a system going down and up again, and an incident
    update published (which moves "changed since the previous update")."""
    from watwerkt.catalogue.models import FunctionChannel, Organisation, System
    from watwerkt.engine import Level, SystemState
    from watwerkt.incidents.services import create_incident, post_update
    from watwerkt.readmodel.follow import follow
    from watwerkt.readmodel.load import load
    from watwerkt.status.models import StatusEvent
    from watwerkt.status.revision import revision_state
    from watwerkt.status.services import SystemChange, set_status, set_system
    from watwerkt.status.values import ManualStatus
    from watwerkt.status.writing import Actor

    actor = Actor("bench", "cli")
    items = FunctionChannel.objects.filter(
        function__service__organisation_id=snapshot.organisation.id
    )
    chosen = items.order_by("id")[len(snapshot.services)]  # somewhere in the middle
    system = System.objects.order_by("id")[System.objects.count() // 2]

    # Each write flips what is stored, so that every one changes something.
    def flip_item() -> None:
        chosen.refresh_from_db()
        level = Level.UNAVAILABLE if chosen.level == Level.LIMITED.word else Level.LIMITED
        set_status([chosen], ManualStatus(level), actor)

    def flip_system() -> None:
        system.refresh_from_db()
        state = SystemState.UP if system.state == SystemState.DOWN.word else SystemState.DOWN
        set_system(system, SystemChange(state), actor)

    organisation = Organisation.objects.get(pk=snapshot.organisation.id)
    incident = create_incident(organisation, {"nl": "Storing"}, actor)

    def publish_update() -> None:
        post_update(incident, {"nl": "Stand van zaken"}, actor, publish=True)

    writes = [
        ("one item's status", flip_item),
        ("one system down or up", flip_system),
        ("an incident update", publish_update),
    ]
    held = snapshot
    for label, write in writes:
        wall: list[float] = []
        cpu: list[float] = []
        events: list[int] = []
        for _ in range(runs):
            write()
            assert held.watermark is not None
            events.append(StatusEvent.objects.filter(id__gt=held.watermark.event_id).count())
            gc.collect()
            t0, c0 = time.perf_counter(), time.process_time()
            followed = follow(held, revision_state())
            wall.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
            if followed is None:
                print(f"read model follow-up, {label}: loaded whole instead")
                return
            held = followed
        same = "equal to a full load" if held == load(held.organisation.slug) else "DIFFERS"
        note = f"{statistics.median(events):.0f} events; {same}"
        show(f"read model follow-up, {label}", (wall, cpu), note)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="use (and keep) this directory")
    parser.add_argument(
        "--database",
        help="a database URL to build in instead of SQLite, e.g. an empty PostgreSQL "
        "database made for the bench (never one that matters: the bench writes to it)",
    )
    args = parser.parse_args()
    directory = args.keep or Path(tempfile.mkdtemp(prefix="watwerkt-bench-"))
    directory.mkdir(parents=True, exist_ok=True)
    setup(directory, args.database)

    from django.template.loader import render_to_string
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.translation import activate

    from watwerkt.catalogue.models import Organisation, Service
    from watwerkt.present import overview as present
    from watwerkt.present.service import service_page as page_of
    from watwerkt.readmodel.load import load
    from watwerkt.readmodel.snapshot import snapshots
    from watwerkt.readmodel.values import Snapshot
    from watwerkt.status.revision import revision_state

    t0 = time.perf_counter()
    if Organisation.objects.exists():
        slug = str(Organisation.objects.values_list("slug", flat=True)[0])
        built = "reused"
    else:
        slug = build(args.services)
        built = f"built in {time.perf_counter() - t0:.1f} s"
    services = Service.objects.count()
    where = args.database.rpartition("@")[2] if args.database else directory
    print(f"catalogue: {services} services, database {where} ({built})")
    activate("nl")
    revision = revision_state()
    base = reverse("public:overview", kwargs={"org": slug})

    times, loaded = timed(lambda: load(slug, revision), args.runs)
    show("read model load (cold, all queries)", times)
    snapshot: Snapshot = loaded
    follow_up(snapshot, args.runs)
    revision = revision_state()
    reloaded = load(slug, revision)
    assert reloaded is not None
    snapshot = reloaded

    def values() -> Any:
        with timezone.override(snapshot.organisation.time_zone):
            return present.overview(snapshot, base)

    def page() -> str:
        with timezone.override(snapshot.organisation.time_zone):
            context = {"o": present.overview(snapshot, base), "home": ""}
            return render_to_string("public/overview.html", context)

    times, _o = timed(values, args.runs)
    show("overview values from the read model", times)
    times, html = timed(page, args.runs)
    show(f"overview render, uncached ({services} services)", times, "target < 150 ms")

    client = Client()
    snapshots.clear()
    client.get(base)  # loads the read model once
    times, response = timed(lambda: client.get(base), args.runs)
    show("overview through Django (read model warm)", times, f"status {response.status_code}")
    etag = response["ETag"]
    times, response = timed(lambda: client.get(base, headers={"if-none-match": etag}), args.runs)
    show("overview 304 on a matching ETag", times, f"status {response.status_code}")
    first = next(iter(snapshot.services.values()))
    busiest = max(snapshot.services.values(), key=lambda s: len(s.items))

    def service_page(s: Any) -> str:
        with timezone.override(snapshot.organisation.time_zone):
            context = {
                "s": page_of(snapshot, s, base),
                "overview_url": base,
                "home": "",
            }
            return render_to_string("public/service.html", context)

    times, _ = timed(lambda: service_page(busiest), args.runs)
    show(f"service page render ({len(busiest.items)} items)", times)
    times, _ = timed(lambda: client.get(f"{base}{first.slug}/"), args.runs)
    show("service page through Django", times)

    raw = html.encode()
    packed = gzip.compress(raw)
    print(f"overview HTML size: {len(raw) / 1024:.0f} KiB, gzip {len(packed) / 1024:.0f} KiB")
    gc.collect()
    tracemalloc.start()
    again = load(slug, revision)
    assert again is not None
    with timezone.override(again.organisation.time_zone):
        render_to_string("public/overview.html", {"o": present.overview(again, base)})
    _cur, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak / 2**20:.0f} MiB traced (load + render), {rss:.0f} MiB max RSS")


if __name__ == "__main__":
    main()
