from __future__ import annotations

from django.http import HttpRequest

from heard.desk.models import Notification


def unread_notifications(request: HttpRequest) -> dict[str, object]:
    """The unread count for the nav; lazy, so pages that don't show the nav pay nothing."""
    if not request.user.is_authenticated:
        return {}
    return {
        "unread_notifications": lambda: Notification.objects.filter(
            recipient=request.user, read_at__isnull=True
        ).count()
    }
