"""The status engine: pure Python, no Django, no database.

It turns manual statuses, pins, qualifiers and system states into the
effective status of every function x channel, service, domain and
organisation, and says why (:class:`Cause` chains).
"""

from .graph import (
    Cause,
    Change,
    CycleError,
    Dependency,
    Expected,
    Inputs,
    ItemInput,
    Manual,
    Status,
    StatusGraph,
    SystemInput,
    SystemStatus,
    rollup,
)
from .levels import (
    LEVEL_WORDS,
    QUALIFIER_WORDS,
    SYSTEM_WORDS,
    DependencyKind,
    Level,
    Qualifier,
    SystemState,
    UnknownWordError,
)

__all__ = [
    "LEVEL_WORDS",
    "QUALIFIER_WORDS",
    "SYSTEM_WORDS",
    "Cause",
    "Change",
    "CycleError",
    "Dependency",
    "DependencyKind",
    "Expected",
    "Inputs",
    "ItemInput",
    "Level",
    "Manual",
    "Qualifier",
    "Status",
    "StatusGraph",
    "SystemInput",
    "SystemState",
    "SystemStatus",
    "UnknownWordError",
    "rollup",
]
