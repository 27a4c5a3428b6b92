from __future__ import annotations

from django import forms

from heard.desk.models import Agent, Priority, Status


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
