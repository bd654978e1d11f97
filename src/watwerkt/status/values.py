"""Parse and serialise status values: levels, qualifiers, expected returns.

One set of parsers serves the catalogue import, the CLI and (later) the
console and the API, so a status word or an impossible date gets the same
error everywhere. Every parser raises :class:`ValueError` with a message that
names the bad value and says what would be right.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from watwerkt.engine import (
    Cause,
    Expected,
    Level,
    Manual,
    Qualifier,
    Status,
    SystemState,
    SystemStatus,
)
from watwerkt.engine.levels import QUALIFIERS_NEEDING_DATE, QUALIFIERS_NEEDING_TEXT

VAGUE_EXPECTED = ("days", "weeks", "months")
EXPECTED_HELP = "a date (2023-03-15), a month (2023-03), days, weeks, months, or none"
# The years any date or moment typed anywhere (CLI, import, API, console) may name:
# anything else is a typo (and years 1 and 9999 cannot even be moved between time
# zones). The console checks its fields against the same range (console/moments.py).
YEARS = range(2000, 2101)


def _in_range(year: int, text: str) -> None:
    if year not in YEARS:
        raise ValueError(
            f"{text!r}: the year {year} is out of range (use {YEARS.start}..{YEARS.stop - 1})"
        )


def parse_date(raw: object) -> date:
    """``YYYY-MM-DD`` (or a date YAML already parsed) as a date; impossible dates fail."""
    if isinstance(raw, date):  # YAML read it already
        day = raw.date() if isinstance(raw, datetime) else raw
        _in_range(day.year, day.isoformat())
        return day
    text = str(raw).strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(f"{text!r} is not a date (expected YYYY-MM-DD)")
    _in_range(int(text[:4]), text)
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"impossible date {text!r}: {exc}") from None


def parse_datetime(raw: object) -> datetime:
    """An ISO 8601 date-time; without an offset it is read in the current time zone."""
    if isinstance(raw, datetime):
        value = raw
    elif isinstance(raw, date):
        value = datetime(raw.year, raw.month, raw.day)
    else:
        text = str(raw).strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            value = datetime.combine(parse_date(text), datetime.min.time())
        else:
            try:
                value = datetime.fromisoformat(text)
            except ValueError:
                if re.match(r"\d{4}-\d{2}-\d{2}", text):
                    parse_date(text[:10])  # names an impossible day precisely
                raise ValueError(
                    f"{text!r} is not a date and time (expected e.g. 2022-12-06T09:10)"
                ) from None
    _in_range(value.year, str(raw).strip())
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def parse_expected(raw: object) -> Expected:
    """When something is expected back: see :data:`EXPECTED_HELP`."""
    if isinstance(raw, date | datetime):
        return Expected("date", parse_date(raw).isoformat())
    text = str(raw).strip().lower()
    if text in VAGUE_EXPECTED:
        return Expected(text)
    if text in ("none", "unknown", "no date"):
        return Expected("none")
    if re.fullmatch(r"\d{4}-\d{2}", text):
        year, month = int(text[:4]), int(text[5:])
        if not 1 <= month <= 12:
            raise ValueError(f"impossible month {text!r}: month must be 1..12")
        _in_range(year, text)
        return Expected("month", f"{year:04d}-{month:02d}")
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
        return Expected("date", parse_date(text).isoformat())
    raise ValueError(f"expected return {raw!r} not understood; use {EXPECTED_HELP}")


def expected_to_json(expected: Expected | None) -> dict[str, str] | None:
    if expected is None:
        return None
    return (
        {"kind": expected.kind, "value": expected.value}
        if expected.value
        else {"kind": expected.kind}
    )


def expected_from_json(data: dict[str, str] | None) -> Expected | None:
    if not data:
        return None
    return Expected(data["kind"], data.get("value", ""))


def expected_ends_before(expected: Expected, since: datetime | None) -> bool:
    """True when an expected return lies before the status even started."""
    if since is None or expected.kind not in ("date", "month"):
        return False
    start = timezone.localtime(since).date() if timezone.is_aware(since) else since.date()
    if expected.kind == "date":
        return date.fromisoformat(expected.value) < start
    return expected.value < start.strftime("%Y-%m")


@dataclass(frozen=True)
class QualifierValue:
    code: Qualifier
    text: dict[str, str] = field(default_factory=dict)
    date: str = ""

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code.value}
        if self.text:
            data["text"] = dict(self.text)
        if self.date:
            data["date"] = self.date
        return data

    def key(self) -> str:
        return json.dumps(self.to_json(), sort_keys=True)


def parse_qualifier(raw: object, default_language: str = "nl") -> QualifierValue:
    """A qualifier as YAML (``delays`` or ``{code, text, date}``) or CLI (``except=...``)."""
    if isinstance(raw, dict):
        unknown = set(raw) - {"code", "text", "date"}
        if unknown:
            raise ValueError(f"qualifier has unknown keys: {', '.join(sorted(unknown))}")
        if "code" not in raw:
            raise ValueError("qualifier needs a code")
        code, text, when = raw["code"], raw.get("text"), raw.get("date")
    else:
        code, _, rest = str(raw).partition("=")
        text = when = None
        if rest:
            if Qualifier.parse(code.strip()) in QUALIFIERS_NEEDING_DATE:
                when = rest
            else:
                text = rest
    qualifier = Qualifier.parse(str(code).strip())
    texts = _texts(text, default_language)
    day = parse_date(when).isoformat() if when not in (None, "") else ""
    if qualifier in QUALIFIERS_NEEDING_DATE and not day:
        raise ValueError(f"qualifier {qualifier.value!r} needs a date")
    if qualifier in QUALIFIERS_NEEDING_TEXT and not texts:
        raise ValueError(f"qualifier {qualifier.value!r} needs a text saying who, where or what")
    return QualifierValue(qualifier, texts, day)


def _texts(value: object, default_language: str) -> dict[str, str]:
    if value is None or value == "":
        return {}
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items() if v}
    return {default_language: str(value)}


@dataclass(frozen=True)
class ManualStatus:
    """A status as a person states it, before the engine combines it with systems."""

    level: Level = Level.AVAILABLE
    qualifiers: tuple[QualifierValue, ...] = ()
    since: datetime | None = None
    expected: Expected | None = None
    pinned: bool = False
    note: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "level": self.level.word,
            "qualifiers": [q.to_json() for q in self.qualifiers],
            "since": self.since.isoformat() if self.since else None,
            "expected": expected_to_json(self.expected),
            "pinned": self.pinned,
            "note": dict(self.note),
        }

    def engine(self) -> Manual:
        return Manual(
            self.level,
            tuple(q.key() for q in self.qualifiers),
            self.since,
            self.expected,
            self.pinned,
        )


def manual_from_row(row: Any) -> ManualStatus:
    """The manual status stored on a FunctionChannel row (or its values() dict)."""
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
    return ManualStatus(
        Level.parse(get("level")),
        tuple(parse_qualifier(q) for q in get("qualifiers") or ()),
        get("since"),
        expected_from_json(get("expected")),
        bool(get("pinned")),
        dict(get("note") or {}),
    )


def _dt(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def cause_to_json(cause: Cause) -> dict[str, Any]:
    return {
        "system": cause.system,
        "kind": cause.kind.value,
        "state": cause.state.word,
        "since": _dt(cause.since),
        "own": cause.own,
        "via": [cause_to_json(c) for c in cause.via],
    }


def status_to_json(status: Status | SystemStatus) -> dict[str, Any]:
    """The stored form of an effective status (EffectiveStatus.value, event old/new)."""
    if isinstance(status, SystemStatus):
        return {
            "state": status.state.word,
            "since": _dt(status.since),
            "expected": expected_to_json(status.expected),
            "own": status.own,
            "causes": [cause_to_json(c) for c in status.causes],
        }
    return {
        "level": status.level.word,
        "qualifiers": [json.loads(str(q)) for q in status.qualifiers],
        "since": _dt(status.since),
        "expected": expected_to_json(status.expected),
        "derived": status.derived,
        "pinned": status.pinned,
        "causes": [cause_to_json(c) for c in status.causes],
        "counts": {level.word: n for level, n in status.counts},
    }


def system_state_json(
    state: SystemState, since: datetime | None, expected: Expected | None, note: dict[str, str]
) -> dict[str, Any]:
    return {
        "state": state.word,
        "since": _dt(since),
        "expected": expected_to_json(expected),
        "note": dict(note),
    }
