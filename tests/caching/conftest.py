"""The fixtures this folder shares: a catalogue with help texts, and a
revision counter the fake sites read."""

from __future__ import annotations

import pytest

from tests.caching.wsgi import Revisions
from tests.public.conftest import helped

__all__ = ["helped", "revisions"]


@pytest.fixture
def revisions() -> Revisions:
    return Revisions()
