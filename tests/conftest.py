"""Fixtures shared by every test: the three named personas and a small catalogue."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

from tests.factories import Catalogue, build_small_catalogue
from watwerkt.status.graphs import graphs

# Property tests run the same examples on every machine (a failure found once
# is found again), and never fail on timing: CI machines are shared and noisy.
settings.register_profile(
    "watwerkt",
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("watwerkt")


@pytest.fixture(autouse=True)
def fresh_engine_graph() -> Iterator[None]:
    """Every test's database starts again at revision 0, so a graph the engine
    cached for a revision number in an earlier test must not serve this one."""
    graphs.forget()
    yield
    graphs.forget()


@pytest.fixture
def small(db: None) -> Catalogue:
    """Two services behind a reservation platform that runs in a data centre."""
    return build_small_catalogue()
