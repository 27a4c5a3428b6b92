"""The API app's background jobs: thin adapters over the webhooks' and the rate limit's work."""

from __future__ import annotations

from heard.jobs import job


@job
def announce(event: str, key: str, ticket_id: int, about: int | None = None, note: str = "") -> int:
    """Record one event and queue its deliveries (see heard.api.webhooks.events)."""
    from heard.api.webhooks import events

    return 1 if events.announce(event, key, ticket_id, about, note) is not None else 0


@job
def announce_read_messages(ticket_id: int) -> int:
    """Announce the ticket's customer messages read since (with their readings)."""
    from heard.api.webhooks import events

    return events.announce_read_messages(ticket_id)


@job
def deliver_webhook(delivery_id: int) -> str | None:
    """One attempt at one delivery, if it is due."""
    from heard.api.webhooks import delivery

    return delivery.deliver(delivery_id)


@job
def retry_webhooks() -> int:
    """Queue the deliveries whose retry is due, and any whose job was lost (every 30 s)."""
    from heard.api.webhooks import delivery

    return delivery.sweep()


@job
def forget_rate_windows() -> int:
    """Delete the rate limit's counts older than an hour."""
    from heard.api.auth import forget_old_windows

    return forget_old_windows()
