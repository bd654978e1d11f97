"""The one place that decides who may do what.

A :class:`Principal` is whoever asks: a person signed in to the console, or
(later) an API token that acts for one organisation with one role. It holds
its roles per organisation, read once per request, so deciding is a dictionary
lookup and never a query.

The rules:

- ``view`` needs a role in the organisation (viewer, editor or admin),
  ``edit`` needs editor or admin, ``admin`` needs admin.
- ``edit`` and ``admin`` also need a second factor: a person with an editor
  role who somehow has a session without one may read but not write.
- Being staff or superuser in Django counts for nothing here.
- Shared systems: a system belongs to one organisation, but services of other
  organisations may depend on it. Those organisations may *see* it (its state
  and what it does to their own services), never change it: changing a system
  is ``edit`` in the organisation that owns it.

Querysets are limited with :func:`limit`; a view that looks an object up
through it answers 404 for anything the principal may not see, so nobody can
tell another organisation's objects from objects that do not exist.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet

from watwerkt.catalogue.models import Dependency, Organisation, System
from watwerkt.status.writing import Actor

from .roles import Action, Role

M = TypeVar("M", bound=Model)

# How each model reaches its organisation, for models without an ``organisation`` field.
ORGANISATION_PATHS: dict[str, str] = {
    "catalogue.function": "service__organisation",
    "catalogue.functionchannel": "function__service__organisation",
    "catalogue.dependency": "system__organisation",
    "incidents.incidentupdate": "incident__organisation",
    "incidents.recoverytarget": "incident__organisation",
}


@dataclass(frozen=True)
class Principal:
    """Who asks. ``roles`` maps organisation ids to roles; ``name`` and ``source``
    are what the audit trail and status events record as the actor."""

    name: str
    source: str
    roles: Mapping[int, Role] = field(default_factory=dict)
    second_factor: bool = False
    user_id: int | None = None

    @property
    def actor(self) -> Actor:
        return Actor(self.name, self.source)

    def role_in(self, organisation: Organisation | int) -> Role | None:
        return self.roles.get(_id(organisation))

    @classmethod
    def for_user(cls, user: Any, *, second_factor: bool, source: str = "console") -> Principal:
        """A signed-in person, with every role they hold (one query)."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return ANONYMOUS
        from watwerkt.accounts.models import Membership

        rows = Membership.objects.filter(user_id=user.pk).values_list("organisation_id", "role")
        roles = {org_id: Role(role) for org_id, role in rows}
        return cls(user.get_username(), source, roles, second_factor, user.pk)

    @classmethod
    def for_token(cls, name: str, organisation: Organisation | int, role: Role) -> Principal:
        """A machine acting for one organisation with one role. Its secret is
        the whole credential, held by a machine, so it counts as a second factor."""
        return cls(name, "api", {_id(organisation): role}, second_factor=True)


ANONYMOUS = Principal("anonymous", "console")


def _id(organisation: Organisation | int) -> int:
    return organisation if isinstance(organisation, int) else organisation.pk


def can(principal: Principal, action: Action | str, organisation: Organisation | int) -> bool:
    """May ``principal`` do ``action`` (view, edit, admin) in ``organisation``?"""
    wanted = Action(action)
    role = principal.role_in(organisation)
    if role is None or role.rank < wanted.least_role.rank:
        return False
    return principal.second_factor or not wanted.least_role.needs_second_factor


def organisation_ids(principal: Principal, action: Action | str = Action.VIEW) -> frozenset[int]:
    """Every organisation in which ``principal`` may do ``action``."""
    return frozenset(org for org in principal.roles if can(principal, action, org))


def organisations(
    principal: Principal, action: Action | str = Action.VIEW
) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=organisation_ids(principal, action))


def limit(
    principal: Principal, action: Action | str, rows: QuerySet[M], path: str = ""
) -> QuerySet[M]:
    """``rows`` narrowed to what ``principal`` may ``action``. ``path`` is the lookup
    from the model to its organisation (default: ``organisation``, or the one in
    :data:`ORGANISATION_PATHS`). Systems seen with ``view`` include shared ones."""
    if rows.model is System and Action(action) is Action.VIEW and not path:
        return rows.filter(pk__in=visible_system_ids(principal))
    lookup = path or ORGANISATION_PATHS.get(rows.model._meta.label_lower, "")
    if not lookup:
        names = {f.name for f in rows.model._meta.get_fields()}
        if "organisation" not in names:
            raise TypeError(
                f"{rows.model._meta.label} has no organisation: pass path= or add it to "
                "ORGANISATION_PATHS"
            )
        lookup = "organisation"
    return rows.filter(**{f"{lookup}__in": organisation_ids(principal, action)})


def shared_system_ids(organisation_ids: Iterable[int]) -> set[int]:
    """Systems of *other* organisations that anything of ``organisation_ids`` depends
    on, directly or through other systems: what can make their services fail."""
    ids = list(organisation_ids)
    direct = Dependency.objects.filter(
        Q(service__organisation_id__in=ids)
        | Q(function__service__organisation_id__in=ids)
        | Q(function_channel__function__service__organisation_id__in=ids)
        | Q(dependent_system__organisation_id__in=ids)
    ).values_list("system_id", flat=True)
    found: set[int] = set(direct)
    frontier = set(found)
    while frontier:  # walk up the system graph; acyclic by catalogue validation
        upstream = set(
            Dependency.objects.filter(dependent_system_id__in=frontier).values_list(
                "system_id", flat=True
            )
        )
        frontier = upstream - found
        found |= frontier
    own = set(System.objects.filter(organisation_id__in=ids).values_list("pk", flat=True))
    return found - own


def visible_system_ids(
    principal: Principal, organisation: Organisation | int | None = None
) -> set[int]:
    """Systems ``principal`` may see: those of organisations it may view, and the
    shared systems they depend on. With ``organisation``, only from that one."""
    ids = organisation_ids(principal, Action.VIEW)
    if organisation is not None:
        ids = ids & {_id(organisation)}
    own = set(System.objects.filter(organisation_id__in=ids).values_list("pk", flat=True))
    return own | shared_system_ids(ids)


def visible_systems(principal: Principal, organisation: Organisation | int) -> QuerySet[System]:
    """The systems a console page of ``organisation`` lists: its own, then shared ones."""
    return System.objects.filter(pk__in=visible_system_ids(principal, organisation))


def can_see_system(principal: Principal, system: System) -> bool:
    return system.pk in visible_system_ids(principal)


def can_change_system(principal: Principal, system: System) -> bool:
    """Only editors of the owning organisation change a system, shared or not."""
    return can(principal, Action.EDIT, system.organisation_id)


def needs_second_factor(roles: Iterable[Role]) -> bool:
    return any(role.needs_second_factor for role in roles)
