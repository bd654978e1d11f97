"""Say in words why a status is what it is.

"werkt niet: hangt af van Reservatieplatform, buiten werking sinds 6 dec. 2022
09:10". Works on the stored form of a status (``status_to_json``), in the
active gettext language. Systems that are not public are not named on the
public site: the explanation then speaks of "an internal system".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

LEVEL_LABELS = {
    "available": lambda: pgettext("level", "werkt"),
    "limited": lambda: pgettext("level", "werkt met beperkingen"),
    "unavailable": lambda: pgettext("level", "werkt niet"),
    "unknown": lambda: pgettext("level", "onbekend"),
    "maintenance": lambda: pgettext("level", "onderhoud"),
}

STATE_LABELS = {
    "up": lambda: pgettext("system state", "werkt"),
    "degraded": lambda: pgettext("system state", "verstoord"),
    "maintenance": lambda: pgettext("system state", "in onderhoud"),
    "down": lambda: pgettext("system state", "buiten werking"),
}


def level_label(word: str) -> str:
    return LEVEL_LABELS[word]()


def state_label(word: str) -> str:
    return STATE_LABELS[word]()


@dataclass(frozen=True)
class SystemName:
    name: str
    public: bool


def when(value: str | datetime | None) -> str:
    """A since-time as people read it: "6 december 2022 09:10"."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return formats.date_format(timezone.localtime(moment), "j F Y H:i")


def explain_cause(cause: Mapping[str, Any], systems: Mapping[int, SystemName], public: bool) -> str:
    """One dependency chain: "hangt af van X, dat afhangt van Y, buiten werking sinds ..."."""
    names = []
    link: Mapping[str, Any] | None = cause
    last = cause
    while link is not None:
        system = systems.get(link["system"])
        if system is None:
            names.append(_("een verwijderd systeem"))
        elif public and not system.public:
            names.append(_("een intern systeem"))
        else:
            names.append(system.name)
        last = link
        link = link["via"][0] if link["via"] and not link["own"] else None
    chain = names[0]
    for name in names[1:]:
        chain = _("%(chain)s, dat afhangt van %(name)s") % {"chain": chain, "name": name}
    state = state_label(last["state"])
    since = when(last.get("since"))
    if since:
        return _("hangt af van %(chain)s, %(state)s sinds %(since)s") % {
            "chain": chain,
            "state": state,
            "since": since,
        }
    return _("hangt af van %(chain)s, %(state)s") % {"chain": chain, "state": state}


def explain(
    status: Mapping[str, Any], systems: Mapping[int, SystemName], public: bool = True
) -> str:
    """The level and its reasons, as one sentence (empty reasons for manual statuses)."""
    label = level_label(status["level"])
    causes = [explain_cause(c, systems, public) for c in status.get("causes", ())]
    if status.get("pinned") and causes:
        return _("%(level)s (vastgezet, ondanks: %(causes)s)") % {
            "level": label,
            "causes": "; ".join(causes),
        }
    if causes:
        return f"{label}: {'; '.join(causes)}"
    return label
