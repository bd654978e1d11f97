"""How fast search answers on a large city's catalogue: 5,000 services.

Run: ``.venv/bin/python bench/search.py [--services 5000] [--rounds 5] [--keep DIR]``

Builds the synthetic catalogue (``watwerkt.authoring.synthetic``) in a
throwaway SQLite database through the real catalogue import, as
bench/overview.py does, then prints:

- the index build: cold (a fresh process: nothing stemmed yet), warm (the
  words already stemmed once, as after the first build), and what a status
  change costs (a new snapshot whose texts are unchanged: the index is kept);
- query latency, p50 / p95 / max, per kind of query in a realistic mix —
  exact names, synonyms, typos, questions, plurals and verb forms,
  compounds, single common words (the widest: thousands of matches) and
  queries that match nothing — for the engine alone (``Index.find``) and for
  :func:`watwerkt.search.services.search` as the console calls it (hits with
  their status in words); target < 100 ms;
- the public search page through Django (read model and index warm);
- memory: what the index holds (traced allocations) and the process's peak RSS.

Figures are printed, never asserted. Wall-clock times on a shared machine
include other processes' turns; CPU times are printed next to them.
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from overview import build, setup  # the same throwaway database set-up

TARGET_MS = 100.0


def queries(names: list[str], rng: random.Random) -> dict[str, list[str]]:
    """The query mix, per kind, drawn from the synthetic catalogue's own words."""
    from watwerkt.authoring.synthetic import SERVICE_NOUNS, SERVICE_TOPICS

    sample = rng.sample(names, 40)
    nouns, topics = SERVICE_NOUNS, SERVICE_TOPICS

    def typo(word: str) -> str:
        i = rng.randrange(1, len(word) - 1)
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # two letters swapped

    return {
        "exact name": sample[:20],
        "name, lower case, no number": [n.rsplit(" ", 1)[0].lower() for n in sample[20:40]],
        "synonym": [
            "reservering zalen",
            "getuigschrift bewoners",
            "kaartje cultuur",
            "signaleren bomen",
            "rekening water",
            "hernieuwen abonnement",
            "boeken sport",
            "afrekenen parkeren",
        ],
        "typo": [f"{typo(rng.choice(nouns))} {rng.choice(topics)}" for _ in range(10)]
        + [f"{rng.choice(nouns)} {typo(rng.choice(topics))}" for _ in range(10)],
        "question": [
            "kan ik mijn vergunning voor terrassen verlengen",
            "hoe vraag ik een premie voor energie aan",
            "waar kan ik een attest voor verenigingen afhalen",
            "werkt het betalen van een abonnement voor sport nog",
            "wanneer kan ik weer een reservatie voor zalen maken",
            "kan ik de factuur van mijn inschrijving jeugdwerk raadplegen",
        ],
        "plural / verb form": [
            "vergunningen",
            "premies fietsen",
            "attesten senioren",
            "afgehaald",
            "aangevraagd subsidie",
            "betaald ticket",
        ],
        "compound": [
            "terrassenvergunning",
            "fietsenpremie",
            "sportabonnement",
            "hondenregistratie",
            "waterfactuur",
        ],
        "one common word": ["aanvragen", "vergunning", "betalen", "kaart", "melden"],
        "no match": ["xylofoon", "qwzrtpl", "kan ik", "12345678", "zzz zzz zzz", "?!"],
    }


