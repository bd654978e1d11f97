"""Helpers for the catalogue tests: the files in ``files/``, checking and importing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from watwerkt.authoring.errors import CatalogueInvalid
from watwerkt.authoring.importer import ImportReport, import_catalogue
from watwerkt.authoring.references import Outside
from watwerkt.authoring.spec import CatalogueSpec
from watwerkt.authoring.validation import Source, validate_catalogue
from watwerkt.status.writing import Actor

FILES = Path(__file__).parent / "files"
IMPORTER = Actor("tester", "import")


def text(name: str) -> str:
    return (FILES / name).read_text(encoding="utf-8")


def no_database(file_orgs: set[str]) -> Outside:
    """Validation as if the database held nothing beyond the file."""
    return Outside()


def check(source: Source, filename: str = "test.yaml") -> CatalogueSpec:
    return validate_catalogue(source, filename=filename, outside=no_database)


def errors(source: Source, filename: str = "test.yaml") -> list[str]:
    """Every error of an invalid catalogue, as the CLI prints them."""
    with pytest.raises(CatalogueInvalid) as caught:
        check(source, filename)
    return [str(e) for e in caught.value.errors]


def load(source: Source | dict[str, Any], **options: Any) -> ImportReport:
    return import_catalogue(source, filename="test.yaml", actor=IMPORTER, **options)
