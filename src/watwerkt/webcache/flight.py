"""One render per page in a process: the first request renders, the others wait for it.

Right after a change every cached page is out of date at once, and a burst
of requests for the overview would otherwise render it once per thread. The
waiters get the page the first one rendered — the *new* revision, never the
old one — so "visible within a second" holds, and they wait at most
``wait`` seconds before going through Django themselves (a render that hangs
must not hang everyone behind it).
"""

from __future__ import annotations

import threading
from collections.abc import Hashable
from dataclasses import dataclass, field

from .page import Page


@dataclass
class Flight:
    done: threading.Event = field(default_factory=threading.Event)
    page: Page | None = None


class Flights:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._flying: dict[Hashable, Flight] = {}

    def join(self, key: Hashable) -> tuple[Flight, bool]:
        """The flight for ``key``, and whether the caller leads it (and must :meth:`land` it)."""
        with self._lock:
            flight = self._flying.get(key)
            if flight is not None:
                return flight, False
            flight = self._flying[key] = Flight()
            return flight, True

    def land(self, key: Hashable, flight: Flight, page: Page | None) -> None:
        """End the flight: waiters get ``page`` (None: no page, go through Django)."""
        with self._lock:
            self._flying.pop(key, None)
        flight.page = page
        flight.done.set()

    def __len__(self) -> int:
        return len(self._flying)
