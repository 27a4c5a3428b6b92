"""The emails the care app writes (declared for `heard.mail.kinds`; wording in data/)."""

from __future__ import annotations

from heard.desk.models import ConsentKind
from heard.mail.kinds import Audience, Caps, OptOut, declare

SURVEY = declare(
    code="survey",
    label="Satisfaction survey",
    audience=Audience.CUSTOMER,
    auto_submitted="auto-generated",
    caps=Caps.CUSTOMER,
    wording=("heard.care", "survey.toml"),
    consent=ConsentKind.SURVEYS.value,
    opt_out=OptOut.CONSENT,
    answers=True,
)
FOLLOW_UP = declare(
    code="follow_up",
    label="Follow-up",
    audience=Audience.CUSTOMER,
    auto_submitted="auto-generated",
    caps=Caps.CUSTOMER,
    wording=("heard.care", "follow_up.toml"),
    consent=ConsentKind.FOLLOW_UP.value,
    opt_out=OptOut.CONSENT,
    answers=True,
)
GREETING = declare(
    code="greeting",
    label="Greeting",
    audience=Audience.CUSTOMER,
    auto_submitted="auto-generated",
    caps=Caps.CUSTOMER,
    wording=("heard.care", "greeting.toml"),
    consent=ConsentKind.BIRTHDAY.value,
    opt_out=OptOut.CONSENT,
    answers=False,
)
