"""Tokens: shown once and kept only as a digest, scoped, optionally one team's, expiring,
revoked at once, each with its rate limit; made by an agent on their page or by an admin."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from django.contrib.auth.models import User
from django.test import override_settings
from django.utils import timezone

from heard.api import actions
from heard.api.auth import forget_old_windows
from heard.api.models import ApiToken, RateWindow, Scope, digest
from heard.api.tests.api_helpers import ApiTestCase
from heard.desk.errors import DeskError
from heard.desk.models import Role
from heard.test import PASSWORD, make_agent


class TokenTestCase(ApiTestCase):
    def test_only_a_digest_is_kept(self) -> None:
        row, raw = self.make_token(self.alice, Scope.READ)
        self.assertTrue(raw.startswith("hrd_"))
        self.assertGreater(len(raw), 40)
        self.assertEqual(row.digest, digest(raw))
        stored = ApiToken.objects.filter(pk=row.pk).values().get()
        self.assertNotIn(raw, [str(v) for v in stored.values()])
        self.assertEqual(row.prefix, raw[:12])

    def test_it_acts_as_its_agent_and_marks_its_last_use(self) -> None:
        body = self.ok(self.api("GET", "/me"))
        self.assertEqual(body["agent"]["name"], "Alice Example")
        self.assertEqual([t["slug"] for t in body["teams"]], ["billing"])
        self.assertIsNotNone(ApiToken.objects.get(pk=self.token_row.pk).last_used_at)

    def test_an_inactive_agents_token_stops_working(self) -> None:
        User.objects.filter(pk=self.alice.user_id).update(is_active=False)
        self.refused(self.api("GET", "/me"), 401, "unauthorized")

    def test_a_revoked_token_stops_at_once(self) -> None:
        actions.revoke_token(self.token_row, self.lead.user)
        self.refused(self.api("GET", "/me"), 401, "token_revoked")

    def test_it_expires(self) -> None:
        _, raw = self.make_token(
            self.alice, Scope.READ, expires_at=timezone.now() + timedelta(days=1)
        )
        self.ok(self.api("GET", "/me", token=raw))
        with time_machine.travel(timezone.now() + timedelta(days=2)):
            self.refused(self.api("GET", "/me", token=raw), 401, "token_expired")

    def test_a_team_restriction_narrows_an_administrator(self) -> None:
        admin = make_agent("ada", [], Role.ADMIN)
        mine = self.open_ticket()
        theirs = self.open_ticket(team=self.tech)
        _, everywhere = self.make_token(admin, Scope.READ)
        _, billing_only = self.make_token(admin, Scope.READ, team=self.billing)
        ids = [t["id"] for t in self.ok(self.api("GET", "/tickets", token=everywhere))["items"]]
        self.assertEqual(set(ids), {mine.pk, theirs.pk})
        narrowed = self.ok(self.api("GET", "/tickets", token=billing_only))["items"]
        self.assertEqual([t["id"] for t in narrowed], [mine.pk])
        self.refused(self.api("GET", f"/tickets/{theirs.pk}", token=billing_only), 404, "not_found")

    def test_a_token_is_only_for_the_agents_own_teams(self) -> None:
        with self.assertRaises(DeskError):
            self.make_token(self.alice, Scope.READ, team=self.tech)
        with self.assertRaises(DeskError):
            self.make_token(self.alice, "everything")


class RateLimitTestCase(ApiTestCase):
    @override_settings(HEARD_API_RATE_PER_MINUTE=3)
    def test_past_the_limit_it_answers_429_with_retry_after(self) -> None:
        minute = datetime(2026, 12, 3, 10, 0, 15, tzinfo=UTC)
        with time_machine.travel(minute, tick=False):
            for _ in range(3):
                self.ok(self.api("GET", "/me"))
            refused = self.api("GET", "/me")
            self.refused(refused, 429, "rate_limited")
            self.assertEqual(refused["Retry-After"], "45")
            _, other = self.make_token(self.bob, Scope.READ)
            self.ok(self.api("GET", "/me", token=other))  # per token
        with time_machine.travel(minute + timedelta(minutes=1), tick=False):
            self.ok(self.api("GET", "/me"))  # a new minute
        self.assertEqual(
            RateWindow.objects.get(token=self.token_row, minute=minute.replace(second=0)).count, 4
        )

    def test_old_windows_are_forgotten(self) -> None:
        self.ok(self.api("GET", "/me"))
        self.assertEqual(forget_old_windows(timezone.now() + timedelta(minutes=30)), 0)
        self.assertEqual(forget_old_windows(timezone.now() + timedelta(hours=2)), 1)


class TokenPageTestCase(ApiTestCase):
    def test_an_agent_makes_a_token_and_sees_it_once(self) -> None:
        self.login(self.bob)
        page = self.client.post(
            "/api/tokens/", {"name": "CRM sync", "scope": "write", "team": "", "expires": "90"}
        )
        self.assertEqual(page.status_code, 200)
        self.assertIn("no-cache", page["Cache-Control"])
        made = ApiToken.objects.get(name="CRM sync")
        raw = page.context["created"]["raw"]
        self.assertEqual(made.digest, digest(raw))
        self.assertContains(page, raw)
        made_as = (made.agent, made.scope, made.created_by)
        self.assertEqual(made_as, (self.bob, "write", self.bob.user))
        self.assertNotContains(self.client.get("/api/tokens/"), raw)
        self.ok(self.api("GET", "/me", token=raw))
        self.client.post(f"/api/tokens/{made.pk}/revoke/")
        self.refused(self.api("GET", "/me", token=raw), 401, "token_revoked")

    def test_it_validates_ownership(self) -> None:
        self.login(self.bob)
        response = self.client.post(f"/api/tokens/{self.token_row.pk}/revoke/")
        self.assertEqual(response.status_code, 404)
        self.assertIsNone(ApiToken.objects.get(pk=self.token_row.pk).revoked_at)

    def test_an_admin_makes_one_in_the_admin_and_sees_it_once(self) -> None:
        User.objects.create_superuser("root", "root@example.org", PASSWORD)
        self.client.login(username="root", password=PASSWORD)
        page = self.client.post(
            "/admin/api/apitoken/add/",
            {"name": "Billing export", "agent": self.alice.pk, "scope": "read", "team": ""},
        )
        self.assertEqual(page.status_code, 200, page.content[:3000])
        made = ApiToken.objects.get(name="Billing export")
        raw = page.context["raw"]
        self.assertEqual(made.digest, digest(raw))
        self.assertContains(page, raw)
        self.ok(self.api("GET", "/me", token=raw))
