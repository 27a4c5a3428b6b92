"""Login throttling (issue 19): a hundred wrong passwords used to go through, and then the right
one worked. Now failures are counted in the database per name typed and per client address;
past the limit every sign-in for that name or from that address is refused (429, with a clear
message), the right password included, until the window has passed. A name that is nobody's is
counted and answered exactly like a real one, so the page tells nobody which names exist."""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine
from django.conf import settings
from django.test import Client, override_settings
from django.utils import timezone

from heard.console.login import THROTTLED, WRONG
from heard.console.models import LoginFailure
from heard.test import PASSWORD, BaseTestCase

ERROR = re.compile(r'<p class="error" role="alert">(.*?)</p>', re.DOTALL)


@override_settings(
    HEARD_LOGIN_FAILURES_PER_ACCOUNT=5,
    HEARD_LOGIN_FAILURES_PER_ADDRESS=20,
    HEARD_LOGIN_WINDOW_MINUTES=15,
)
class LoginThrottlingTest(BaseTestCase):
    def sign_in(
        self, username: str, password: str, *, ip: str = "203.0.113.7", client: Client | None = None
    ) -> tuple[int, str]:
        """Post the login form; the status and the error the page shows ("" for none)."""
        response = (client or self.client).post(
            "/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
        )
        found = ERROR.search(response.content.decode())
        return response.status_code, found.group(1).replace("&#x27;", "'") if found else ""

    def signed_in(self) -> bool:
        return "_auth_user_id" in self.client.session

    def test_the_right_password_is_refused_after_five_wrong_ones(self) -> None:
        for _ in range(5):
            self.assertEqual(self.sign_in("alice", "wrong"), (200, WRONG))
        status, error = self.sign_in("alice", PASSWORD)
        self.assertEqual(status, 429)
        self.assertEqual(error, THROTTLED.format(minutes=15))
        self.assertFalse(self.signed_in())

    def test_a_name_that_is_nobodys_is_answered_exactly_like_a_real_one(self) -> None:
        real = [self.sign_in("alice", "wrong") for _ in range(6)]
        unknown = [self.sign_in("nobody-here", "wrong") for _ in range(6)]
        self.assertEqual(real, unknown)
        self.assertEqual(real[-1][0], 429)

    def test_failures_count_per_name_from_any_address(self) -> None:
        for number in range(5):
            self.sign_in("alice", "wrong", ip=f"198.51.100.{number}")
        self.assertEqual(self.sign_in("alice", PASSWORD, ip="192.0.2.99")[0], 429)
        self.assertEqual(self.sign_in("bob", PASSWORD, ip="192.0.2.99"), (302, ""))  # others go on

    def test_failures_count_per_address_across_names(self) -> None:
        for number in range(20):
            self.sign_in(f"guess{number}", "wrong")
        self.assertEqual(self.sign_in("bob", PASSWORD)[0], 429)
        self.assertEqual(self.sign_in("bob", PASSWORD, ip="192.0.2.50"), (302, ""))

    def test_sign_in_works_again_once_the_window_has_passed(self) -> None:
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            for _ in range(5):
                self.sign_in("alice", "wrong")
        with time_machine.travel(start + timedelta(minutes=14), tick=False):
            status, error = self.sign_in("alice", PASSWORD)
            self.assertEqual((status, error), (429, THROTTLED.format(minutes=1)))
        with time_machine.travel(start + timedelta(minutes=15, seconds=1), tick=False):
            self.assertEqual(self.sign_in("alice", PASSWORD), (302, ""))
            self.assertTrue(self.signed_in())
            self.assertFalse(LoginFailure.objects.exists())  # a success clears its name

    def test_refused_tries_do_not_lengthen_the_wait(self) -> None:
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            for _ in range(5):
                self.sign_in("alice", "wrong")
        with time_machine.travel(start + timedelta(minutes=10), tick=False):
            for _ in range(10):
                self.assertEqual(self.sign_in("alice", "wrong")[0], 429)
        self.assertEqual(LoginFailure.objects.count(), 5)

    def test_the_admin_login_is_throttled_too(self) -> None:
        admin = self.lead.user
        admin.is_staff = admin.is_superuser = True
        admin.save()
        for _ in range(5):
            self.client.post("/admin/login/", {"username": "lena", "password": "wrong"})
        self.client.post("/admin/login/", {"username": "lena", "password": PASSWORD})
        self.assertFalse(self.signed_in())

    def test_the_rows_say_nothing_of_what_was_typed(self) -> None:
        self.sign_in("alice", "hunter2", ip="203.0.113.7")
        row = LoginFailure.objects.get()
        for typed in ("alice", "hunter2", "203.0.113.7"):
            self.assertNotIn(typed, f"{row.account} {row.address}")
        self.assertNotIn(settings.SECRET_KEY, row.account)
