"""The one place that decides: roles, second factor, organisations, shared systems."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from tests.factories import TEST_ACTOR, Catalogue, org, system
from tests.personas import People, person
from watwerkt.accounts.permissions import (
    ANONYMOUS,
    Principal,
    can,
    can_change_system,
    can_see_system,
    limit,
    organisation_ids,
    visible_systems,
)
from watwerkt.accounts.roles import Action, Role
from watwerkt.audit.models import AuditEntry
from watwerkt.audit.services import record
from watwerkt.catalogue.models import Dependency, FunctionChannel, Organisation, Service, System


def principal(roles: dict[Organisation, Role], second_factor: bool = True) -> Principal:
    return Principal("p", "console", {o.pk: r for o, r in roles.items()}, second_factor, 1)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.VIEWER, {"view"}),
        (Role.EDITOR, {"view", "edit"}),
        (Role.ADMIN, {"view", "edit", "admin"}),
    ],
)
def test_each_role_allows_its_actions_and_those_below(
    small: Catalogue, role: Role, allowed: set[str]
) -> None:
    p = principal({small.org: role})
    assert {a.value for a in Action if can(p, a, small.org)} == allowed


def test_a_role_in_one_organisation_grants_nothing_in_another(small: Catalogue) -> None:
    other = org("elders")
    p = principal({other: Role.ADMIN})
    assert not any(can(p, a, small.org) for a in Action)
    assert organisation_ids(p) == {other.pk}


def test_editing_needs_a_second_factor_but_reading_does_not(small: Catalogue) -> None:
    p = principal({small.org: Role.ADMIN}, second_factor=False)
    assert can(p, "view", small.org)
    assert not can(p, "edit", small.org)
    assert not can(p, "admin", small.org)


def test_a_superuser_without_a_role_may_do_nothing(small: Catalogue) -> None:
    boss = User.objects.create_superuser("boss", password=None)
    p = Principal.for_user(boss, second_factor=True)
    assert not any(can(p, a, small.org) for a in Action)


def test_a_disabled_user_is_anonymous(small: Catalogue) -> None:
    gone = person("gone", {small.org: Role.ADMIN}).user
    gone.is_active = False
    gone.save()
    assert Principal.for_user(gone, second_factor=True) == ANONYMOUS


def test_a_user_principal_holds_every_role_and_is_the_audit_actor(people: People) -> None:
    both = person("bea", {people.org: Role.VIEWER, people.other: Role.EDITOR}).user
    p = Principal.for_user(both, second_factor=True)
    assert p.roles == {people.org.pk: Role.VIEWER, people.other.pk: Role.EDITOR}
    assert (p.actor.name, p.actor.source) == ("bea", "console")
    assert can(p, "edit", people.other)
    assert not can(p, "edit", people.org)


def test_a_token_acts_for_its_one_organisation_with_its_role(people: People) -> None:
    token = Principal.for_token("token:website", people.org, Role.EDITOR)
    assert can(token, "edit", people.org)
    assert not can(token, "admin", people.org)
    assert not can(token, "view", people.other)
    assert token.actor.source == "api"


def test_an_unknown_action_is_a_programming_error(small: Catalogue) -> None:
    with pytest.raises(ValueError, match="'delete'"):
        can(principal({small.org: Role.ADMIN}), "delete", small.org)


def test_limit_narrows_querysets_to_the_organisations_allowed(people: People) -> None:
    viewer = principal({people.org: Role.VIEWER})
    services = limit(viewer, "view", Service.objects.all())
    assert {s.organisation_id for s in services} == {people.org.pk}
    assert limit(viewer, "edit", Service.objects.all()).count() == 0
    items = limit(viewer, "view", FunctionChannel.objects.all())
    assert (
        items.count()
        == FunctionChannel.objects.filter(function__service__organisation=people.org).count()
    )
    record(TEST_ACTOR, "x.y", organisation=people.org)
    record(TEST_ACTOR, "x.y", organisation=people.other)
    assert [e.organisation_id for e in limit(viewer, "view", AuditEntry.objects.all())] == [
        people.org.pk
    ]


def test_limit_refuses_a_model_it_cannot_place_in_an_organisation(small: Catalogue) -> None:
    with pytest.raises(TypeError, match="has no organisation"):
        limit(principal({small.org: Role.ADMIN}), "view", User.objects.all())


# -- shared systems ------------------------------------------------------------------------


def test_a_shared_system_is_seen_by_the_organisations_that_depend_on_it(people: People) -> None:
    stad_editor = principal({people.org: Role.EDITOR})
    seen = set(visible_systems(stad_editor, people.org).values_list("slug", flat=True))
    assert seen == {"datacenter", "reservatie", "register", "betaalplatform"}
    assert can_see_system(stad_editor, people.shared)
    assert "kassa" not in set(
        limit(stad_editor, "view", System.objects.all()).values_list("slug", flat=True)
    )


def test_a_shared_system_is_changed_only_by_its_owner(people: People) -> None:
    stad_admin = principal({people.org: Role.ADMIN})
    elders_editor = principal({people.other: Role.EDITOR})
    assert not can_change_system(stad_admin, people.shared)
    assert can_change_system(elders_editor, people.shared)
    editable = limit(stad_admin, "edit", System.objects.all())
    assert people.shared not in editable


def test_the_owner_does_not_see_the_systems_of_those_who_depend_on_it(people: People) -> None:
    elders_editor = principal({people.other: Role.EDITOR})
    seen = set(visible_systems(elders_editor, people.other).values_list("slug", flat=True))
    assert seen == {"betaalplatform", "kassa"}
    assert not can_see_system(elders_editor, System.objects.get(slug="reservatie"))


def test_systems_behind_a_shared_system_are_visible_too(people: People) -> None:
    third = org("provider")
    cloud = system(third, "cloud")
    Dependency.objects.create(system=cloud, dependent_system=people.shared)
    stad_viewer = principal({people.org: Role.VIEWER})
    assert can_see_system(stad_viewer, cloud)
    assert not can_change_system(stad_viewer, cloud)
    assert not can_see_system(principal({third: Role.VIEWER}), people.shared)
