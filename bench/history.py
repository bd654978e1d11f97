"""How fast history is for a large city: 5,000 services with 90 days of status events.

Run: ``.venv/bin/python bench/history.py [--services 5000] [--changes 6] [--keep DIR]``
(needs the development extras, for ``time-machine``: ``pip install -e '.[dev]'``).

Builds, in a throwaway SQLite database under a temporary directory:

- the synthetic catalogue through the real catalogue import, with the clock set
  90 days back, so the services and domains come into being then;
- 90 days of status history written directly in bulk, in the shape the write
  path gives events (``old`` and ``new`` effective statuses, one revision per
  moment, the domains' roll-ups following their services), with a realistic
  number of changes per service (``--changes``, on average; a recovery: more
  often towards working as the weeks pass); the current statuses are left as
  the last events say.

Then prints, next to the targets:

- the rollup build: all 90 closed days from the events, and one newly closed
  day added to every row (what the first page view after midnight does);
- the render of 5,000 services x 90 days: the bars' data (stored days + today
  live), their SVG and text, and the whole history page (target < 200 ms);
- one service's bar, and its SVG;
- the recovery progress and curve;
- memory: traced Python allocations while building the history page, and peak RSS.

Figures are printed, never asserted: this is a measuring tool, not a test.
The machine may be shared: CPU time is printed next to wall-clock time.
"""

from __future__ import annotations

import argparse
import gc
import math
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

from overview import setup

LEVELS = ["available", "limited", "unknown", "maintenance", "unavailable"]
WORKS = {"available", "limited"}


Times = tuple[list[float], list[float]]


def timed(fn: Callable[[], Any], runs: int) -> tuple[Times, Any]:
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
        f"{label:<52} median {statistics.median(wall):8.1f} ms  best {min(wall):8.1f} ms  "
        f"(CPU {statistics.median(cpu):8.1f} ms){'  ' + note if note else ''}"
    )


# -- the catalogue and its history -----------------------------------------------------------


def build(services: int, start: datetime) -> str:
    """Import the synthetic catalogue as of ``start``; return the organisation's slug."""
    import time_machine

    from watwerkt.authoring.importer import import_catalogue
    from watwerkt.authoring.synthetic import Sizes, generate
    from watwerkt.status.writing import Actor

    catalogue, _counts = generate(Sizes.for_services(services))
    with time_machine.travel(start, tick=False):
        import_catalogue(catalogue, filename="synthetic", actor=Actor("bench", "import"))
    return str(catalogue["organisations"][0]["id"])


def status(level: str, since: datetime, counts: dict[str, int]) -> dict[str, Any]:
    """An effective status in its stored form (watwerkt.status.values.status_to_json)."""
    return {
        "level": level,
        "qualifiers": [],
        "since": None if level == "available" else since.isoformat(),
        "expected": None,
        "derived": False,
        "pinned": False,
        "causes": [],
        "counts": counts,
    }


def rolled_up(counts: Counter[str]) -> str:
    """The engine's roll-up rule (watwerkt.engine.rollup), on counts of levels."""
    present = [level for level in LEVELS if counts[level]]
    if len(present) == 1:
        return present[0]
    if counts["available"] or counts["limited"]:
        return "limited"
    return max(present, key=LEVELS.index)


def next_level(rng: random.Random, current: str, progress: float) -> str:
    """A recovery: the further along, the likelier a change is towards working."""
    weights = {
        "available": 1 + 6 * progress,
        "limited": 2.0,
        "unknown": 0.3,
        "maintenance": 0.2,
        "unavailable": 2.5 * (1 - progress) + 0.3,
    }
    choices = [level for level in LEVELS if level != current]
    return rng.choices(choices, [weights[c] for c in choices])[0]


