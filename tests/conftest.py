"""Fixtures shared by every test: the three named personas and a small catalogue."""

from __future__ import annotations

import pytest

from tests.factories import Catalogue, build_small_catalogue


@pytest.fixture
def small(db: None) -> Catalogue:
    """Two services behind a reservation platform that runs in a data centre."""
    return build_small_catalogue()
