"""A least-recently-used store with a bound on what it holds.

The bound is in whatever unit ``size`` returns — bytes for pages, 1 per
entry for the small per-resource policies — so the page cache can be given
a memory budget (``WATWERKT_PAGE_CACHE_MB``) and never grow past it, whatever
the number of pages, languages and query strings clients ask for.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BoundedLRU(Generic[K, V]):
    def __init__(self, limit: int, size: Callable[[V], int] = lambda _: 1) -> None:
        self.limit = limit
        self._size = size
        self._items: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._lock = threading.Lock()
        self.total = 0
        self.evictions = 0

    def get(self, key: K) -> V | None:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                return None
            self._items.move_to_end(key)
            return found[0]

    def put(self, key: K, value: V) -> bool:
        """Keep ``value``, evicting the least recently used; False when it is too big.

        One value may take at most a quarter of the budget, so a single huge
        page cannot push every other page out.
        """
        size = self._size(value)
        if size > self.limit // 4:
            self.pop(key)  # an older, smaller version must not outlive the refused one
            return False
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.total -= old[1]
            self._items[key] = (value, size)
            self.total += size
            while self.total > self.limit:
                _, (_, freed) = self._items.popitem(last=False)
                self.total -= freed
                self.evictions += 1
        return True

    def pop(self, key: K) -> None:
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.total -= old[1]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.total = 0

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: K) -> bool:
        return key in self._items
