"""The API app's workflows: tokens and webhook subscriptions. The admin, the token page, the
API itself and the tests all call these (`check_*` validates and authorises, the rest write)."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime
from urllib.parse import urlsplit

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from heard.api.models import (
    TOKEN_PREFIX,
    ApiToken,
    Event,
    Scope,
    Subscription,
    digest,
)
from heard.desk.errors import DeskError, ErrorCode
from heard.desk.models import Agent, Role, Team

# --- tokens ----------------------------------------------------------------------------------


def check_token(agent: Agent, scope: str, team: Team | None, expires_at: datetime | None) -> None:
    if scope not in Scope.values:
        raise DeskError(f"'{scope}' is not a scope: read, write or admin.", ErrorCode.INVALID)
    if team is not None and not (
        agent.sees_all_teams() or agent.teams.filter(pk=team.pk).exists()
    ):
        raise DeskError(f"{agent} is not in the {team} team.", ErrorCode.NOT_IN_TEAM)
    if expires_at is not None and expires_at <= timezone.now():
        raise DeskError("The expiry must be in the future.", ErrorCode.INVALID)


def create_token(
    agent: Agent,
    *,
    name: str,
    scope: str = Scope.READ,
    team: Team | None = None,
    expires_at: datetime | None = None,
    created_by: User | None = None,
) -> tuple[ApiToken, str]:
    """A new token acting as `agent`; returns it and the token itself, which is shown once and
    never kept (only its digest is)."""
    name = name.strip()[:100]
    if not name:
        raise DeskError("Name the token after what uses it.", ErrorCode.EMPTY)
    check_token(agent, scope, team, expires_at)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        name=name,
        agent=agent,
        scope=scope,
        team=team,
        expires_at=expires_at,
        prefix=raw[:12],
        digest=digest(raw),
        created_by=created_by,
    )
    return token, raw


def revoke_token(token: ApiToken, by: User | None, at: datetime | None = None) -> ApiToken:
    """Revoke it at once (a revoked token never works again); revoking twice changes nothing."""
    at = at or timezone.now()
    if ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=at, revoked_by=by
    ):
        token.revoked_at, token.revoked_by = at, by
    return token


# --- webhook subscriptions -------------------------------------------------------------------


def manages_webhooks(agent: Agent, team_id: int) -> bool:
    """An administrator, the team's lead, or a lead who is in the team."""
    if agent.role == Role.ADMIN:
        return True
    if Team.objects.filter(pk=team_id, lead=agent.user_id).exists():
        return True
    return agent.role == Role.LEAD and agent.teams.filter(pk=team_id).exists()


def check_manages_webhooks(agent: Agent, team: Team) -> None:
    if not manages_webhooks(agent, team.pk):
        raise DeskError(
            f"Only the {team} team's lead or an administrator manages its webhooks.",
            ErrorCode.NOT_ALLOWED,
        )


def check_webhook(url: str, events: Iterable[str]) -> list[str]:
    """The events, each known and once, in Event's order; a DeskError for a bad address."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DeskError("The address must start with http:// or https://.", ErrorCode.INVALID)
    wanted = set(events)
    unknown = wanted - set(Event.values)
    if unknown:
        raise DeskError(f"Unknown events: {', '.join(sorted(unknown))}.", ErrorCode.INVALID)
    if not wanted:
        raise DeskError("Choose at least one event.", ErrorCode.EMPTY)
    return [event for event in Event.values if event in wanted]


def create_subscription(
    team: Team,
    *,
    url: str,
    events: Iterable[str],
    description: str = "",
    created_by: User | None = None,
) -> Subscription:
    """A new webhook of `team` with its own signing secret (callers check who may first:
    `check_manages_webhooks`; the Django admin is for administrators)."""
    chosen = check_webhook(url, events)
    return Subscription.objects.create(
        team=team,
        url=url,
        events=chosen,
        description=description.strip()[:200],
        secret=secrets.token_hex(32),
        created_by=created_by,
    )


@transaction.atomic
def update_subscription(
    subscription: Subscription,
    *,
    url: str | None = None,
    events: Iterable[str] | None = None,
    description: str | None = None,
    active: bool | None = None,
) -> Subscription:
    """Change what was given; switching a disabled one on again starts its failure count anew."""
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    url = subscription.url if url is None else url
    chosen = check_webhook(url, subscription.events if events is None else events)
    subscription.url, subscription.events = url, chosen
    if description is not None:
        subscription.description = description.strip()[:200]
    if active and not subscription.active:
        subscription.failures_in_a_row = 0
        subscription.disabled_at, subscription.disabled_reason = None, ""
    if active is not None:
        subscription.active = active
    subscription.save()
    return subscription
