from __future__ import annotations

from django.http import HttpRequest

from heard.desk.models import Notification


def unread_notifications(request: HttpRequest) -> dict[str, object]:
    """The unread count for the nav; lazy, so pages that don't show the nav pay nothing."""
    if not request.user.is_authenticated:
        return {}
    counted = getattr(request, "unread_notifications", None)  # by the console's agent query
    if counted is not None:
        return {"unread_notifications": counted}
    return {
        "unread_notifications": lambda: Notification.objects.filter(
            recipient=request.user, read_at__isnull=True
        ).count()
    }
