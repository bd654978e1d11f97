"""Pages shared by every instance through Django's cache, when that cache is Redis.

An instance that misses a page in its own memory looks here before it
renders, and the first instance to render a page after a change claims it
(``add`` is Redis' ``SET NX``), so several instances render each page once:
the others poll for it for a short while, then render themselves if it has
not come (the claim expires, so a crashed instance blocks no one for long).

Redis is help, not a dependency: any error here is logged and taken as a
miss, and the page is rendered in-process as if there were no shared cache.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches

from watwerkt.status.revision import RevisionState

from .page import Page

log = logging.getLogger(__name__)

SHARED_BACKENDS = ("django.core.cache.backends.redis.RedisCache",)
PREFIX = "page:1:"  # the number changes when Page changes shape, so old pickles are ignored


class SharedPages:
    def __init__(
        self,
        cache: BaseCache,
        ttl: int = 3600,
        claim_ttl: int = 5,
        poll: float = 0.01,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.cache = cache
        self.ttl = ttl  # pages of old revisions expire by themselves
        self.claim_ttl = claim_ttl
        self.poll = poll
        self._sleep = sleep
        self._failing_since: float | None = None

    @classmethod
    def from_settings(cls) -> SharedPages | None:
        """The shared store when Django's default cache is shared (Redis); None otherwise,
        since a per-process cache would only hold a second copy of each page."""
        if settings.CACHES["default"]["BACKEND"] not in SHARED_BACKENDS:
            return None
        return cls(caches["default"])

    @staticmethod
    def key(key: str, revision: RevisionState) -> str:
        stamp = revision.changed_at.timestamp() if revision.changed_at else 0
        digest = hashlib.blake2b(key.encode(), digest_size=16).hexdigest()
        return f"{PREFIX}{digest}:{revision.number}:{stamp}"

    def get(self, key: str, revision: RevisionState) -> Page | None:
        found = self._safely(self.cache.get, self.key(key, revision))
        return found if isinstance(found, Page) else None

    def put(self, key: str, page: Page) -> None:
        self._safely(self.cache.set, self.key(key, page.revision), page, self.ttl)

    def claim(self, key: str, revision: RevisionState) -> bool:
        """True when this instance is the one to render; also True when Redis fails."""
        claimed = self._safely(self.cache.add, self._claim(key, revision), 1, self.claim_ttl)
        return claimed is not False

    def release(self, key: str, revision: RevisionState) -> None:
        self._safely(self.cache.delete, self._claim(key, revision))

    def wait(self, key: str, revision: RevisionState, seconds: float) -> Page | None:
        """The page another instance is rendering, if it arrives within ``seconds``."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self._sleep(self.poll)
            page = self.get(key, revision)
            if page is not None:
                return page
        return None

    def _claim(self, key: str, revision: RevisionState) -> str:
        return self.key(key, revision) + ":claim"

    def _safely(self, call: Callable[..., Any], *args: Any) -> Any:
        try:
            result = call(*args)
        except Exception as exc:  # any cache failure: render in-process instead
            if self._failing_since is None:
                log.warning("shared page cache unavailable, rendering in-process: %s", exc)
                self._failing_since = time.monotonic()
            return None
        if self._failing_since is not None:
            log.warning(
                "shared page cache back after %.0f s", time.monotonic() - self._failing_since
            )
            self._failing_since = None
        return result
