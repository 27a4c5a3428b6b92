"""The filter every insights page has: a date range, a team and (for leads) an agent."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone

from heard.insights.access import Filters, Scope

MAX_DAYS = 366


class DateInput(forms.DateInput):
    input_type = "date"


class FilterForm(forms.Form):
    start = forms.DateField(label="From", required=False, widget=DateInput)
    end = forms.DateField(label="To", required=False, widget=DateInput)
    team = forms.TypedChoiceField(label="Team", required=False, coerce=int, empty_value=None)
    agent = forms.TypedChoiceField(label="Agent", required=False, coerce=int, empty_value=None)

    def __init__(self, scope: Scope, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scope = scope
        team = self.fields["team"]
        assert isinstance(team, forms.TypedChoiceField)
        team.choices = [("", "All your teams"), *((t.pk, t.name) for t in scope.teams)]
        agent = self.fields["agent"]
        assert isinstance(agent, forms.TypedChoiceField)
        if scope.sees_others:
            agent.choices = [("", "Everyone"), *((a.pk, a.display_name()) for a in scope.agents)]
        else:
            del self.fields["agent"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError("The first day comes after the last: swap them.")
        if start and end and (end - start).days >= MAX_DAYS:
            raise forms.ValidationError(f"Choose at most {MAX_DAYS} days at a time.")
        return data

    @staticmethod
    def default_range(today: date | None = None) -> dict[str, date]:
        """The last `HEARD_INSIGHTS_DAYS` days, today included."""
        end = today or timezone.localdate()
        return {"start": end - timedelta(days=settings.HEARD_INSIGHTS_DAYS - 1), "end": end}

    def filters(self, today: date | None = None) -> Filters:
        """What was asked for; the last `HEARD_INSIGHTS_DAYS` days by default. A team or agent
        the viewer may not see is not found (404), even when the form is otherwise invalid."""
        for name, find in (("team", self.scope.team), ("agent", self.scope.agent)):
            raw = self.data.get(name)
            if raw not in (None, ""):
                try:
                    find(int(str(raw)))
                except ValueError:
                    find(-1)
        today = today or timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("end") or today
        start = data.get("start") or end - timedelta(days=settings.HEARD_INSIGHTS_DAYS - 1)
        start = min(max(start, end - timedelta(days=MAX_DAYS - 1)), end)
        team = self.scope.team(data["team"]) if data.get("team") else None
        agent = self.scope.agent(data["agent"]) if data.get("agent") else None
        return Filters(start, end, team, agent)
