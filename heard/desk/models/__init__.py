"""The desk: customers, teams, agents, tickets and their conversation.

Rules about one object's state live here as small methods; workflows that touch several objects or
cause side effects live in the actions package. Each module holds one part of the desk; import
from `heard.desk.models`, which gathers them.
"""

from heard.desk.models.conversation import (
    MANAGER_CUE_KIND,
    Attachment,
    Direction,
    Emotion,
    Message,
    Notification,
    TicketEvent,
)
from heard.desk.models.customers import (
    CONSENT_SOURCES,
    CONSENTS_IN_FORCE,
    Consent,
    ConsentKind,
    Customer,
    CustomerEmail,
    ForgetRequest,
)
from heard.desk.models.teams import (
    Agent,
    Holiday,
    Macro,
    Priority,
    Role,
    RoutingKind,
    RoutingRule,
    SlaPolicy,
    Team,
    agent_for,
)
from heard.desk.models.tickets import (
    ACTIVE_STATUSES,
    REFERENCE_OFFSET,
    TRANSITIONS,
    Channel,
    SlaStage,
    Status,
    Ticket,
    TicketQuerySet,
    format_reference,
    parse_reference,
)

__all__ = [
    "ACTIVE_STATUSES",
    "CONSENTS_IN_FORCE",
    "CONSENT_SOURCES",
    "MANAGER_CUE_KIND",
    "REFERENCE_OFFSET",
    "TRANSITIONS",
    "Agent",
    "Attachment",
    "Channel",
    "Consent",
    "ConsentKind",
    "Customer",
    "CustomerEmail",
    "Direction",
    "Emotion",
    "ForgetRequest",
    "Holiday",
    "Macro",
    "Message",
    "Notification",
    "Priority",
    "Role",
    "RoutingKind",
    "RoutingRule",
    "SlaPolicy",
    "SlaStage",
    "Status",
    "Team",
    "Ticket",
    "TicketEvent",
    "TicketQuerySet",
    "agent_for",
    "format_reference",
    "parse_reference",
]
