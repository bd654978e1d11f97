from __future__ import annotations

from tests.factories import TEST_ACTOR, Catalogue
from watwerkt.engine import SystemState
from watwerkt.status.models import EffectiveStatus
from watwerkt.status.services import SystemChange, set_system


def effective(subject: str, pk: int) -> dict:
    return EffectiveStatus.objects.get(subject=subject, object_id=pk).value


def test_a_system_going_down_makes_hard_dependents_unavailable(small: Catalogue) -> None:
    set_system(small.systems["datacenter"], SystemChange(SystemState.DOWN), TEST_ACTOR)
    assert effective("item", small.items["hal_online"].pk)["level"] == "unavailable"
    assert effective("item", small.items["pas_apply"].pk)["level"] == "available"
    assert effective("service", small.services["sporthal"].pk)["level"] == "unavailable"
    assert effective("organisation", small.org.pk)["level"] == "limited"
