"""Whose occasion falls when: birthdays (29 February too), anniversaries, days a team sets,
each in the customer's own time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from heard.care.models import Greeting, Occasion
from heard.care.moments import occasions, plan
from heard.care.tests.moment_helpers import NOW, THURSDAY, MomentTestCase, birthday_moment
from heard.desk.models import Customer


class LeapDayTestCase(MomentTestCase):
    def test_a_29_february_birthday_is_greeted_on_28_february_in_other_years(self) -> None:
        leap = self.customer_born("Ana Leap", "ana@example.com", date(1992, 2, 29))
        plan.plan_moment(self.moment, datetime(2027, 2, 26, 7, 0, tzinfo=UTC))
        self.assertEqual(self.greeting(leap).occasion_date, date(2027, 2, 28))

    def test_and_on_29_february_itself_in_a_leap_year(self) -> None:
        leap = self.customer_born("Ana Leap", "ana@example.com", date(1992, 2, 29))
        plan.plan_moment(self.moment, datetime(2028, 2, 27, 7, 0, tzinfo=UTC))
        self.assertEqual(self.greeting(leap).occasion_date, date(2028, 2, 29))
        plan.plan_moment(self.moment, datetime(2028, 2, 28, 7, 0, tzinfo=UTC))
        self.assertEqual(Greeting.objects.filter(customer=leap).count(), 1, "not on the 28th too")

    def test_the_rules_of_the_calendar(self) -> None:
        self.assertEqual(occasions.same_day(2100, 2, 29), date(2100, 2, 28))  # no leap day
        self.assertEqual(occasions.same_day(2000, 2, 29), date(2000, 2, 29))
        with self.assertRaises(ValueError):
            occasions.same_day(2027, 4, 31)


class TimeZoneTestCase(MomentTestCase):
    def test_the_day_is_the_customers_own(self) -> None:
        """At 11:00 UTC on Monday it is already Tuesday in Auckland and still Monday in
        Honolulu: a look-ahead of one day reaches Wednesday in Auckland, Tuesday in Honolulu."""
        self.moment.plan_days = 1
        self.moment.save()
        auckland = self.customer_born(
            "Mere Ngata", "mere@example.com", date(1990, 11, 25), "Pacific/Auckland"
        )
        honolulu = self.customer_born(
            "Kai Akana", "kai@example.com", date(1990, 11, 25), "Pacific/Honolulu"
        )
        plan.plan_moment(self.moment, datetime(2026, 11, 23, 11, 0, tzinfo=UTC))
        self.assertTrue(Greeting.objects.filter(customer=auckland).exists())
        self.assertFalse(Greeting.objects.filter(customer=honolulu).exists(), "Wednesday: later")

    def test_it_goes_in_the_morning_of_the_day_their_time(self) -> None:
        tokyo = self.customer_born("Yui Sato", "yui@example.com", date(1990, 11, 26), "Asia/Tokyo")
        plan.plan_moment(self.moment, NOW)
        self.assertEqual(
            self.greeting(tokyo).send_at, datetime(2026, 11, 26, 0, 0, tzinfo=UTC)
        )  # 09:00 in Tokyo
        self.assertEqual(self.greeting().send_at, datetime(2026, 11, 26, 9, 0, tzinfo=UTC))

    def test_an_unknown_time_zone_counts_as_utc(self) -> None:
        lost = self.customer_born("Lost Zone", "lost@example.com", THURSDAY, "Mars/Olympus")
        plan.plan_moment(self.moment, NOW)
        self.assertEqual(self.greeting(lost).send_at, datetime(2026, 11, 26, 9, 0, tzinfo=UTC))


class OccasionTestCase(MomentTestCase):
    def test_a_birthday_within_the_look_ahead_is_planned_and_one_beyond_it_later(self) -> None:
        later = self.customer_born("Later Born", "later@example.com", date(1970, 11, 27))
        plan.plan_moment(self.moment, NOW)
        self.assertEqual(self.greeting().occasion_date, THURSDAY)
        self.assertFalse(Greeting.objects.filter(customer=later).exists(), "Friday: 4 days away")
        plan.plan_moment(self.moment, NOW + timedelta(days=1))
        self.assertEqual(self.greeting(later).occasion_date, date(2026, 11, 27))

    def test_the_tenth_anniversary_only(self) -> None:
        moment = birthday_moment(
            name="Ten years", occasion=Occasion.ANNIVERSARY, years=10, team=self.billing
        )
        ten = self.customer_born("Gordana Ilić", "gordana@example.com", None)
        nine = self.customer_born("Nine Years", "nine@example.com", None)
        Customer.objects.filter(pk=ten.pk).update(created_at=datetime(2016, 11, 25, 12, tzinfo=UTC))
        Customer.objects.filter(pk=nine.pk).update(
            created_at=datetime(2017, 11, 25, 12, tzinfo=UTC)
        )
        plan.plan_moment(moment, NOW)
        self.assertEqual(
            list(Greeting.objects.filter(moment=moment).values_list("customer", "occasion_date")),
            [(ten.pk, date(2026, 11, 25))],
        )
        self.assertEqual(moment.occasion_label(), "10 years with us")

    def test_a_day_the_team_sets_every_year_or_once(self) -> None:
        yearly = birthday_moment(
            name="Our birthday", occasion=Occasion.DATE, date=date(2001, 11, 25), team=self.billing
        )
        once = birthday_moment(
            name="Launch day", occasion=Occasion.DATE, date=date(2027, 11, 25), yearly=False
        )
        plan.plan_moment(yearly, NOW)
        plan.plan_moment(once, NOW)
        self.assertEqual(
            Greeting.objects.get(moment=yearly, customer=self.customer).occasion_date,
            date(2026, 11, 25),
        )
        self.assertFalse(Greeting.objects.filter(moment=once).exists(), "only in 2027")
        self.assertEqual(yearly.occasion_label(), "Our birthday")
