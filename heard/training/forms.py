from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from heard.desk.models import Agent
from heard.engine import Emotion
from heard.training.models import Case, Kind

FEELING_CHOICES = [(str(e), str(e).capitalize()) for e in Emotion]


class Form(forms.Form):
    """The studio's forms: labels without a trailing colon (screen readers read them out)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class FeelingsForm(Form):
    feelings = forms.MultipleChoiceField(
        label="What does the customer feel?",
        choices=FEELING_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one feeling."},
    )
    why = forms.CharField(
        label="Why, in a line", max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class ReplyForm(Form):
    text = forms.CharField(
        label="Your reply", widget=forms.Textarea(attrs={"rows": 9}), max_length=6000
    )

    def __init__(self, *args: Any, label: str = "Your reply", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label


class AssignForm(Form):
    agent = forms.ModelChoiceField(queryset=Agent.objects.none(), label="Agent")
    case = forms.ModelChoiceField(queryset=Case.objects.none(), label="Case")
    kind = forms.ChoiceField(choices=Kind.choices, label="Practice")
    due_on = forms.DateField(label="Due on", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="Why (optional)", max_length=300, required=False)

    def __init__(self, *args: Any, agents: Any, cases: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "assign-%s")
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = agents  # type: ignore[attr-defined]
        self.fields["case"].queryset = cases  # type: ignore[attr-defined]

    def clean_due_on(self) -> object:
        due = self.cleaned_data["due_on"]
        if due < timezone.localdate():
            raise forms.ValidationError("Choose today or a later day.")
        return due


class LiveForm(Form):
    partner = forms.ModelChoiceField(
        queryset=Agent.objects.none(), label="Play it with", empty_label=None
    )

    def __init__(self, *args: Any, partners: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "live-%s")
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners  # type: ignore[attr-defined]


class TicketCaseForm(Form):
    reference = forms.CharField(label="Solved ticket", max_length=40,
                                help_text="Its reference, for example HRD-1042.")