def history(slug: str, start: datetime, end: datetime, changes: float, seed: int) -> int:
    """Write ~``changes`` service changes per service between ``start`` and ``end``,
    with the domain events they cause; leave the current statuses as the last events."""
    from watwerkt.catalogue.models import Organisation, Service
    from watwerkt.status.models import EffectiveStatus, Revision, StatusEvent

    rng = random.Random(seed)
    org = Organisation.objects.get(slug=slug)
    domain_of = dict(Service.objects.filter(organisation=org).values_list("id", "domain_id"))
    rows = {
        (r.subject, r.object_id): r
        for r in EffectiveStatus.objects.filter(organisation=org, subject__in=["service", "domain"])
    }
    level = {sid: rows[("service", sid)].value["level"] for sid in domain_of}
    per_domain: dict[int, Counter[str]] = {}
    for sid, did in domain_of.items():
        per_domain.setdefault(did, Counter())[level[sid]] += 1
    span = (end - start).total_seconds()
    moments = []
    for sid in domain_of:
        for _ in range(_poisson(rng, changes)):
            moments.append((start + timedelta(seconds=rng.uniform(60, span - 60)), sid))
    moments.sort()
    paths = {
        (subject, object_id): path
        for subject, object_id, path in StatusEvent.objects.filter(
            organisation=org, layer="effective", subject__in=["service", "domain"]
        ).values_list("subject", "object_id", "path")
    }
    revision = Revision.objects.get(pk=1).number
    events = []
    for at, sid in moments:
        revision += 1
        new_level = next_level(rng, level[sid], (at - start).total_seconds() / span)
        did = domain_of[sid]
        counts = per_domain[did]
        counts[level[sid]] -= 1
        counts[new_level] += 1
        level[sid] = new_level
        for subject, object_id, value in (
            ("service", sid, status(new_level, at, {new_level: 1})),
            ("domain", did, status(rolled_up(counts), at, {k: v for k, v in counts.items() if v})),
        ):
            row = rows[(subject, object_id)]
            events.append(
                StatusEvent(
                    at=at,
                    revision=revision,
                    organisation=org,
                    subject=subject,
                    object_id=object_id,
                    path=paths.get((subject, object_id), f"{slug}/{object_id}"),
                    layer="effective",
                    source="demo",
                    actor="bench",
                    old=row.value,
                    new=value,
                )
            )
            row.value, row.revision, row.changed_at = value, revision, at
    StatusEvent.objects.bulk_create(events, batch_size=5000)
    EffectiveStatus.objects.bulk_update(
        list(rows.values()), ["value", "revision", "changed_at"], batch_size=2000
    )
    Revision.objects.filter(pk=1).update(number=revision, changed_at=end)
    return len(events)


def _poisson(rng: random.Random, mean: float) -> int:
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


