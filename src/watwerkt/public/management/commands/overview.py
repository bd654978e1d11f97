"""``watwerkt overview``: the press overview as Markdown, plain text, HTML or JSON."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from watwerkt.catalogue.models import Organisation
from watwerkt.present import press
from watwerkt.readmodel.load import load
from watwerkt.status.revision import revision_state


class Command(BaseCommand):
    help = (
        "Print the overview of what works and what doesn't, per domain, with "
        "alternatives and the 'as of' time: for the press, a poster or a CMS."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--format",
            choices=press.FORMATS,
            default="md",
            help="md (default), txt, html (a standalone document) or json (every item)",
        )
        parser.add_argument(
            "--lang",
            choices=[code for code, _name in settings.LANGUAGES],
            default="nl",
            help="language of the text (default nl); missing texts fall back to the "
            "organisation's language",
        )
        parser.add_argument(
            "--org", metavar="ID", help="the organisation (needed when there are several)"
        )
        parser.add_argument("-o", "--output", metavar="FILE", help="write here, not to stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["org"] or self._only_organisation()
        snapshot = load(slug, revision_state())
        if snapshot is None:
            raise CommandError(f"unknown organisation {slug!r}; known: {self._known()}")
        text = press.render(snapshot, options["format"], options["lang"])
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")

    def _only_organisation(self) -> str:
        slugs = list(Organisation.objects.values_list("slug", flat=True))
        if not slugs:
            raise CommandError("there are no organisations yet; import a catalogue first")
        if len(slugs) > 1:
            raise CommandError(
                f"there are several organisations; choose one with --org: {', '.join(slugs)}"
            )
        return slugs[0]

    def _known(self) -> str:
        return ", ".join(Organisation.objects.values_list("slug", flat=True)) or "none"
