"""A team's calendar is built once per version of its holidays, in every process."""

from __future__ import annotations

from datetime import UTC, date, datetime

from heard.desk.models import Holiday, Team
from heard.test import BaseTestCase

ST_ANDREW = date(2026, 11, 30)


class TeamCalendarTestCase(BaseTestCase):
    def test_a_calendar_is_reused_until_the_holidays_change(self) -> None:
        team = Team.objects.get(pk=self.billing.pk)
        team.calendar()
        with self.assertNumQueries(0):
            self.assertNotIn(ST_ANDREW, team.calendar().holidays)
        Holiday.objects.create(team=team, date=ST_ANDREW, name="St Andrew")
        self.assertIn(ST_ANDREW, team.calendar().holidays)

    def test_another_process_sees_the_change_through_the_team_row(self) -> None:
        elsewhere = Team.objects.get(pk=self.billing.pk)  # as another process would load it
        elsewhere.calendar()
        Holiday.objects.create(team=self.billing, date=ST_ANDREW)
        self.assertIn(ST_ANDREW, Team.objects.get(pk=self.billing.pk).calendar().holidays)

    def test_a_deleted_holiday_leaves_the_calendar(self) -> None:
        holiday = Holiday.objects.create(team=self.billing, date=ST_ANDREW)
        self.assertIn(ST_ANDREW, self.billing.calendar().holidays)
        Holiday.objects.filter(pk=holiday.pk).delete()
        fresh = Team.objects.get(pk=self.billing.pk)
        self.assertNotIn(ST_ANDREW, fresh.calendar().holidays)

    def test_edited_hours_build_a_new_calendar(self) -> None:
        saturday_noon = datetime(2026, 11, 28, 12, tzinfo=UTC)
        self.assertFalse(self.billing.calendar().is_open(saturday_noon))
        self.billing.weekly_hours = {"sat": [["00:00", "24:00"]]}
        self.billing.save()
        self.assertTrue(self.billing.calendar().is_open(saturday_noon))