# -- the measurements ------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=5000)
    parser.add_argument("--changes", type=float, default=6.0, help="per service, on average")
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--keep", type=Path, help="use (and keep) this directory")
    args = parser.parse_args()
    directory = args.keep or Path(tempfile.mkdtemp(prefix="watwerkt-bench-"))
    directory.mkdir(parents=True, exist_ok=True)
    setup(directory)

    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.translation import activate

    from watwerkt.catalogue.models import Organisation
    from watwerkt.history import bars, recovery, rollups
    from watwerkt.history.days import local_day
    from watwerkt.history.models import DayRollup
    from watwerkt.present import history as present
    from watwerkt.present.charts import BarWriter, Words, bar_html, curve_svg
    from watwerkt.public.history import organisation_html
    from watwerkt.readmodel.load import load
    from watwerkt.status.models import StatusEvent
    from watwerkt.status.revision import revision_state

    now = timezone.now()
    start = now - timedelta(days=args.days, hours=1)
    t0 = time.perf_counter()
    if Organisation.objects.exists():
        slug, built = str(Organisation.objects.values_list("slug", flat=True)[0]), "reused"
    else:
        slug = build(args.services, start)
        written = history(slug, start, now - timedelta(minutes=5), args.changes, args.seed)
        built = f"built in {time.perf_counter() - t0:.1f} s, {written} history events written"
    org = Organisation.objects.get(slug=slug)
    events = StatusEvent.objects.filter(organisation=org, layer="effective")
    print(
        f"catalogue: {org.services.count()} services, {org.domains.count()} domains; "
        f"{events.filter(subject='service').count()} service and "
        f"{events.filter(subject='domain').count()} domain events; database {directory} ({built})"
    )
    activate("nl")
    snapshot = load(slug, revision_state())
    assert snapshot is not None
    zone = org.time_zone
    first = local_day(start, ZoneInfo(zone))

    # -- rollups
    gc.collect()
    t, c = time.perf_counter(), time.process_time()
    done = rollups.store(org.pk, zone, now=now)
    show(
        "rollup store: every closed day not stored yet",
        ([(time.perf_counter() - t) * 1000], [(time.process_time() - c) * 1000]),
        f"{done.written} rows, days {done.first} .. {done.through}",
    )
    times, _ = timed(lambda: rollups.store(org.pk, zone, since=first, now=now), 3)
    show("rollup rebuild from the first day (--since)", times)
    times, _ = timed(lambda: rollups.store(org.pk, zone, since=done.through, now=now), args.runs)
    show("rollup: recompute the last closed day", times, "no row changes")
    stored = DayRollup.objects.filter(organisation=org)
    size = sum(len(d) + len(m) for d, m in stored.values_list("days", "mixed"))
    print(f"stored: {stored.count()} rows, {size / 1024:.0f} KiB of day codes and seconds")

    # -- the 5,000 x 90 render
    current = {s.id: s.level for s in snapshot.services.values()}

    def svgs() -> int:
        with timezone.override(zone):
            writer = BarWriter(window, Words())
            return sum(len(writer.html(b, "dienst", days=False)) for b in found.values())

    bars.closed_days.clear()
    times, (window, found) = timed(
        lambda: bars.bars(org.pk, zone, "service", current, now=now, days=args.days), 1
    )
    show("bars' data, first read of the day (cold)", times, "stored days read and decoded")
    times, html_size = timed(svgs, 1)
    show("bars' SVG and words, first of the day (cold)", times, "stored days drawn")
    times, (window, found) = timed(
        lambda: bars.bars(org.pk, zone, "service", current, now=now, days=args.days), args.runs
    )
    show(f"bars' data: {len(found)} services x {len(window)} days", times, "stored + today live")
    mixed = sum(len(b.mixed) for b in found.values())
    print(f"  {mixed} days with a change in the window ({mixed / len(found):.1f} per service)")
    times, html_size = timed(svgs, args.runs)
    show(f"bars' SVG and words, {len(found)} services", times, f"{html_size / 2**20:.1f} MiB")

    def with_days() -> int:
        with timezone.override(zone):
            writer = BarWriter(window, Words())
            return sum(len(writer.html(b, "dienst")) for b in found.values())

    times, html_size = timed(with_days, 3)
    show("  the same with every day listed in words", times, f"{html_size / 2**20:.1f} MiB")
    base = reverse("public:overview", kwargs={"org": slug})

    def page_values() -> Any:
        with timezone.override(zone):
            return present.organisation_history(snapshot, now, base)

    times, _ = timed(page_values, args.runs)
    show(f"history page values, {len(found)} x {args.days}", times, "target < 200 ms")
    print("  (data and SVG of every domain and service; the stored days drawn already)")

    def page() -> str:
        with timezone.override(zone):
            h = present.organisation_history(snapshot, now, base)
            return organisation_html(h, {"overview_url": base}, None)

    times, html = timed(page, args.runs)
    show("history page render (template included)", times, f"{len(html) / 2**20:.1f} MiB")
    client = Client()
    times, response = timed(lambda: client.get(f"{base}geschiedenis/"), 3)
    show("history page through Django", times, f"status {response.status_code}")

    # -- one service
    one = next(iter(snapshot.services.values()))
    times, (w1, b1) = timed(
        lambda: bars.bars(org.pk, zone, "service", {one.id: one.level}, [one.id], now), args.runs
    )
    show("one service's bar: data", times)
    with timezone.override(zone):
        svg = bar_html(w1, b1[one.id], one.slug, Words(), days=False)
    times, response = timed(lambda: client.get(f"{base}{one.slug}/geschiedenis/"), args.runs)
    show("one service's history page through Django", times, f"status {response.status_code}")
    print(f"  its bar: {len(svg)} bytes of SVG, codes {b1[one.id].codes}")

    # -- recovery
    services = {
        s.id: recovery.ServiceNow(d.id, s.level) for d in snapshot.domains for s in d.services
    }
    times, found = timed(lambda: recovery.progress(org.pk, services, now), args.runs)
    show("recovery progress (events since the start)", times)
    overall = found.overall
    print(
        f"  {overall.working} of {overall.affected} affected services work again "
        f"({found.total} services); curve of {len(overall.points)} steps "
        f"since {found.start:%Y-%m-%d}"
    )

    def curve() -> str:
        return curve_svg(overall.points, found.start, found.until, overall.affected, "herstel")

    times, path = timed(curve, args.runs)
    show("recovery curve SVG", times, f"{len(path) / 1024:.0f} KiB")
    times, response = timed(lambda: client.get(f"{base}herstel/"), 3)
    show("recovery page through Django", times, f"status {response.status_code}")

    # -- memory
    gc.collect()
    tracemalloc.start()
    page()
    _cur, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak / 2**20:.0f} MiB traced (history page), {rss:.0f} MiB max RSS")

    # -- a day closes: what the first page view after midnight does (run last: it stores
    # days in this run's future, which the next run notices and rebuilds)
    closes = [now + timedelta(days=d) for d in range(1, 4)]
    times, _ = timed(lambda: rollups.store(org.pk, zone, now=closes.pop(0)), 3)
    show("rollup: store the day that just closed", times, "one day added to every row")


if __name__ == "__main__":
    main()
