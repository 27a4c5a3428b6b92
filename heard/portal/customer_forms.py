"""The forms of the customer's own pages: signing in, requests and replies, preferences and the
account (the forms behind links in emails, survey and follow-up, are in `forms`)."""

from __future__ import annotations

import zoneinfo
from functools import cache
from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from heard.desk.models import ConsentKind, Customer
from heard.mail.transports.web import Upload
from heard.portal import uploads

# --- signing in ------------------------------------------------------------------------------


class SignInForm(forms.Form):
    email = forms.EmailField(
        label="Your email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "Please type the email address you write to us from.",
            "invalid": "That doesn't look like an email address. Could you check it?",
        },
    )


# --- requests and replies --------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Any number of files (the form checks how many); cleaned to a list of uploads."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(widget=MultipleFileInput(), required=False, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Upload]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        return uploads.check([super(FilesField, self).clean(f, initial) for f in files])


def _files_label() -> str:
    return (
        f"Attach files (optional: up to {settings.HEARD_PORTAL_MAX_FILES}, "
        f"{filesizeformat(settings.HEARD_MAX_ATTACHMENT_BYTES)} each; {uploads.allowed()})"
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label="Your message",
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Please write your message."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["files"] = FilesField(label=_files_label())


class NewRequestForm(ReplyForm):
    subject = forms.CharField(
        label="What is it about?",
        max_length=200,
        error_messages={"required": "Please say in a few words what it is about."},
    )
    field_order = ["subject", "text", "files"]


# --- preferences and the account -------------------------------------------------------------

LANGUAGES = [
    ("en", "English"),
    ("de", "Deutsch"),
    ("es", "Español"),
    ("fr", "Français"),
    ("hr", "Hrvatski"),
    ("it", "Italiano"),
    ("nl", "Nederlands"),
    ("pl", "Polski"),
    ("pt", "Português"),
    ("sl", "Slovenščina"),
    ("sr", "Srpski"),
]


@cache
def time_zones() -> list[tuple[str, str]]:
    """Every IANA zone ("Europe/Ljubljana"), without the legacy and leap-second copies."""
    names = (z for z in zoneinfo.available_timezones() if not z.startswith(("posix/", "right/")))
    return [(name, name.replace("_", " ")) for name in sorted(names)]


class PreferencesForm(forms.Form):
    """What the customer chose: each consent, automatic updates, and a few details."""

    automatic_updates = forms.BooleanField(
        label="Automatic updates on my requests (that we got your message, and how long the "
        "wait is)",
        required=False,
    )
    birthday = forms.DateField(
        label="Birthday (optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Please give the date like 1990-03-21, or leave it empty."},
    )
    language = forms.ChoiceField(label="Language")
    time_zone = forms.ChoiceField(label="Time zone")

    def __init__(self, *args: Any, customer: Customer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in ConsentKind.choices:
            self.fields[f"consent_{kind}"] = forms.BooleanField(label=label, required=False)
        languages = dict(LANGUAGES)
        if customer.language not in languages:
            languages[customer.language] = customer.language
        self.fields["language"].choices = list(languages.items())  # type: ignore[attr-defined]
        zones = time_zones()
        if customer.time_zone not in dict(zones):  # an offset zone filing gave them ("Etc/…")
            zones = [(customer.time_zone, customer.time_zone), *zones]
        self.fields["time_zone"].choices = zones  # type: ignore[attr-defined]

    @classmethod
    def initial_for(cls, customer: Customer) -> dict[str, object]:
        return {
            **{f"consent_{kind}": customer.has_consent(kind) for kind in ConsentKind.values},
            "automatic_updates": customer.updates_stopped_at is None,
            "birthday": customer.birthday,
            "language": customer.language,
            "time_zone": customer.time_zone,
        }

    def consents(self) -> dict[str, bool]:
        return {kind: self.cleaned_data[f"consent_{kind}"] for kind in ConsentKind.values}


class ForgetForm(forms.Form):
    confirm = forms.BooleanField(
        label="I understand: once a team lead confirms it, my messages and details are removed "
        "and cannot be brought back.",
        error_messages={"required": "Please tick the box to confirm you want to be forgotten."},
    )
