from __future__ import annotations

from django import forms

from heard.care.models import Answer, Rating


class SurveyForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="How was our help?",
        choices=sorted(Rating.choices, reverse=True),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose one of the five answers."},
    )
    comment = forms.CharField(
        label="Anything you would like to tell us? (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class FollowUpForm(forms.Form):
    answer = forms.ChoiceField(
        label="Is it better now?",
        choices=Answer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose one of the three answers."},
    )
    words = forms.CharField(
        label="Anything you would like to add? (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
