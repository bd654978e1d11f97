"""Check a catalogue completely and turn it into :mod:`spec` values.

The order matters only for what can be checked at all: a file that is not
YAML has nothing more to check; everything after that (duplicate keys, the
schema, ids, references, cycles, dates, texts) is checked in one go, so a
person sees every error at once.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path as FilePath
from typing import Any

from .errors import CatalogueError, CatalogueInvalid, Collector, Mark
from .reader import Reader
from .references import Outside, check_references
from .schemacheck import check_schema
from .spec import CatalogueSpec
from .yamlio import Document, load_yaml

Source = str | bytes | Mapping[str, Any]
OutsideLoader = Callable[[set[str]], Outside]


def validate_catalogue(
    source: Source, *, filename: str, outside: OutsideLoader = Outside.load
) -> CatalogueSpec:
    """The catalogue as specs; raises :class:`CatalogueInvalid` with every error.

    ``source`` is YAML (text or UTF-8 bytes) or an already parsed mapping (a
    generated catalogue; its errors then name key paths but no lines).
    ``outside`` says what the database holds beyond the file's organisations.
    """
    document, errors = read_document(source, filename)
    collector = Collector(filename, document.positions)
    collector.extend(errors)
    if document.data is None:
        collector.raise_if_any()
    check_schema(document.data, collector)
    reader = Reader(collector)
    spec = reader.read(document.data)
    check_references(reader, spec, outside({o.slug for o in spec.organisations if o.slug}))
    collector.raise_if_any()
    return spec


def read_document(source: Source, filename: str) -> tuple[Document, list[CatalogueError]]:
    if isinstance(source, Mapping):
        return Document(_plain(source)), []
    if isinstance(source, bytes):
        try:
            return load_yaml(source.decode("utf-8-sig"), filename)
        except UnicodeDecodeError as exc:
            return Document(None), [_not_utf8(source, exc, filename)]
    return load_yaml(source, filename)


def read_file(path: str) -> bytes:
    """The bytes of ``path`` (``-``: standard input); :class:`CatalogueInvalid` if unreadable."""
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return FilePath(path).read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise CatalogueInvalid([CatalogueError(path, 0, 0, "", f"cannot read: {reason}")]) from None


def _not_utf8(raw: bytes, exc: UnicodeDecodeError, filename: str) -> CatalogueError:
    line = raw.count(b"\n", 0, exc.start) + 1
    column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
    mark = Mark(line, column)
    byte = raw[exc.start : exc.start + 1].hex()
    return CatalogueError(
        filename, mark.line, mark.column, "", f"not UTF-8 text (byte 0x{byte}); save it as UTF-8"
    )


def _plain(value: Any) -> Any:
    """A generated catalogue as the loader would give it: dates as the text
    written (the status parsers read them), tuples as lists, keys as strings."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value
