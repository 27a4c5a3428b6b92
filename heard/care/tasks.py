"""The care app's background jobs."""

from __future__ import annotations

from heard.jobs import job


@job
def send_due_surveys() -> int:
    """Offer the satisfaction survey on tickets solved a while ago (`HEARD_SURVEY_AFTER_HOURS`)."""
    from heard.care import surveys

    return surveys.send_due()
