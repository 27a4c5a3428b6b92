"""Satisfaction surveys: one short question after a ticket is solved, never a pest.

A customer who agreed to surveys (a `Consent` of kind surveys, given and not withdrawn since,
recorded by `heard.desk.actions.record_consent`; never asked is no) gets one email a while after
their ticket was solved (`HEARD_SURVEY_AFTER_HOURS`, so that a quick "it still doesn't work"
reopens the ticket before anyone asks how it went). It offers five one-click answers; each link
opens a page where the answer is confirmed (and a comment added) with a button, because mail
scanners follow links and must not answer for the customer. The email is automatic mail: capped
per recipient, never to a bouncing address, and replying to it reopens the ticket. A ticket is
asked once; tickets solved more than `OFFER_WITHIN` before the job first saw them are never asked
(a desk that turns surveys on does not email its whole history). An unhappy answer is told to
the agent who helped and to the team lead. The email (`kinds.SURVEY`) ends with why it was
sent, in words that match the recorded consent (the day the customer agreed), and a link that
withdraws it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from heard.care import follow_ups, kinds, signals
from heard.care.models import Answer, Rating, Survey
from heard.care.offers import offer_each
from heard.desk import actions
from heard.desk.models import Status, Ticket
from heard.mail.sending import outbound

OFFER_WITHIN = timedelta(days=7)  # after the delay; older solved tickets are not asked
SEND_BATCH = 200
UNHAPPY = (Rating.VERY_UNHAPPY, Rating.UNHAPPY)
_SALT = "heard.care.survey"


class SurveyError(Exception):
    """A survey answer that cannot be taken; the message is for the customer."""


def wording() -> dict[str, Any]:
    return kinds.SURVEY.words()


def due(now: datetime | None = None) -> QuerySet[Ticket]:
    """Solved (or since closed) tickets whose customer agreed to surveys (and did not withdraw
    since) and was not asked yet.

    A ticket that gets a follow-up (`follow_ups.expected`) is asked only once the customer
    answered it "Better now", never while it is unanswered or after "Not yet" or "Still broken":
    the survey never meets a customer mid-anger. Its OFFER_WITHIN counts from that answer."""
    now = now or timezone.now()
    asked_after = now - timedelta(hours=settings.HEARD_SURVEY_AFTER_HOURS)
    without_follow_up = Q(
        follow_up__isnull=True, solved_at__gt=asked_after - OFFER_WITHIN
    ) & ~follow_ups.expected()
    after_better = Q(follow_up__answer=Answer.BETTER, follow_up__answered_at__gt=now - OFFER_WITHIN)
    return Ticket.objects.filter(
        without_follow_up | after_better,
        status__in=[Status.SOLVED, Status.CLOSED],
        solved_at__lte=asked_after,
        merged_into__isnull=True,
        customer__surveys_consent__given=True,  # given and not withdrawn since; never asked: no
        survey__isnull=True,
    )


def send_due(now: datetime | None = None) -> int:
    """Offer the survey on every ticket due; returns how many were offered. A ticket whose
    offer fails is logged and left for the next run, never holding back the others."""
    now = now or timezone.now()
    offered, failed = 0, set[int]()
    while ids := list(
        due(now)
        .exclude(pk__in=failed)
        .order_by("solved_at")
        .values_list("pk", flat=True)[:SEND_BATCH]
    ):
        done, not_done = offer_each("survey", ids, offer, now)
        offered, failed = offered + done, failed | not_done
        if len(ids) < SEND_BATCH:
            break
    return offered


@transaction.atomic
def offer(ticket_id: int, now: datetime | None = None) -> Survey | None:
    """Create the ticket's survey and email it, if the ticket is (still) due one."""
    now = now or timezone.now()
    ticket = (
        due(now)
        .select_for_update(of=("self",))
        .select_related("customer__surveys_consent", "team", "assignee__user")
        .filter(pk=ticket_id)
        .first()
    )
    if ticket is None:
        return None  # reopened, asked meanwhile, or consent withdrawn
    survey = Survey.objects.create(ticket=ticket, created_at=now)
    address = ticket.customer.primary_email()
    if address:
        survey.email = outbound.queue_automatic(
            kinds.SURVEY,
            ticket=ticket,
            to_address=address,
            subject=ticket.subject,
            text=survey_text(survey),
        )
        survey.save(update_fields=["email"])
    note = "offered by email" if survey.email else "not sent: see the history for why"
    actions.record_event(ticket, None, "survey", note=note if address else "no address", at=now)
    return survey


