"""No customer reaches another's data from any portal URL: every route of `heard.portal.urls`
is walked (so a new one cannot escape) as customer A with customer B's ids, and as nobody."""

from __future__ import annotations

from django.test import Client, override_settings
from django.urls import URLPattern, reverse

from heard.console.tests.test_attachments import PDF, TempMedia
from heard.desk import actions
from heard.portal import urls
from heard.portal.tests.portal import PortalTestCase
from heard.test import make_customer

# Routes anyone may open: signing in, and the links in emails (their token is the authority).
PUBLIC = {"sign_in", "link", "sign_out", "survey", "unsubscribe", "follow_up"}
B_SAYS = ("Maja Novak", "maja@example.com", "Leaking pipe on Maple Street", "my door code is 4711",
          "maja-lease.pdf")  # fmt: skip


def routes() -> list[URLPattern]:
    found = [p for p in urls.urlpatterns if isinstance(p, URLPattern)]
    assert len(found) == len(urls.urlpatterns), "walk included URL confs too"
    return found


@override_settings(HEARD_PORTAL_LINKS_PER_ADDRESS=100, HEARD_PORTAL_LINKS_PER_IP=1000)
class OwnershipTestCase(TempMedia, PortalTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.open_ticket()  # A's own request
        maja = make_customer("Maja Novak", "maja@example.com")
        ticket = actions.open_ticket(
            customer=maja, team=self.billing, subject=B_SAYS[2], text=f"Hi, {B_SAYS[3]}."
        )
        first = ticket.messages.get()
        file = actions.add_attachment(first, B_SAYS[4], "application/pdf", len(PDF), PDF)
        self.ask("maja@example.com", Client())  # B's sign-in link, asked in B's browser
        token = self.last_link().rstrip("/").rpartition("/")[2]
        self.b_values = {"pk": ticket.pk, "attachment_pk": file.pk, "token": token}

    def kwargs(self, route: URLPattern) -> dict[str, object]:
        names = route.pattern.converters  # type: ignore[attr-defined]
        unknown = set(names) - set(self.b_values)
        assert not unknown, f"teach this test B's value for {unknown} ({route.name})"
        return {name: self.b_values[name] for name in names}

    def assert_nothing_of_b(self, route: URLPattern, method: str, response: object) -> None:
        body = b"".join(getattr(response, "streaming_content", [])) or response.content  # type: ignore[attr-defined]
        text = body.decode(errors="replace")
        for said in B_SAYS:
            self.assertNotIn(said, text, f"{method} {route.name} shows B's data")

    def test_every_route_as_customer_a_with_customer_bs_ids(self) -> None:
        for route in routes():
            kwargs = self.kwargs(route)
            url = reverse(f"portal:{route.name}", kwargs=kwargs)
            for method in ("get", "post"):
                client = Client()
                self.sign_in(client=client)
                response = getattr(client, method)(url)
                self.assert_nothing_of_b(route, method, response)
                if {"pk", "attachment_pk"} & set(kwargs):
                    self.assertEqual(response.status_code, 404, f"{method} {url}")
                elif "token" in kwargs:
                    self.assertGreaterEqual(response.status_code, 400, f"{method} {url}")

    def test_every_page_but_the_public_ones_needs_a_signed_in_customer(self) -> None:
        staff = Client()
        staff.login(username="lena", password="correct horse battery")
        for route in routes():
            if route.name in PUBLIC:
                continue
            url = reverse(f"portal:{route.name}", kwargs=self.kwargs(route))
            for client in (Client(), staff):
                for method in ("get", "post"):
                    response = getattr(client, method)(url)
                    self.assertRedirects(
                        response, "/portal/", fetch_redirect_response=False, msg_prefix=url
                    )

    def test_the_walk_sees_every_route(self) -> None:
        names = {route.name for route in routes()}
        self.assertTrue({"request", "attachment", "export", "preferences", "link"} <= names)
        self.assertTrue({"survey", "unsubscribe"} <= names)
