"""``watwerkt catalog validate|import|export|schema``: the catalogue as YAML.

Bad input (a missing file, bytes that are not UTF-8, YAML with mistakes)
is reported on stderr as ``FILE:LINE:COLUMN: KEY: message`` lines with exit
status 1, never as a traceback.
"""

from __future__ import annotations

import getpass
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from watwerkt.authoring.errors import CatalogueInvalid
from watwerkt.authoring.exporter import UnknownOrganisation, export_catalogue
from watwerkt.authoring.importer import import_catalogue
from watwerkt.authoring.references import Outside
from watwerkt.authoring.schemacheck import schema_text
from watwerkt.authoring.validation import read_file, validate_catalogue
from watwerkt.status.writing import Actor


def _outside_or_nothing(file_orgs: set[str]) -> Outside:
    """What the database knows beyond the file; nothing when there is no
    database yet, so that a file can be checked before anything is set up."""
    try:
        return Outside.load(file_orgs)
    except DatabaseError:
        return Outside()


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name in a bare container
        return "cli"


def _plural(count: int, kinds: str) -> str:
    return f"{count} {kinds.removesuffix('s') if count == 1 else kinds}"


class Command(BaseCommand):
    help = "Validate, import or export the catalogue as YAML, or print its JSON Schema."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        validate = actions.add_parser(
            "validate", help="check files and report every error; writes nothing"
        )
        validate.add_argument("files", nargs="+", metavar="FILE", help="a catalogue; - for stdin")
        load = actions.add_parser(
            "import", help="make the database match the file, in one transaction"
        )
        load.add_argument("file", metavar="FILE", help="a catalogue; - for stdin")
        load.add_argument(
            "--dry-run", action="store_true", help="print what would change and write nothing"
        )
        export = actions.add_parser("export", help="print the catalogue as canonical YAML")
        export.add_argument(
            "--org",
            action="append",
            dest="orgs",
            metavar="ID",
            help="only this organisation (repeat for more); default all",
        )
        export.add_argument("-o", "--output", metavar="FILE", help="write here, not to stdout")
        actions.add_parser("schema", help="print the JSON Schema of the format, for editors")

    def handle(self, *args: Any, **options: Any) -> None:
        match options["action"]:
            case "validate":
                self.validate(options["files"])
            case "import":
                self.load(options["file"], options["dry_run"])
            case "export":
                self.export(options["orgs"], options["output"])
            case "schema":
                self.stdout.write(schema_text(), ending="")

    def validate(self, files: list[str]) -> None:
        failed = 0
        for name in files:
            try:
                spec = validate_catalogue(
                    read_file(name), filename=name, outside=_outside_or_nothing
                )
            except CatalogueInvalid as exc:
                self.report(exc)
                failed += 1
                continue
            counts = ", ".join(_plural(n, kind) for kind, n in spec.count().items())
            self.stdout.write(f"{name}: valid ({counts})")
        if failed:
            raise CommandError(f"{failed} of {len(files)} files invalid", returncode=1)

    def load(self, name: str, dry_run: bool) -> None:
        try:
            report = import_catalogue(
                read_file(name), filename=name, actor=Actor(_user(), "import"), dry_run=dry_run
            )
        except CatalogueInvalid as exc:
            self.report(exc)
            raise CommandError(f"{name}: not imported, nothing written", returncode=1) from None
        self.stdout.write(report.render(), ending="")

    def export(self, orgs: list[str] | None, output: str | None) -> None:
        try:
            text = export_catalogue(orgs)
        except UnknownOrganisation as exc:
            raise CommandError(str(exc), returncode=1) from None
        if output is None:
            self.stdout.write(text, ending="")
            return
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"{output}: cannot write: {exc.strerror}", returncode=1) from None

    def report(self, invalid: CatalogueInvalid) -> None:
        for error in invalid.errors:
            self.stderr.write(str(error))
        count = len(invalid.errors)
        self.stderr.write(f"{count} error{'s' if count != 1 else ''}")
