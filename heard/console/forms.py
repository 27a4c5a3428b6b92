from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

from heard.desk.models import Agent, Emotion, Priority, Status, Team
from heard.desk.queue_filter import QueueFilter, View


class IdPrefixForm(forms.Form):
    """A form whose element ids start with its own prefix: the ticket page holds three forms
    with a `text` or `status` field, and a label must focus its own box, never another form's."""

    id_prefix = "id"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)


class ReplyForm(IdPrefixForm):
    id_prefix = "reply"  # the editor is #reply-text (shortcuts.js focuses and sends from it)
    text = forms.CharField(
        label="Reply to the customer", widget=forms.Textarea(attrs={"rows": 8}), strip=False
    )
    status = forms.ChoiceField(
        label="Then set status to",
        choices=[("", "(leave as it is)"), *[(s.value, s.label) for s in Status][1:]],
        required=False,
    )


class NoteForm(IdPrefixForm):
    id_prefix = "note"
    text = forms.CharField(
        label="Internal note",
        widget=forms.Textarea(attrs={"rows": 3, "aria-describedby": "note-caption"}),
    )


class TicketUpdateForm(IdPrefixForm):
    id_prefix = "ticket"
    status = forms.ChoiceField(choices=Status.choices)
    priority = forms.ChoiceField(choices=Priority.choices)
    assignee = forms.ModelChoiceField(
        queryset=Agent.objects.none(), required=False, empty_label="(unassigned)"
    )

    def __init__(self, *args: Any, agents: object = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if agents is not None:
            self.fields["assignee"].queryset = agents  # type: ignore[attr-defined]


class MoveForm(IdPrefixForm):
    """Move a ticket to another team: a choice of the teams, loaded by the caller."""

    id_prefix = "move"
    team = forms.ModelChoiceField(
        label="Move to team", queryset=Team.objects.none(), empty_label="Choose a team…"
    )
    reason = forms.CharField(label="Why (for the history)", max_length=200, required=False)

    def __init__(self, *args: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["team"]
        assert isinstance(field, forms.ModelChoiceField)
        if isinstance(teams, list):  # already loaded: rendered without another query
            field.choices = [("", field.empty_label), *((t.pk, t.name) for t in teams)]
        else:
            field.queryset = teams


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
        field = self.fields["team"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "All my teams"), *((t.pk, t.name) for t in teams)]
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
