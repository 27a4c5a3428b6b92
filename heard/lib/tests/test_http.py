"""Who a request came from behind the reverse proxy, and whether it came over https."""

from __future__ import annotations

from ipaddress import ip_network

from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, SimpleTestCase, override_settings

from heard.lib.http import TrustedProxyMiddleware, client_ip

PROXIES = [ip_network("10.0.0.0/24"), ip_network("127.0.0.1/32")]


def request(remote: str, forwarded_for: str | None = None, **meta: str) -> HttpRequest:
    req = RequestFactory().get("/")
    req.META.update({"REMOTE_ADDR": remote, **meta})
    if forwarded_for is not None:
        req.META["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return req


@override_settings(HEARD_TRUSTED_PROXIES=PROXIES)
class ClientIpTestCase(SimpleTestCase):
    def test_it_is_the_peer_when_no_proxy_is_trusted(self) -> None:
        with override_settings(HEARD_TRUSTED_PROXIES=[]):
            self.assertEqual(client_ip(request("127.0.0.1", "198.51.100.4")), "127.0.0.1")

    def test_it_ignores_a_forwarded_header_from_a_stranger(self) -> None:
        self.assertEqual(client_ip(request("198.51.100.9", "10.9.9.9")), "198.51.100.9")

    def test_it_is_the_address_our_proxy_saw(self) -> None:
        self.assertEqual(client_ip(request("127.0.0.1", "198.51.100.4")), "198.51.100.4")

    def test_it_skips_our_own_proxies_from_the_right(self) -> None:
        req = request("127.0.0.1", "198.51.100.4, 10.0.0.7")
        self.assertEqual(client_ip(req), "198.51.100.4")

    def test_a_client_cannot_choose_its_address_by_writing_the_header(self) -> None:
        # The client wrote "1.2.3.4"; our proxy appended the address it really saw.
        req = request("127.0.0.1", "1.2.3.4, 198.51.100.4")
        self.assertEqual(client_ip(req), "198.51.100.4")

    def test_it_falls_back_to_the_proxy_for_a_garbled_header(self) -> None:
        self.assertEqual(client_ip(request("127.0.0.1", "not-an-address")), "127.0.0.1")
        self.assertEqual(client_ip(request("127.0.0.1", "")), "127.0.0.1")

    def test_it_reads_ipv6(self) -> None:
        self.assertEqual(client_ip(request("127.0.0.1", "2001:db8::1")), "2001:db8::1")


@override_settings(HEARD_TRUSTED_PROXIES=PROXIES)
class TrustedProxyMiddlewareTestCase(SimpleTestCase):
    def seen(self, req: HttpRequest) -> HttpRequest:
        TrustedProxyMiddleware(lambda r: HttpResponse())(req)
        return req

    def test_a_stranger_cannot_claim_https(self) -> None:
        req = self.seen(request("198.51.100.9", "10.0.0.1", HTTP_X_FORWARDED_PROTO="https"))
        self.assertNotIn("HTTP_X_FORWARDED_PROTO", req.META)
        self.assertNotIn("HTTP_X_FORWARDED_FOR", req.META)

    def test_the_proxy_may(self) -> None:
        req = self.seen(request("10.0.0.3", "198.51.100.4", HTTP_X_FORWARDED_PROTO="https"))
        self.assertEqual(req.META["HTTP_X_FORWARDED_PROTO"], "https")


@override_settings(
    HEARD_TRUSTED_PROXIES=PROXIES,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
    SECURE_SSL_REDIRECT=True,
    SECURE_HSTS_SECONDS=31536000,
)
class BehindTheProxyTestCase(SimpleTestCase):
    def test_plain_http_is_sent_to_https(self) -> None:
        response = self.client.get("/login/", REMOTE_ADDR="10.0.0.3")
        self.assertEqual(response.status_code, 301)
        self.assertEqual(response["Location"], "https://testserver/login/")

    def test_https_through_the_proxy_is_served_with_hsts(self) -> None:
        response = self.client.get(
            "/login/", REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_PROTO="https"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("max-age=31536000", response["Strict-Transport-Security"])

    def test_a_stranger_claiming_https_is_still_redirected(self) -> None:
        response = self.client.get(
            "/login/", REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_PROTO="https"
        )
        self.assertEqual(response.status_code, 301)
