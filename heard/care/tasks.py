"""The care app's background jobs."""

from __future__ import annotations

from heard.jobs import job


@job
def send_due_surveys() -> int:
    """Offer the satisfaction survey on tickets solved a while ago (`HEARD_SURVEY_AFTER_HOURS`)."""
    from heard.care import surveys

    return surveys.send_due()


@job
def send_due_follow_ups() -> int:
    """Ask "is it better now?" on tickets solved some days ago (each team's follow_up_days)."""
    from heard.care import follow_ups

    return follow_ups.send_due()


@job
def plan_moments() -> int:
    """Run each active moment's rule for the days ahead; look again at what waits."""
    from heard.care.moments import plan

    return plan.plan_all()


@job
def send_greetings() -> int:
    """Deliver the gifts and send the approved greetings whose morning has come."""
    from heard.care.moments import send

    return send.send_due()
