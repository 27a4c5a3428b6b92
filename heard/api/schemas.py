"""What the API takes and gives: pydantic schemas, with a limit on every field it takes.

Out-schemas are filled by the small `*_out` functions in the routers from rows loaded with their
joins, never by lazy attribute access, so a list costs the same few queries at any length.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.conf import settings
from ninja import Schema
from pydantic import Field

from heard.api.models import Event
from heard.desk.models import Channel, ConsentKind, Emotion, Priority, Status

StatusName = Literal["new", "open", "pending", "solved", "closed"]
PriorityName = Literal["low", "normal", "high", "urgent"]
ConsentName = Literal["follow_up", "surveys", "birthday"]
EventName = Literal[
    "ticket.created",
    "message.received",
    "reply.sent",
    "ticket.escalated",
    "ticket.solved",
    "survey.answered",
    "follow_up.answered",
]
ChannelName = Literal["email", "portal", "api", "phone", "chat"]
MoodName = Literal[
    "anger", "frustration", "disappointment", "anxiety", "confusion", "happiness", "neutral"
]
# The Literals above spell out the desk's choices for the schema; a test keeps them equal.
CHOICES = {
    StatusName: Status.values,
    PriorityName: Priority.values,
    ConsentName: ConsentKind.values,
    EventName: Event.values,
    ChannelName: Channel.values,
    MoodName: Emotion.values,
}

MAX_TEXT = 100_000  # a customer's message or a text to read; replies have their own limit
SHORT = 300


# --- errors ------------------------------------------------------------------------------------


class FieldError(Schema):
    field: str = Field(description="Where: 'body.text', 'query.limit', …")
    message: str


class FindingOut(Schema):
    code: str
    start: int | None
    end: int | None
    text: str | None
    why: str
    severity: Literal["high", "medium", "low"]


class Dimensions(Schema):
    empathy: int
    respect: int
    clarity: int


class CoachingOut(Schema):
    score: int = Field(ge=0, le=100)
    dimensions: Dimensions
    findings: list[FindingOut]
    suggestion: str


class Error(Schema):
    code: str = Field(description="Stable: branch on it (the desk's codes pass through).")
    message: str = Field(description="For a person; the wording may change.")
    fields: list[FieldError] = Field(default_factory=list)
    coaching: CoachingOut | None = Field(
        default=None, description="With code severe_finding: what the coach found."
    )


# --- references ----------------------------------------------------------------------------------


class TeamOut(Schema):
    id: int
    slug: str
    name: str


class AgentOut(Schema):
    id: int
    name: str


class CustomerRef(Schema):
    id: int
    name: str
    email: str


class ExpectedReply(Schema):
    at: datetime = Field(description="When a person is expected to reply (a middle estimate).")
    said: str = Field(description="As the acknowledgement email would say it.")
    ahead: int = Field(description="Tickets waiting that stand before it in care order.")
    agents_on_shift: int
    rate_per_hour: float = Field(description="Replies per agent per business hour.")
    basis: str
    later_than_target: bool = Field(description="Later than the team's reply target.")
    reply_due_at: datetime | None = Field(description="The team's reply target.")


# --- tickets ------------------------------------------------------------------------------------


class TicketOut(Schema):
    id: int
    reference: str
    subject: str
    status: StatusName
    priority: PriorityName
    channel: ChannelName
    team: TeamOut
    assignee: AgentOut | None
    customer: CustomerRef
    created_at: datetime
    updated_at: datetime
    first_responded_at: datetime | None
    solved_at: datetime | None
    closed_at: datetime | None
    reply_due_at: datetime | None = Field(description="The running reply target, if waiting.")
    waiting_on_us: bool
    unanswered: int = Field(description="Customer messages since the last reply.")
    escalated: bool
    escalation_reason: str
    mood: str = Field(description="The emotion of the latest read message; '' if none yet.")
    mood_trend: str
    urgency: float
    churn_risk: float
    care_reason: str = Field(description="Why it stands where it does in care order.")
    needs_person: str
    follow_up_of: int | None
    merged_into: int | None
    url: str = Field(description="The ticket's page in the console.")


class TicketDetail(TicketOut):
    expected_reply: ExpectedReply | None = Field(
        description="While the customer waits on a reply, when one is expected (on a new "
        "ticket, and on request)."
    )


class TicketPage(Schema):
    items: list[TicketOut]
    next_cursor: str | None


class NewCustomer(Schema):
    email: str = Field(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")
    name: str = Field(default="", max_length=200)


class TicketIn(Schema):
    team: str = Field(min_length=1, max_length=100, description="The team's slug or id.")
    subject: str = Field(min_length=1, max_length=SHORT)
    text: str = Field(min_length=1, max_length=MAX_TEXT, description="The customer's words.")
    customer: NewCustomer = Field(description="Found by email, or made with this name.")
    priority: PriorityName = "normal"
    channel: ChannelName = "api"


class TicketPatch(Schema):
    status: StatusName | None = None
    priority: PriorityName | None = None
    assignee: int | None = Field(
        default=None, ge=1, le=2**53, description="An agent's id of the ticket's team."
    )
    unassign: bool = Field(default=False, description="True: nobody has it any more.")
    team: str | None = Field(
        default=None, min_length=1, max_length=100, description="Move it: a team's slug or id."
    )
    reason: str = Field(default="", max_length=SHORT, description="Why it moves, if it does.")


# --- messages ------------------------------------------------------------------------------------


class CueOut(Schema):
    start: int
    end: int
    label: str
    kind: str


class ReadingOut(Schema):
    emotion: str
    corrected: bool = Field(description="An agent corrected the emotion.")
    confidence: float
    scores: dict[str, float]
    urgent: bool
    urgency: float
    churn_risk: float
    cues: list[CueOut]


class AttachmentOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int
    kept: bool


class MessageOut(Schema):
    id: int
    ticket: int
    kind: Literal["customer", "agent", "note", "system"] = Field(
        description="note: an internal note the customer never sees; system: what Heard wrote."
    )
    author: str | None
    text: str
    created_at: datetime
    reading: ReadingOut | None
    attachments: list[AttachmentOut]


class MessagePage(Schema):
    items: list[MessageOut]
    next_cursor: str | None


class ReplyIn(Schema):
    text: str = Field(min_length=1, max_length=settings.HEARD_MAX_REPLY_CHARS)
    status: Literal["open", "pending", "solved"] | None = Field(
        default=None, description="The status it leaves the ticket in."
    )
    send_anyway: bool = Field(
        default=False,
        description="Send it despite the coach's severe findings (recorded in the history).",
    )


class ReplyOut(Schema):
    message: MessageOut
    ticket: TicketOut
    coaching: CoachingOut
    sent_despite: list[str] = Field(description="The severe findings it was sent despite.")


class NoteIn(Schema):
    text: str = Field(min_length=1, max_length=MAX_TEXT)


# --- customers -----------------------------------------------------------------------------------


class ConsentOut(Schema):
    kind: ConsentName
    state: Literal["given", "withdrawn", "never_asked"]
    at: datetime | None
    source: str
    by: str | None


class CustomerOut(Schema):
    id: int
    name: str
    preferred_name: str
    emails: list[str]
    language: str
    time_zone: str
    birthday: date | None
    automatic_updates: bool
    consents: list[ConsentOut]
    created_at: datetime


class CustomerPatch(Schema):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    preferred_name: str | None = Field(
        default=None, max_length=100, description="What they like to be called; \"\" for none."
    )
    language: str | None = Field(default=None, min_length=1, max_length=16)
    time_zone: str | None = Field(default=None, min_length=1, max_length=64)
    birthday: date | None = None
    forget_birthday: bool = Field(default=False, description="True: remove the birthday.")
    automatic_updates: bool | None = None


class ConsentIn(Schema):
    given: bool = Field(
        description="What the customer told you: true, they agree; false, they withdraw."
    )


class ConsentChange(Schema):
    kind: ConsentName
    given: bool
    at: datetime
    source: str
    by: str | None


# --- the engine ----------------------------------------------------------------------------------


class TurnIn(Schema):
    author: Literal["customer", "agent"] = Field(alias="from")
    text: str = Field(max_length=MAX_TEXT)


class ReadingIn(Schema):
    text: str = Field(min_length=1, max_length=MAX_TEXT)
    history: list[TurnIn] = Field(default_factory=list, max_length=50)


class EngineReading(Schema):
    emotion: str
    scores: dict[str, float]
    confidence: float
    urgent: bool
    urgency: float
    churn_risk: float
    cues: list[CueOut]
    language_supported: bool
    note: str
    explanation: str


class CoachIn(Schema):
    draft: str = Field(min_length=1, max_length=settings.HEARD_MAX_REPLY_CHARS)
    ticket: int | None = Field(
        default=None,
        ge=1,
        le=2**53,
        description="Coach it as a reply on this ticket (its customer's latest message).",
    )
    customer_message: str | None = Field(default=None, max_length=MAX_TEXT)
    customer_name: str | None = Field(default=None, max_length=200)
    history: list[TurnIn] = Field(default_factory=list, max_length=50)


class ExpectedIn(Schema):
    team: str = Field(min_length=1, max_length=100, description="The team's slug or id.")
    priority: PriorityName = "normal"
    text: str = Field(
        default="",
        max_length=MAX_TEXT,
        description="The request's words, if known: how it reads moves it in care order.",
    )
    time_zone: str = Field(
        default="UTC", min_length=1, max_length=64, description="The customer's, for `said`."
    )


class ExpectedOut(ExpectedReply):
    team: TeamOut


# --- care ---------------------------------------------------------------------------------------


class SurveyOut(Schema):
    id: int
    ticket: int
    reference: str
    created_at: datetime
    emailed: bool
    open_until: datetime
    rating: int | None = Field(description="1 very unhappy … 5 very happy; null unanswered.")
    rating_label: str
    comment: str
    answered_at: datetime | None


class SurveyPage(Schema):
    items: list[SurveyOut]
    next_cursor: str | None


class SurveyAnswerIn(Schema):
    rating: int = Field(ge=1, le=5)
    comment: str = Field(default="", max_length=4000)


class FollowUpOut(Schema):
    id: int
    ticket: int
    reference: str
    created_at: datetime
    emailed: bool
    open_until: datetime
    answer: Literal["better", "not_yet", "broken", ""]
    answer_label: str
    words: str
    answered_at: datetime | None


class FollowUpPage(Schema):
    items: list[FollowUpOut]
    next_cursor: str | None


class FollowUpAnswerIn(Schema):
    answer: Literal["better", "not_yet", "broken"]
    words: str = Field(default="", max_length=4000)


class FollowUpAnswered(Schema):
    follow_up: FollowUpOut
    ticket: TicketOut = Field(description="Where the request goes on.")


class MomentOut(Schema):
    id: int
    name: str
    team: TeamOut | None
    occasion: str
    occasion_label: str
    gift_kind: str
    gift_text: str
    gift_cost_cents: int
    currency: str
    monthly_budget_cents: int
    active: bool
    greetings: dict[str, int] = Field(description="This month's greetings by state.")


# --- webhooks and the caller ---------------------------------------------------------------------


class WebhookOut(Schema):
    id: int
    team: TeamOut
    url: str
    events: list[EventName]
    description: str
    active: bool
    created_at: datetime
    failures_in_a_row: int
    disabled_at: datetime | None
    disabled_reason: str


class WebhookCreated(WebhookOut):
    secret: str = Field(description="Signs every delivery; shown only now.")


class WebhookIn(Schema):
    team: str = Field(min_length=1, max_length=100)
    url: str = Field(min_length=8, max_length=500)
    events: list[EventName] = Field(min_length=1, max_length=len(Event.values))
    description: str = Field(default="", max_length=200)


class WebhookPatch(Schema):
    url: str | None = Field(default=None, min_length=8, max_length=500)
    events: list[EventName] | None = Field(
        default=None, min_length=1, max_length=len(Event.values)
    )
    description: str | None = Field(default=None, max_length=200)
    active: bool | None = None


class DeliveryOut(Schema):
    id: int
    event: EventName
    event_id: int
    state: Literal["pending", "retrying", "delivered", "failed"]
    attempts: int
    response_code: int | None
    error: str
    created_at: datetime
    delivered_at: datetime | None
    next_attempt_at: datetime | None


class DeliveryPage(Schema):
    items: list[DeliveryOut]
    next_cursor: str | None


class MeOut(Schema):
    agent: AgentOut
    role: str
    token: str = Field(description="The token's name.")
    scope: Literal["read", "write", "admin"]
    teams: list[TeamOut]
    expires_at: datetime | None
    rate_per_minute: int

