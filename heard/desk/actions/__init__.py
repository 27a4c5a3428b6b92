"""Desk workflows that touch several objects or cause side effects.

`check_*` functions validate and authorise; the others perform the write. Views, commands, jobs and
tests all call these, never `.save()` on a ticket directly. Callers use this package
(`from heard.desk import actions`); it re-exports every action from its submodules, each of which
imports only those listed before it:

- `base`: who acts (`Actor`), `record_event` and the shared helpers.
- `consent`: customers' consent (`record_consent`).
- `clock`: the reply clock, its targets and retargeting on a new priority.
- `escalation`: the watchdog (`run_watchdog`) and a customer's request for a manager.
- `reading`: reading the customer in their conversation, corrections and the ticket's mood.
- `assignment`: assigning tickets and moving them between teams.
- `tickets`: opening tickets, customers' messages, status and priority, merging and closing.
- `replies`: agents' words: access, reply checks, replies and internal notes.
- `for_apps`: what other apps write on the desk (they never write its rows themselves).
- `customers`: what customers choose for themselves (preferences), what they are called, and
  forgetting them.
"""

from heard.desk.actions.assignment import (
    assign,
    assign_round_robin,
    check_assignee,
    check_move,
    move_ticket,
    next_round_robin_agent,
    open_ticket_counts,
)
from heard.desk.actions.base import (
    Actor,
    events_together,
    record_event,
)
from heard.desk.actions.clock import (
    AT_RISK_FRACTION,
)
from heard.desk.actions.consent import (
    record_consent,
    set_automatic_updates,
)
from heard.desk.actions.customers import (
    FORGOTTEN_NAME,
    REMOVED,
    check_can_forget,
    check_time_zone,
    forget_customer,
    rename_customer,
    request_forgetting,
    update_customer_preferences,
)
from heard.desk.actions.escalation import (
    ESCALATION_FIELDS,
    MANAGER_ESCALATION_FIELDS,
    MANAGER_REASON,
    WATCHDOG_BATCH,
    EscalationRule,
    escalate,
    run_watchdog,
)
from heard.desk.actions.for_apps import (
    UNKNOWN_SENDER,
    add_attachment,
    create_customer,
    default_team,
    find_or_create_customer,
    find_or_create_unknown_sender,
    mark_addresses_bouncing,
    mark_notifications_read,
    notify,
    record_promise,
    record_system_message,
)
from heard.desk.actions.reading import (
    CARE_CUE_KINDS,
    CONTEXT_LOOKBACK,
    MOOD_FIELDS,
    PRIORITY_FIELDS,
    URGENT_PRIORITIES,
    correct_emotion,
    in_conversation,
    read_customer_message,
    read_customer_messages,
    reading_as_json,
    refresh_mood,
)
from heard.desk.actions.replies import (
    add_internal_note,
    check_can_reply,
    check_send,
    check_ticket_access,
    post_agent_reply,
)
from heard.desk.actions.tickets import (
    change_priority,
    change_status,
    check_status_change,
    close_solved_tickets,
    merge_tickets,
    open_ticket,
    record_customer_message,
    update_ticket,
)
from heard.desk.errors import (
    DeskError,
    ErrorCode,
    NotFound,
    SevereFinding,
)

__all__ = [
    "AT_RISK_FRACTION",
    "CARE_CUE_KINDS",
    "CONTEXT_LOOKBACK",
    "ESCALATION_FIELDS",
    "FORGOTTEN_NAME",
    "MANAGER_ESCALATION_FIELDS",
    "MANAGER_REASON",
    "MOOD_FIELDS",
    "PRIORITY_FIELDS",
    "REMOVED",
    "UNKNOWN_SENDER",
    "URGENT_PRIORITIES",
    "WATCHDOG_BATCH",
    "Actor",
    "DeskError",
    "ErrorCode",
    "EscalationRule",
    "NotFound",
    "SevereFinding",
    "add_attachment",
    "add_internal_note",
    "assign",
    "assign_round_robin",
    "change_priority",
    "change_status",
    "check_assignee",
    "check_can_forget",
    "check_can_reply",
    "check_move",
    "check_send",
    "check_status_change",
    "check_ticket_access",
    "check_time_zone",
    "close_solved_tickets",
    "correct_emotion",
    "create_customer",
    "default_team",
    "escalate",
    "events_together",
    "find_or_create_customer",
    "find_or_create_unknown_sender",
    "forget_customer",
    "in_conversation",
    "mark_addresses_bouncing",
    "mark_notifications_read",
    "merge_tickets",
    "move_ticket",
    "next_round_robin_agent",
    "notify",
    "open_ticket",
    "open_ticket_counts",
    "post_agent_reply",
    "read_customer_message",
    "read_customer_messages",
    "reading_as_json",
    "record_consent",
    "record_customer_message",
    "record_event",
    "record_promise",
    "record_system_message",
    "refresh_mood",
    "rename_customer",
    "request_forgetting",
    "run_watchdog",
    "set_automatic_updates",
    "update_customer_preferences",
    "update_ticket",
]
