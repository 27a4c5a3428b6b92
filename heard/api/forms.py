"""The form an agent makes a token with (their own tokens page)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from heard.api.models import Scope
from heard.desk.models import Agent, Team

LIFETIMES = [("30", "30 days"), ("90", "90 days"), ("365", "a year"), ("", "never")]


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What will use it, e.g. “CRM sync”.")
    scope = forms.ChoiceField(choices=Scope.choices, initial=Scope.READ)
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(), required=False, empty_label="All my teams"
    )
    expires = forms.ChoiceField(choices=LIFETIMES, initial="90", required=False)

    def __init__(self, *args: Any, agent: Agent, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        teams = Team.objects.all() if agent.sees_all_teams() else agent.teams.all()
        self.fields["team"].queryset = teams.order_by("name")  # type: ignore[attr-defined]

    def expires_at(self) -> datetime | None:
        days = self.cleaned_data.get("expires") or ""
        return timezone.now() + timedelta(days=int(days)) if days else None
