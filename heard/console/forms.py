from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

from heard.desk.models import Agent, Emotion, Priority, Status, Team
from heard.desk.queue_filter import QueueFilter, View


class ReplyForm(forms.Form):
    text = forms.CharField(
        label="Reply to the customer", widget=forms.Textarea(attrs={"rows": 8}), strip=False
    )
    status = forms.ChoiceField(
        label="Then set status to",
        choices=[("", "(leave as it is)"), *[(s.value, s.label) for s in Status][1:]],
        required=False,
    )


class NoteForm(forms.Form):
    text = forms.CharField(label="Internal note", widget=forms.Textarea(attrs={"rows": 3}))


class TicketUpdateForm(forms.Form):
    status = forms.ChoiceField(choices=Status.choices)
    priority = forms.ChoiceField(choices=Priority.choices)
    assignee = forms.ModelChoiceField(
        queryset=Agent.objects.none(), required=False, empty_label="(unassigned)"
    )

    def __init__(self, *args: object, agents: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if agents is not None:
            self.fields["assignee"].queryset = agents  # type: ignore[attr-defined]


class QueueFilterForm(forms.Form):
    """The queue's filters, from the query string: a plain GET form that works without script."""

    view = forms.ChoiceField(label="Show", choices=View.choices, required=False)
    team = forms.TypedChoiceField(label="Team", coerce=int, required=False, empty_value=None)
    mood = forms.ChoiceField(
        label="Mood", choices=[("", "Any mood"), *Emotion.choices], required=False
    )
    status = forms.ChoiceField(
        label="Status", choices=[("", "Every open status"), *Status.choices], required=False
    )
    q = forms.CharField(label="Search", max_length=200, required=False, strip=True)

    def __init__(self, data: Any, teams: Iterable[Team]) -> None:
        super().__init__(data)
        teams = list(teams)
        self.fields["team"].choices = [("", "All my teams"), *((t.pk, t.name) for t in teams)]
        if len(teams) < 2:
            del self.fields["team"]  # nothing to choose between

    def queue_filter(self) -> QueueFilter:
        """The filter asked for; a value that is not one of the choices counts as not given."""
        data = self.cleaned_data if self.is_valid() else {}
        return QueueFilter(
            view=data.get("view") or View.ALL,
            team=data.get("team"),
            mood=data.get("mood", ""),
            status=data.get("status", ""),
            query=data.get("q", ""),
        )
