"""The words of the status engine: levels, system states, dependency kinds, qualifiers.

Everything here is plain Python so that the engine can be tested, benchmarked
and reasoned about without Django or a database.
"""

from __future__ import annotations

import difflib
from enum import IntEnum, StrEnum


class UnknownWordError(ValueError):
    """A status word that the engine does not know, with the words it does know."""

    def __init__(self, what: str, word: object, choices: list[str]) -> None:
        close = difflib.get_close_matches(str(word), choices, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        super().__init__(f"unknown {what} {word!r}{hint}; expected one of: {', '.join(choices)}")
        self.word = word
        self.choices = choices


class Level(IntEnum):
    """How well a function x channel works, ordered from good to bad.

    The order is the severity order the engine combines with: a status is
    never better than its worst reason. ``unknown`` sits above ``limited``
    because not knowing is worse news than a known delay, and below
    ``maintenance`` and ``unavailable`` because it may still work.
    """

    AVAILABLE = 0
    LIMITED = 1
    UNKNOWN = 2
    MAINTENANCE = 3
    UNAVAILABLE = 4

    @property
    def word(self) -> str:
        return self.name.lower()

    @property
    def works(self) -> bool:
        """True when a person can get what they came for, perhaps with limits."""
        return self in (Level.AVAILABLE, Level.LIMITED)

    @classmethod
    def parse(cls, word: object) -> Level:
        if isinstance(word, Level):
            return word
        try:
            return cls[str(word).upper()]
        except KeyError:
            raise UnknownWordError("status level", word, LEVEL_WORDS) from None


LEVEL_WORDS = [level.word for level in Level]


class SystemState(IntEnum):
    """The state of a back-end system, ordered from good to bad."""

    UP = 0
    DEGRADED = 1
    MAINTENANCE = 2
    DOWN = 3

    @property
    def word(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, word: object) -> SystemState:
        if isinstance(word, SystemState):
            return word
        try:
            return cls[str(word).upper()]
        except KeyError:
            raise UnknownWordError("system state", word, SYSTEM_WORDS) from None


SYSTEM_WORDS = [state.word for state in SystemState]


class DependencyKind(StrEnum):
    """A hard dependency stops what depends on it; a soft one only limits it."""

    HARD = "hard"
    SOFT = "soft"

    @classmethod
    def parse(cls, word: object) -> DependencyKind:
        if isinstance(word, DependencyKind):
            return word
        try:
            return cls(str(word))
        except ValueError:
            raise UnknownWordError("dependency kind", word, [k.value for k in cls]) from None


# What a system in a given state does to a function x channel that depends on it.
_ITEM_EFFECT: dict[DependencyKind, tuple[Level, ...]] = {
    DependencyKind.HARD: (Level.AVAILABLE, Level.LIMITED, Level.MAINTENANCE, Level.UNAVAILABLE),
    DependencyKind.SOFT: (Level.AVAILABLE, Level.LIMITED, Level.LIMITED, Level.LIMITED),
}

# What a system in a given state does to another system that depends on it.
_SYSTEM_EFFECT: dict[DependencyKind, tuple[SystemState, ...]] = {
    DependencyKind.HARD: tuple(SystemState),
    DependencyKind.SOFT: (
        SystemState.UP,
        SystemState.DEGRADED,
        SystemState.DEGRADED,
        SystemState.DEGRADED,
    ),
}


def item_effect(kind: DependencyKind, state: SystemState) -> Level:
    """The level a dependency of ``kind`` on a system in ``state`` imposes."""
    return _ITEM_EFFECT[kind][state]


def system_effect(kind: DependencyKind, state: SystemState) -> SystemState:
    """The state a system dependency of ``kind`` on a system in ``state`` imposes."""
    return _SYSTEM_EFFECT[kind][state]


class Qualifier(StrEnum):
    """Conditions under which a level holds, as real outage overviews phrase them."""

    DELAYS = "delays"  # works, with longer waiting or processing times
    BACKLOG = "backlog"  # accepted now, processed later
    MANUAL = "manual"  # processed manually or on paper
    TEMPORARY_FORM = "temporary_form"  # through a temporary form or document
    REDUCED_CAPACITY = "reduced_capacity"  # fewer counters, machines or staff
    REDUCED_HOURS = "reduced_hours"
    FEWER_LOCATIONS = "fewer_locations"
    APPOINTMENT_ONLY = "appointment_only"
    WITHOUT_APPOINTMENT = "without_appointment"  # walk in, no booking needed
    READ_ONLY = "read_only"
    STARTED_BEFORE = "started_before"  # only for cases started before a date
    AUDIENCE_ONLY = "audience_only"  # only for some people
    LOCATION_ONLY = "location_only"  # only at some places
    EXCEPT = "except"  # not for some named cases
    NO_NOTIFICATIONS = "no_notifications"  # works, but sends no messages or updates
    NOT_AFFECTED = "not_affected"  # explicitly reassuring: the outage does not touch this

    @classmethod
    def parse(cls, word: object) -> Qualifier:
        if isinstance(word, Qualifier):
            return word
        try:
            return cls(str(word))
        except ValueError:
            raise UnknownWordError("qualifier", word, QUALIFIER_WORDS) from None


QUALIFIER_WORDS = [q.value for q in Qualifier]

# Qualifiers whose meaning needs a date, or a text that says who, where or what.
QUALIFIERS_NEEDING_DATE = frozenset({Qualifier.STARTED_BEFORE})
QUALIFIERS_NEEDING_TEXT = frozenset(
    {Qualifier.AUDIENCE_ONLY, Qualifier.LOCATION_ONLY, Qualifier.EXCEPT}
)
