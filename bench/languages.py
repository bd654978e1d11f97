"""What a page in another language costs: the overview of a large city in Dutch, and
in French with every catalogue text falling back to Dutch (and so marked).

Run: ``.venv/bin/python bench/languages.py [--services 5000] [--keep DIR]``

The synthetic catalogue is in Dutch only, so its French overview is the worst
case for the marking of docs/languages.md: every name, qualifier and help
text is a ``Foreign`` text in ``<span lang="nl">`` with a note per block.
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import functools
import tempfile
from pathlib import Path

from overview import build, setup, show, timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="use (and keep) this directory")
    args = parser.parse_args()
    directory = args.keep or Path(tempfile.mkdtemp(prefix="watwerkt-bench-"))
    directory.mkdir(parents=True, exist_ok=True)
    setup(directory)

    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import timezone, translation

    from watwerkt.catalogue.models import Organisation, Service
    from watwerkt.present import overview as present
    from watwerkt.readmodel.load import load
    from watwerkt.status.revision import revision_state

    slug = Organisation.objects.values_list("slug", flat=True).first() or build(args.services)
    print(f"catalogue: {Service.objects.count()} services, database {directory}")
    snapshot = load(slug, revision_state())
    assert snapshot is not None
    base = reverse("public:overview", kwargs={"org": slug})

    def page(language: str) -> str:
        with translation.override(language), timezone.override(snapshot.organisation.time_zone):
            context = {"o": present.overview(snapshot, base), "home": ""}
            return render_to_string("public/overview.html", context)

    for language, said in (("nl", "Dutch"), ("fr", "French, every text marked as Dutch")):
        times, html = timed(functools.partial(page, language), args.runs)
        show(f"overview render, {said}", times, f"{len(html) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
