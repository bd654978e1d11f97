"""Errors in a catalogue file, and where they are.

Every problem the loader, the schema or the checks find becomes one
:class:`CatalogueError` naming file, line, column and key path
(``organisations[0].domains[1].services[3].status.level``), so a person can
go straight to it. They are collected, not raised one by one: a catalogue
with ten mistakes should need one round of fixing, not ten.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

Path = tuple[str | int, ...]


def path_text(path: Path) -> str:
    """``("organisations", 0, "name")`` -> ``organisations[0].name``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


@dataclass(frozen=True)
class Mark:
    """A position in the file, 1-based like editors count."""

    line: int
    column: int

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}"


@dataclass(frozen=True, order=True)
class CatalogueError:
    filename: str
    line: int  # 0 when the catalogue came without positions (a generated dict)
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.filename}:{self.line}:{self.column}" if self.line else self.filename
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class CatalogueInvalid(ValueError):
    """The catalogue has errors; ``errors`` lists every one, in file order."""

    def __init__(self, errors: Sequence[CatalogueError]) -> None:
        self.errors = sorted(set(errors))
        count = len(self.errors)
        super().__init__(
            f"{count} error{'s' if count != 1 else ''} in the catalogue:\n"
            + "\n".join(map(str, self.errors))
        )


@dataclass
class Positions:
    """Where each value (and each mapping key) of a loaded document starts."""

    values: dict[Path, Mark] = field(default_factory=dict)
    keys: dict[Path, Mark] = field(default_factory=dict)

    def of(self, path: Path, *, key: bool = False) -> Mark | None:
        """The position of ``path`` (its key, if asked and known), else of its
        nearest ancestor: a missing key is reported on the mapping that lacks it."""
        if key and path in self.keys:
            return self.keys[path]
        for end in range(len(path), -1, -1):
            mark = self.values.get(path[:end])
            if mark is not None:
                return mark
        return None

    def describe(self, path: Path) -> str:
        """How to name a place in a message ("line 4, column 7", or its key path)."""
        mark = self.values.get(path)
        return str(mark) if mark else path_text(path)


@dataclass
class Collector:
    """Gathers errors against one file."""

    filename: str
    positions: Positions = field(default_factory=Positions)
    errors: list[CatalogueError] = field(default_factory=list)

    def add(self, path: Path, message: str, *, key: bool = False) -> None:
        mark = self.positions.of(path, key=key)
        line, column = (mark.line, mark.column) if mark else (0, 0)
        self.errors.append(CatalogueError(self.filename, line, column, path_text(path), message))

    def at(self, mark: Mark | None, message: str, path: Path = ()) -> None:
        line, column = (mark.line, mark.column) if mark else (0, 0)
        self.errors.append(CatalogueError(self.filename, line, column, path_text(path), message))

    def extend(self, errors: Iterable[CatalogueError]) -> None:
        self.errors.extend(errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise CatalogueInvalid(self.errors)