def percentiles(values: list[float]) -> tuple[float, float, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95, ordered[-1]


def measure(fn: Callable[[str], Any], mix: dict[str, list[str]], rounds: int) -> None:
    everything: list[float] = []
    cpu_all: list[float] = []
    for kind, texts in mix.items():
        wall: list[float] = []
        counts: list[int] = []
        for _ in range(rounds):
            for text in texts:
                t0, c0 = time.perf_counter(), time.process_time()
                found = fn(text)
                wall.append((time.perf_counter() - t0) * 1000)
                cpu_all.append((time.process_time() - c0) * 1000)
                counts.append(len(found))
        everything += wall
        p50, p95, worst = percentiles(wall)
        print(
            f"  {kind:<30} p50 {p50:6.2f} ms  p95 {p95:6.2f} ms  max {worst:6.2f} ms"
            f"  ({len(texts)} queries, median {statistics.median(counts):.0f} matches)"
        )
    p50, p95, worst = percentiles(everything)
    print(
        f"  {'all':<30} p50 {p50:6.2f} ms  p95 {p95:6.2f} ms  max {worst:6.2f} ms"
        f"  (CPU p95 {percentiles(cpu_all)[1]:.2f} ms, max {max(cpu_all):.2f} ms;"
        f" target < {TARGET_MS:.0f} ms)"
    )


def timed(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    gc.collect()
    t0, c0 = time.perf_counter(), time.process_time()
    result = fn()
    return (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5, help="times each query is asked")
    parser.add_argument("--seed", type=int, default=7, help="seed of the query mix")
    parser.add_argument("--keep", type=Path, help="use (and keep) this directory")
    args = parser.parse_args()
    directory = args.keep or Path(tempfile.mkdtemp(prefix="watwerkt-bench-"))
    directory.mkdir(parents=True, exist_ok=True)
    setup(directory)

    from django.test import Client
    from django.urls import reverse
    from django.utils.translation import activate

    from watwerkt.catalogue.models import Organisation, Service
    from watwerkt.readmodel.load import load
    from watwerkt.readmodel.snapshot import snapshots
    from watwerkt.search import services
    from watwerkt.search.index import Index
    from watwerkt.status.revision import revision_state

    t0 = time.perf_counter()
    if Organisation.objects.exists():
        slug = str(Organisation.objects.values_list("slug", flat=True)[0])
        built = "reused"
    else:
        slug = build(args.services)
        built = f"built in {time.perf_counter() - t0:.1f} s"
    print(f"catalogue: {Service.objects.count()} services, database {directory} ({built})")
    activate("nl")
    snapshot = load(slug, revision_state())
    assert snapshot is not None
    language = snapshot.organisation.language

    documents = services.documents_of(snapshot)
    wall, cpu, index = timed(lambda: Index(documents, "nl", language))
    print(f"index build, cold (nothing stemmed yet)   {wall:8.1f} ms  (CPU {cpu:.1f} ms)")
    builds = [timed(lambda: Index(documents, "nl", language))[:2] for _ in range(3)]
    print(
        f"index build, warm (best of 3)             {min(w for w, _ in builds):8.1f} ms"
        f"  (CPU {min(c for _, c in builds):.1f} ms)"
    )
    again = load(slug, revision_state())
    assert again is not None
    wall, cpu, _ = timed(lambda: services.documents_of(again) == documents)
    print(f"after a status change (texts compared)    {wall:8.1f} ms  (CPU {cpu:.1f} ms)")

    names = [next(iter(s.name.values())) for s in snapshot.services.values()]
    mix = queries(names, random.Random(args.seed))
    print(f"\nengine alone (Index.find), each query {args.rounds} times:")
    measure(lambda q: index.find(q).matches, mix, args.rounds)

    services.indexes.clear()
    services.search(slug, "aanvragen")  # loads the read model, URLs, translations
    print("\nsearch() as the console calls it (10 hits with status in words):")
    measure(lambda q: services.search(slug, q, "nl", 10), mix, args.rounds)

    client = Client()
    snapshots.clear()
    page = reverse("public:search", kwargs={"org": slug})
    client.get(page, {"q": "warm up"})
    wall_times, cpu_times = [], []
    for text in mix["question"] + mix["typo"]:
        t0, c0 = time.perf_counter(), time.process_time()
        response = client.get(page, {"q": text})
        wall_times.append((time.perf_counter() - t0) * 1000)
        cpu_times.append((time.process_time() - c0) * 1000)
    p50, p95, worst = percentiles(wall_times)
    print(
        f"\npublic search page through Django        p50 {p50:6.2f} ms  p95 {p95:6.2f} ms"
        f"  max {worst:6.2f} ms  (CPU p95 {percentiles(cpu_times)[1]:.2f} ms;"
        f" status {response.status_code}, up to 20 hits a page)"
    )

    gc.collect()
    tracemalloc.start()
    kept = Index(documents, "nl", language)
    held, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del kept
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\nmemory: index holds {held / 2**20:.1f} MiB (peak {peak / 2**20:.1f} MiB while "
        f"building), {len(index.postings)} words; process max RSS {rss:.0f} MiB"
    )


if __name__ == "__main__":
    main()
