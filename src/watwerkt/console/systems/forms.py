"""The systems pages' forms: a system's state (previewed, then confirmed) and its
recovery plan. Dates and expected returns are read by :mod:`watwerkt.status.values`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from watwerkt.authoring.edits import STEPS_LIMIT, RecoveryPlan
from watwerkt.console.fields import (
    ExpectedFields,
    clean_day,
    date_input,
    set_choices,
    state_choices,
)
from watwerkt.engine import SystemState
from watwerkt.status.services import SystemChange


class SystemStateForm(ExpectedFields):
    state = forms.ChoiceField(label=gettext_lazy("Nieuwe toestand"))
    note = forms.CharField(
        label=gettext_lazy("Toelichting"),
        required=False,
        max_length=500,
        help_text=gettext_lazy(
            "intern: blijft bij de toestand staan en komt in de geschiedenis; "
            "leeg laten wist de vorige toelichting"
        ),
    )
    confirm = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.language = language
        set_choices(self, "state", state_choices())
        self.change: SystemChange | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        expected = self.clean_expected_value(None)
        if not self.errors and "state" in data:
            note = (data.get("note") or "").strip()
            self.change = SystemChange(
                SystemState.parse(data["state"]),
                expected=expected,
                note={self.language: note} if note else {},
            )
        return data


class RecoveryPlanForm(forms.Form):
    priority = forms.IntegerField(
        label=gettext_lazy("Prioriteit"),
        required=False,
        min_value=1,
        max_value=1000,
        help_text=gettext_lazy("1 wordt eerst hersteld"),
    )
    owner = forms.CharField(label=gettext_lazy("Verantwoordelijke"), required=False, max_length=200)
    target = forms.CharField(
        label=gettext_lazy("Streefdatum"), required=False, max_length=10, widget=date_input()
    )
    steps = forms.CharField(
        label=gettext_lazy("Stappen"),
        required=False,
        max_length=STEPS_LIMIT * 510,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("één stap per regel, in volgorde"),
    )
    note = forms.CharField(label=gettext_lazy("Interne notitie"), required=False, max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan: RecoveryPlan | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        target = clean_day(self, "target")
        if not self.errors:
            steps = tuple((data.get("steps") or "").splitlines())
            self.plan = RecoveryPlan(data.get("priority"), data.get("owner") or "", target, steps)
        return data
