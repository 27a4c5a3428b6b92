"""Signing in by a link sent by email: once, for 15 minutes, in the browser that asked, limited,
and the same answer for every address."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from heard.mail.models import OutboundEmail
from heard.portal import kinds, links, signin
from heard.portal.models import SignInLink
from heard.portal.tests.portal import PortalTestCase, link_path
from heard.test import make_customer


class SignInLinkTestCase(PortalTestCase):
    def test_it_emails_a_link_that_signs_in_once(self) -> None:
        self.ask("Aleks@Example.com ")
        [email] = mail.outbox
        self.assertEqual(email.to, ["aleks@example.com"])
        self.assertEqual(email.extra_headers["Auto-Submitted"], "auto-generated")
        self.assertNotIn("List-Unsubscribe", email.extra_headers)  # it would lock them out
        self.assertIn("Hi Aleksandar,", email.body)
        self.assertIn("It works once, for the next 15 minutes", email.body)
        self.assertIn("a sign-in link for this address was requested", email.body)
        path = link_path(str(email.body))
        self.assertTrue(email.body.count("https://help.example/portal/link/"), email.body)

        signed_in = self.client.post(path)
        self.assertRedirects(signed_in, "/portal/requests/", fetch_redirect_response=False)
        self.assertContains(self.client.get("/portal/requests/"), "My requests")
        self.client.post("/portal/sign-out/")
        again = self.client.post(path)
        self.assertContains(again, "This link was used already", status_code=410)
        self.assertRedirects(self.client.get("/portal/requests/"), "/portal/")

    def test_opening_the_link_uses_nothing(self) -> None:
        self.ask("aleks@example.com")
        path = self.last_link()
        for _ in range(3):  # a mail scanner, a preview, the customer
            opened = self.client.get(path)
            self.assertContains(opened, '<button type="submit">Sign in</button>')
        self.assertIsNone(SignInLink.objects.get().used_at)
        self.assertRedirects(self.client.get("/portal/requests/"), "/portal/")
        self.assertEqual(self.client.post(path).status_code, 302)

    def test_it_expires_after_15_minutes(self) -> None:
        self.ask("aleks@example.com")
        path = self.last_link()
        with time_machine.travel(timezone.now() + timedelta(minutes=14, seconds=50)):
            self.assertContains(self.client.get(path), "Sign in")
        with time_machine.travel(timezone.now() + timedelta(minutes=15, seconds=1)):
            expired = self.client.post(path)
            self.assertContains(expired, "This link has expired", status_code=410)
            self.assertContains(expired, "works for 15 minutes", status_code=410)
            self.assertRedirects(self.client.get("/portal/requests/"), "/portal/")

    def test_it_works_only_in_the_browser_that_asked(self) -> None:
        self.ask("aleks@example.com")
        path = self.last_link()
        elsewhere = Client()
        for response in (elsewhere.get(path), elsewhere.post(path)):
            self.assertContains(
                response, "works only in the browser where you asked for it", status_code=403
            )
        self.assertRedirects(elsewhere.get("/portal/requests/"), "/portal/")
        self.assertIsNone(SignInLink.objects.get().used_at)
        self.assertEqual(self.client.post(path).status_code, 302)  # the browser that asked

    def test_a_forwarded_link_with_a_cookie_of_its_own_is_still_refused(self) -> None:
        self.ask("aleks@example.com")
        path = self.last_link()
        stranger = Client()
        self.ask("nobody@example.com", stranger)  # a cookie of their own, for another address
        self.assertEqual(stranger.post(path).status_code, 403)

    def test_an_altered_link_is_not_found(self) -> None:
        self.ask("aleks@example.com")
        response = self.client.post(self.last_link()[:-5] + "xyz/")
        self.assertContains(response, "We don't recognise this link", status_code=404)

    def test_asking_again_keeps_the_earlier_link_working_in_the_same_browser(self) -> None:
        self.ask("aleks@example.com")
        first = self.last_link()
        self.ask("aleks@example.com")
        self.assertNotEqual(first, self.last_link())
        self.assertEqual(self.client.post(first).status_code, 302)

    def test_it_keeps_only_hashes(self) -> None:
        self.ask("aleks@example.com")
        token = self.last_link().rstrip("/").rpartition("/")[2]
        nonce = self.client.cookies[signin.BROWSER_COOKIE].value
        row = SignInLink.objects.values().get()
        stored = " ".join(str(value) for value in row.values())
        for secret in (token, nonce, "aleks@example.com"):
            self.assertNotIn(secret, stored)
        self.assertEqual(row["token_hash"], signin.digest(token))
        self.assertEqual(row["browser_hash"], signin.digest(nonce))

    def test_the_browser_cookie_is_http_only_lax_and_secure_on_https(self) -> None:
        response = self.ask("aleks@example.com")
        cookie = response.cookies[signin.BROWSER_COOKIE]
        self.assertTrue(cookie["httponly"])
        self.assertEqual(cookie["samesite"], "Lax")
        self.assertEqual(cookie["path"], "/portal/")
        self.assertEqual(cookie["max-age"], 15 * 60)
        self.assertFalse(cookie["secure"])
        secure = self.ask("aleks@example.com", Client(), secure=True)
        self.assertTrue(secure.cookies[signin.BROWSER_COOKIE]["secure"])

    def test_the_sign_in_url_is_the_absolute_address_of_the_sign_in_page(self) -> None:
        self.assertEqual(links.sign_in_url(), "https://help.example/portal/")
        page = self.client.get("/portal/")
        self.assertContains(page, '<label for="id_email">Your email address</label>')
        self.assertEqual(page["Content-Security-Policy"].split(";")[0], "default-src 'self'")


class NoEnumerationTestCase(PortalTestCase):
    def answer(self, address: str) -> tuple[int, str]:
        response = self.ask(address)
        return response.status_code, response.content.decode().replace(address, "ADDRESS")

    def test_it_answers_the_same_whether_the_address_is_known_unknown_or_limited(self) -> None:
        known = self.answer("aleks@example.com")
        unknown = self.answer("stranger@example.com")
        self.assertEqual(known, unknown)
        self.assertIn("If this address is known to us, a link is on its way", known[1])
        self.assertIn("it works for 15 minutes in this browser", known[1])
        self.answer("aleks@example.com")
        limited = self.answer("aleks@example.com")  # the fourth in 15 minutes
        self.assertEqual(known, limited)
        self.assertEqual([m.to for m in mail.outbox], [["aleks@example.com"]] * 3)

    def test_the_page_does_the_same_work_for_every_address(self) -> None:
        """The page only queues the job: what differs (the row, the email) happens after."""
        for address in ("aleks@example.com", "stranger@example.com"):
            with self.assertNumQueries(0):
                response = self.client.post("/portal/", {"email": address})
            self.assertEqual(response.status_code, 200)

    def test_an_unknown_address_gets_nothing_but_counts(self) -> None:
        self.ask("stranger@example.com")
        self.assertEqual(mail.outbox, [])
        self.assertFalse(OutboundEmail.objects.filter(kind=kinds.SIGN_IN.code).exists())
        link = SignInLink.objects.get()
        self.assertIsNone(link.customer)  # never usable, there for the limits only

    def test_an_address_that_is_not_one_is_told_so(self) -> None:
        response = self.client.post("/portal/", {"email": "not an address"})
        self.assertContains(response, "look like an email address", status_code=400)


class RateLimitTestCase(PortalTestCase):
    def test_it_limits_links_per_address(self) -> None:
        for _ in range(4):
            self.ask("aleks@example.com")
        self.assertEqual(len(mail.outbox), 3)
        with time_machine.travel(timezone.now() + timedelta(minutes=16)):
            self.ask("aleks@example.com")
        self.assertEqual(len(mail.outbox), 4)

    def test_the_limit_counts_every_process_from_the_database(self) -> None:
        for _ in range(3):
            signin.ask("aleks@example.com", "192.0.2.7", signin.digest("x"))
        self.assertFalse(signin.ask("aleks@example.com", "192.0.2.8", signin.digest("y")))

    @override_settings(HEARD_PORTAL_LINKS_PER_IP=10)
    def test_it_limits_links_per_ip_address(self) -> None:
        make_customer("Maja Novak", "maja@example.com")
        for n in range(10):
            self.ask(f"someone{n}@example.com", ip="198.51.100.4")
        self.ask("maja@example.com", ip="198.51.100.4")
        self.assertEqual(mail.outbox, [])
        self.ask("maja@example.com", ip="198.51.100.5")  # another network
        self.assertEqual([m.to for m in mail.outbox], [["maja@example.com"]])
        with time_machine.travel(timezone.now() + timedelta(minutes=61)):
            self.ask("aleks@example.com", ip="198.51.100.4")
        self.assertEqual(len(mail.outbox), 2)

    def test_old_rows_are_deleted_when_asking(self) -> None:
        self.ask("aleks@example.com")
        with time_machine.travel(timezone.now() + timedelta(days=2)):
            self.ask("stranger@example.com")
        self.assertEqual(SignInLink.objects.count(), 1)


class SessionTestCase(PortalTestCase):
    def test_signing_in_changes_the_session_key(self) -> None:
        self.client.get("/portal/")
        self.client.session.save()
        before = self.client.session.session_key
        self.sign_in()
        self.assertNotEqual(self.client.session.session_key, before)

    def test_a_session_left_idle_ends(self) -> None:
        self.sign_in()
        with time_machine.travel(timezone.now() + timedelta(minutes=119)):
            self.assertEqual(self.client.get("/portal/requests/").status_code, 200)
        with time_machine.travel(timezone.now() + timedelta(minutes=119 + 121)):
            self.assertRedirects(self.client.get("/portal/requests/"), "/portal/")

    def test_signing_out_ends_it(self) -> None:
        self.sign_in()
        response = self.client.post("/portal/sign-out/", follow=True)
        self.assertContains(response, "You are signed out.")
        self.assertRedirects(self.client.get("/portal/requests/"), "/portal/")

    def test_a_staff_login_opens_nothing_in_the_portal(self) -> None:
        self.login(self.alice)
        self.assertRedirects(self.client.get("/portal/requests/"), "/portal/")

    def test_a_customer_session_opens_nothing_in_the_console_or_admin(self) -> None:
        self.sign_in()
        self.assertRedirects(self.client.get("/"), "/login/?next=/")
        self.assertEqual(self.client.get("/admin/").status_code, 302)

    def test_the_sign_in_page_sends_a_signed_in_customer_to_their_requests(self) -> None:
        self.sign_in()
        self.assertRedirects(self.client.get("/portal/"), "/portal/requests/")