def survey_text(survey: Survey) -> str:
    ticket, words = survey.ticket, wording()
    name = ticket.customer.address_name()
    greeting = words["greeting_named"].format(name=name) if name else words["greeting_plain"]
    who = f"the {ticket.team.name} team"
    if ticket.assignee is not None:
        first = ticket.assignee.user.first_name or ticket.assignee.user.get_username()
        who = f"{first} and {who}"
    choices = [
        words["choice"].format(label=rating.label, link=link(survey, rating))
        for rating in sorted(Rating, reverse=True)
    ]
    signoff = words["signoff"].format(team=ticket.team.name, company=settings.HEARD_SUPPORT_NAME)
    return "\n\n".join(
        [
            greeting,
            words["body"].format(subject=ticket.subject, reference=ticket.reference, who=who),
            "\n".join(choices),
            words["still_wrong"],
            signoff,
        ]
    )


def link(survey: Survey, rating: Rating | None = None) -> str:
    """The survey page's address, signed so nobody can answer someone else's survey."""
    path = reverse("portal:survey", args=[signing.dumps(survey.pk, salt=_SALT)])
    return f"{settings.SITE_URL.rstrip('/')}{path}" + (f"?rating={rating.value}" if rating else "")


def from_token(token: str) -> Survey | None:
    """The survey a link names, or None if the link was altered."""
    try:
        pk = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    return Survey.objects.select_related("ticket__customer").filter(pk=pk).first()


@transaction.atomic
def answer(survey: Survey, rating: int, comment: str = "", now: datetime | None = None) -> Survey:
    """Record the customer's answer (they may change it while the survey is open)."""
    now = now or timezone.now()
    survey = (
        Survey.objects.select_for_update(of=("self",))
        .select_related("ticket__customer", "ticket__team", "ticket__assignee")
        .get(pk=survey.pk)
    )
    if not survey.is_open(now):
        closed = f"{survey.open_until():%d %B %Y}"
        raise SurveyError(f"This survey closed on {closed}. Thank you all the same.")
    if rating not in Rating.values:
        raise SurveyError("Please choose one of the five answers.")
    before = survey.get_rating_display() if survey.rating else ""
    survey.rating, survey.comment, survey.answered_at = rating, comment.strip()[:4000], now
    survey.save(update_fields=["rating", "comment", "answered_at"])
    label = survey.get_rating_display()
    actions.record_event(
        survey.ticket, None, "satisfaction", before, label, survey.comment[:300], now
    )
    if rating in UNHAPPY:
        _tell_the_people_who_helped(survey, label)
    signals.survey_answered.send(sender=Survey, survey=survey)
    return survey


def _tell_the_people_who_helped(survey: Survey, label: str) -> None:
    ticket = survey.ticket
    said = f": “{survey.comment[:120]}”" if survey.comment else ""
    text = f"{ticket.reference}: {ticket.customer.name} answered the survey “{label}”{said}"
    helpers = {ticket.team.lead_id}
    if ticket.assignee_id is not None:
        helpers.add(ticket.assignee.user_id)  # type: ignore[union-attr]
    actions.notify(helpers, ticket, text)


@dataclass(frozen=True)
class Satisfaction:
    """What a customer said in their answered surveys."""

    average: float
    answered: int

    def __str__(self) -> str:
        answers = "answer" if self.answered == 1 else "answers"
        return f"{self.average:.1f} of 5 from {self.answered} survey {answers}"


def satisfaction(tickets: Iterable[Ticket]) -> Satisfaction | None:
    """Over these tickets' answered surveys (load them with `select_related("survey")`)."""
    ratings = [s.rating for t in tickets if (s := getattr(t, "survey", None)) and s.rating]
    if not ratings:
        return None
    return Satisfaction(sum(ratings) / len(ratings), len(ratings))
