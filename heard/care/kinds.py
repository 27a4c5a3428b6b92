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
