"""What the console's incident pages show, built with the public site's own words.

The console shows an incident with its drafts through
:func:`watwerkt.present.incidents.preview`, and an update that is being
written through :func:`watwerkt.present.incidents.incident`, the same code
the public incident page uses: so a preview is the public rendering (the
sanitised Markdown, the fallback to Dutch and its note), not an imitation.

A preview also carries a fingerprint of what it showed (:func:`fingerprint`
for an update, :func:`edit_fingerprint` for a change of a published
incident's texts and facts); publishing checks it, so what goes out is what
was looked at.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from watwerkt.catalogue.models import Organisation
from watwerkt.incidents.markdown import Rendered
from watwerkt.incidents.models import Incident, IncidentUpdate, RecoveryTarget
from watwerkt.incidents.readmodel import UpdateInfo, incident_infos, public_systems
from watwerkt.incidents.services import Edited
from watwerkt.lib.i18n import LANGUAGES, pick
from watwerkt.present import incidents as present
from watwerkt.present.incidents import SECTION_TITLES, IncidentView, Words
from watwerkt.present.words import day, moment
from watwerkt.readmodel.snapshot import current

from .forms import language_name, system_label

Texts = Mapping[str, str]


def _digest(value: Any) -> str:
    data = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(data.encode()).hexdigest()[:32]


def fingerprint(body: Texts, phase: str = "") -> str:
    """What a preview showed, in a few characters: the texts (as the services will
    keep them: stripped, empty ones dropped) and the phase."""
    kept = {code: text.strip() for code, text in sorted(body.items()) if text and text.strip()}
    return _digest([kept, phase])


def edit_fingerprint(edited: Edited) -> str:
    """What a preview of a published incident's changed texts and facts showed:
    the whole incident as the edit would leave it, so a change by anyone
    between the preview and the confirmation asks for a new preview."""
    return _digest(["incident", edited.described()])


def confirm_note(previewed: str) -> str:
    """Why a change of a published incident was not published yet (``previewed``:
    the fingerprint the form came back with, "" when it was never previewed)."""
    if previewed:
        return _(
            "De tekst is gewijzigd sinds het voorbeeld. Hieronder zie je het nieuwe "
            "voorbeeld: publiceer opnieuw als het klopt."
        )
    return _(
        "Dit incident is gepubliceerd: bekijk eerst hieronder hoe de wijziging op de "
        "publieke pagina staat, en publiceer ze dan."
    )


@dataclass(frozen=True)
class LanguagePreview:
    code: str
    name: str
    html: SafeString  # the public page's markup for this language
    fallback: bool  # the text shown is not in this language (the public page says so)


def update_previews(
    incident: Incident, body: Texts, phase: str, at: datetime | None = None
) -> list[LanguagePreview]:
    """The update as each language's public incident page will show it once it
    is published (``at``, else now)."""
    org = incident.organisation
    (info,) = incident_infos(Incident.objects.filter(pk=incident.pk), drafts=True)
    when = at or timezone.now()
    candidate = UpdateInfo(0, phase, dict(body), when, when, when)
    alone = replace(info, updates=(candidate,))
    found = []
    for code in LANGUAGES:
        with translation.override(code), timezone.override(org.time_zone):
            view = present.incident(alone, Words(org.slug, org.language))
            (update,) = view.updates
            html = render_to_string(
                "console/incident_fragment_update.html",
                {"u": update, "prefix": f"voorbeeld-{code}"},
            )
        found.append(LanguagePreview(code, language_name(code), html, update.body.fallback))
    return found


def incident_previews(incident: Incident, edited: Edited) -> list[LanguagePreview]:
    """The top of the public incident page (title, facts, affected services) in
    each language, as it will be once ``edited`` is saved."""
    org = incident.organisation
    snapshot = current(org.slug)
    (info,) = incident_infos(Incident.objects.filter(pk=incident.pk))  # what the public sees
    changed = replace(
        info,
        **edited.fields,
        service_ids=tuple(s.pk for s in edited.services),
        system_ids=tuple(s.pk for s in edited.systems),
    )
    systems = public_systems(changed.system_ids)
    found = []
    for code in LANGUAGES:
        with translation.override(code), timezone.override(org.time_zone):
            view = present.incident(changed, Words(org.slug, org.language, snapshot, systems))
            html = render_to_string(
                "console/incident_fragment_head.html", {"i": view, "prefix": f"voorbeeld-{code}"}
            )
        found.append(LanguagePreview(code, language_name(code), html, view.title.fallback))
    return found


def section_previews(incident: Incident, sections: Mapping[str, Texts], code: str) -> SafeString:
    """The four sections in language ``code`` as the public incident page shows them."""
    org = incident.organisation
    with translation.override(code), timezone.override(org.time_zone):
        words = Words(org.slug, org.language)
        shown = [
            (key, SECTION_TITLES[key](), words.markdown(sections.get(key) or {}))
            for key in SECTION_TITLES
        ]
        html = render_to_string("console/incident_fragment_sections.html", {"sections": shown})
    return SafeString(html)


# -- the incident page -------------------------------------------------------------------------


@dataclass(frozen=True)
class UpdateRow:
    view: present.UpdateView
    languages: str  # "nl, en"
    href: str  # the console page to publish or correct it


@dataclass(frozen=True)
class TargetRow:
    id: int
    text: str
    due: str
    reached: str  # when, in words; "" while not reached
    about: str
    href: str


@dataclass(frozen=True)
class IncidentPage:
    row: Incident
    view: IncidentView  # with drafts, in the organisation's language
    updates: tuple[UpdateRow, ...]
    targets: tuple[TargetRow, ...]
    systems: tuple[str, ...]  # every affected system, public or not
    public_url: str  # "" while a draft
    sections: tuple[tuple[str, str, Rendered | None], ...]  # (key, title, text or None)


def incident_page(row: Incident) -> IncidentPage:
    org = row.organisation
    snapshot = current(org.slug)
    assert snapshot is not None  # the organisation exists: the guard found it
    with timezone.override(org.time_zone):
        view = present.preview(row, snapshot)
        targets = tuple(
            _target(t, org, row.slug) for t in row.targets.select_related("service", "system")
        )
    stored = {u.pk: u for u in IncidentUpdate.objects.filter(incident=row)}
    updates = tuple(
        UpdateRow(
            u,
            ", ".join(c for c in LANGUAGES if stored[u.id].body.get(c)),
            reverse(
                "console:incident-update",
                kwargs={"org": org.slug, "incident": row.slug, "update": u.id},
            ),
        )
        for u in view.updates
    )
    systems = tuple(
        system_label(s, org) for s in row.affected_systems.select_related("organisation")
    )
    public = (
        reverse("public:incident", kwargs={"org": org.slug, "incident": row.slug})
        if row.published_at
        else ""
    )
    written = {s.key: s.text for s in view.sections}
    sections = tuple((key, title(), written.get(key)) for key, title in SECTION_TITLES.items())
    return IncidentPage(row, view, updates, targets, systems, public, sections)


def _target(target: RecoveryTarget, org: Organisation, incident: str) -> TargetRow:
    about = [
        pick(x.name, "nl", org.language).text or x.slug
        for x in (target.service, target.system)
        if x
    ]
    return TargetRow(
        target.pk,
        pick(target.text, "nl", org.language).text,
        day(target.target.isoformat()) if target.target else "",
        moment(target.reached_at) if target.reached_at else "",
        ", ".join(about),
        reverse(
            "console:incident-target",
            kwargs={"org": org.slug, "incident": incident, "target": target.pk},
        ),
    )
