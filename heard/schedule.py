"""The periodic jobs and how often they run, shared by Celery beat and the in-process scheduler."""

from __future__ import annotations

from django.conf import settings


def periodic_jobs() -> list[tuple[str, int]]:
    """(registered job name, interval in seconds) for every periodic job."""
    jobs = [
        ("heard.desk.tasks.watchdog", settings.HEARD_WATCHDOG_SECONDS),
        ("heard.desk.tasks.close_solved", 15 * 60),
        ("heard.mail.tasks.send_due_email", 30),
        ("heard.mail.tasks.file_stranded_email", 60),
        ("heard.mail.tasks.send_staff_digests", 60),  # each address at most every 15 min
        ("heard.care.tasks.send_due_surveys", 10 * 60),
        ("heard.care.tasks.send_due_follow_ups", 10 * 60),  # from 09:00 in the customer's zone
        ("heard.care.tasks.plan_moments", 60 * 60),  # greetings planned days ahead
        ("heard.care.tasks.send_greetings", 5 * 60),  # on the morning of the day, their zone
        ("heard.insights.tasks.roll_up", settings.HEARD_INSIGHTS_ROLLUP_MINUTES * 60),
        ("heard.api.tasks.retry_webhooks", 30),  # webhook retries with backoff, lost deliveries
        ("heard.api.tasks.forget_rate_windows", 60 * 60),  # the API's rate limit counts
    ]
    if settings.HEARD_IMAP_HOST:
        jobs.append(("heard.mail.tasks.poll_imap", settings.HEARD_IMAP_SECONDS))
    return jobs
