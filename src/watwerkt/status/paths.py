"""Readable paths for status subjects: ``antwerpen/reispas/afhalen/stadsloket``.

A path names a function x channel the way the CLI addresses it: organisation,
service, function (``-`` for a service's implicit function) and channel (``-``
for the "any channel" entry). Events keep the path so that history stays readable after
the catalogue changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from watwerkt.catalogue.models import Domain, FunctionChannel, Organisation, Service, System


class Described(NamedTuple):
    organisation_id: int | None
    path: str


def item_path(org: str, service: str, function: str, channel: str | None) -> str:
    return f"{org}/{service}/{function or '-'}/{channel or '-'}"


def describe(subject: str, ids: Iterable[int]) -> dict[int, Described]:
    ids = list(ids)
    if subject == "item":
        rows = FunctionChannel.objects.filter(pk__in=ids).values_list(
            "id",
            "function__service__organisation_id",
            "function__service__organisation__slug",
            "function__service__slug",
            "function__slug",
            "channel__slug",
        )
        return {
            pk: Described(org_id, item_path(org, service, function, channel))
            for pk, org_id, org, service, function, channel in rows
        }
    if subject in ("service", "domain", "system"):
        models: dict[str, type[Service] | type[Domain] | type[System]] = {
            "service": Service,
            "domain": Domain,
            "system": System,
        }
        named = (
            models[subject]
            ._default_manager.filter(pk__in=ids)
            .values_list("id", "organisation_id", "organisation__slug", "slug")
        )
        return {pk: Described(org_id, f"{org}/{slug}") for pk, org_id, org, slug in named}
    if subject == "organisation":
        return {
            pk: Described(pk, slug)
            for pk, slug in Organisation.objects.filter(pk__in=ids).values_list("id", "slug")
        }
    raise ValueError(f"unknown subject {subject!r}")
