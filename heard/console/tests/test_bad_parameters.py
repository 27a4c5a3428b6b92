"""Every page answers bad parameters with 400 or 404, never a server error (issue 19).

Every URL pattern of the console, the portal and the training studio (and the site's own: login,
static files) is requested with hostile values in its path (numbers past any integer column,
past Python's 4,300-digit conversion limit, negative, non-ASCII, traversal) and in its query
string and form (the same, plus NUL bytes and megabytes of text), by an agent who leads a team,
by a signed-in customer and by nobody. No answer may be a 5xx."""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from django.test import SimpleTestCase, override_settings
from django.urls import URLPattern, URLResolver

from heard import urls as site_urls
from heard.console import urls as console_urls
from heard.portal import urls as portal_urls
from heard.portal.tests.portal import PortalTestCase
from heard.training import urls as training_urls

ROOT = Path(__file__).resolve().parents[3]
NUMBERS = ["9" * 30, "9" * 5000, "0"]
WORDS = ["..%2F..%2F..%2Fetc%2Fpasswd", "%C3%BCn%C3%AFc%C3%B8d%C3%A9-%E2%98%83", "x" * 3000]
VALUES = [
    "9" * 5000,
    "-1",
    "99999999999999999999999999",
    "1e309",
    "²",
    "../../../../etc/passwd",
    "ünïcødé ☃ \u202e",
    "\x00",
    "2026-02-30",
    "x" * 50_000,
]
# Every parameter a page of these apps reads (the filters, the forms, the cursors).
PARAMETERS = [
    "after", "page", "view", "team", "mood", "status", "q", "round", "rating", "csv", "answer",
    "agent", "text", "macro", "into", "emotion", "assignment", "greeting", "email", "subject",
    "birthday", "language", "time_zone", "automatic_updates", "confirm", "comment", "words",
    "feelings", "why", "case", "kind", "due_on", "reason", "partner", "reference", "priority",
    "assignee", "use_suggestion", "insert_macro", "send_anyway", "next", "username", "password",
]  # fmt: skip
TRAVERSALS = [
    "/static/../heard/settings.py",
    "/static/..%2F..%2Fheard%2Fsettings.py",
    "/static/%2e%2e/%2e%2e/etc/passwd",
    "/static/css/../../../../etc/passwd",
    "/static/%00/x",
]
SIGN_OUT = {"logout/", "portal/sign-out/"}  # requested by nobody only, so the others stay in
ROUTE_PART = re.compile(r"<(?:(\w+):)?\w+>")
App = list[tuple[str, Sequence[URLPattern | URLResolver]]]
CONSOLE: App = [("", console_urls.urlpatterns), ("training/", training_urls.urlpatterns)]
PORTAL: App = [("", portal_urls.urlpatterns)]
SITE: App = [("", [p for p in site_urls.urlpatterns if isinstance(p, URLPattern)])]


def routes(*apps: App) -> list[str]:
    """Every route of `apps`, as written in their urls.py, with its prefix."""
    found = ["static/<path:path>"]
    for prefix, patterns in (group for app in apps for group in app):
        for pattern in patterns:
            assert not isinstance(pattern, URLResolver)
            found.append(prefix + str(pattern.pattern))
    return sorted(set(found))


def filled(route: str, real: dict[str, str]) -> str:
    """`route` with real values in every part."""
    return "/" + ROUTE_PART.sub(lambda m: real.get(m[1] or "str", "1"), route)


def hostile_paths(route: str, real: dict[str, str]) -> Iterator[str]:
    """`route` with each hostile value in each of its parts, the others real."""
    parts = [kind or "str" for kind in ROUTE_PART.findall(route)]
    for index, kind in enumerate(parts):
        for value in NUMBERS if kind == "int" else WORDS:
            values = [value if i == index else real.get(k, "1") for i, k in enumerate(parts)]
            yield "/" + _fill(route, values)


def _fill(route: str, values: list[str]) -> str:
    each = iter(values)
    return ROUTE_PART.sub(lambda _: next(each), route)


def everywhere(value: str) -> dict[str, str]:
    """Every parameter with `value`."""
    return dict.fromkeys(PARAMETERS, value)


@override_settings(HEARD_MAX_REPLY_CHARS=20_000)
class BadParametersTest(PortalTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.ticket = self.open_ticket()
        self.real = {"int": str(self.ticket.pk), "slug": "parts-order-mail-fails", "str": "x"}
        self.client.raise_request_exception = False

    def server_errors(self, who: str, route_list: list[str], *, data: bool) -> list[str]:
        """Requests to `route_list` answered with a 5xx: with hostile values in the path (and
        with `data`, in every parameter of the real path, one value at a time)."""
        requests: list[tuple[str, dict[str, str]]] = []
        for route in route_list:
            requests += [(path, {}) for path in hostile_paths(route, self.real)]
            if data:
                requests += [(filled(route, self.real), everywhere(value)) for value in VALUES]
        found = []
        for path, params in requests:
            for method in ("get", "post"):
                response = getattr(self.client, method)(path, params)
                if response.status_code >= 500:
                    value = next(iter(params.values()), "")[:20]
                    found.append(f"{who}: {method.upper()} {path[:90]} {value!r}")
        return found

    def test_no_page_answers_bad_parameters_with_a_server_error(self) -> None:
        every = routes(CONSOLE, PORTAL, SITE)
        self.assertEqual(self.server_errors("nobody", every, data=False), [])
        self.login(self.lead)
        console = [route for route in routes(CONSOLE, SITE) if route not in SIGN_OUT]
        self.assertEqual(self.server_errors("a lead", console, data=True), [])
        self.client.logout()
        self.sign_in()
        portal = [route for route in routes(PORTAL) if route not in SIGN_OUT]
        self.assertEqual(self.server_errors("a customer", portal, data=True), [])
        self.assertEqual(self.client.get("/portal/requests/").status_code, 200)  # still signed in

    def test_a_5000_digit_cursor_on_the_queue_is_a_bad_request_not_an_error(self) -> None:
        self.login(self.alice)
        response = self.client.get("/next/", {"after": "9" * 5000})
        self.assertEqual(response.status_code, 400)
        response = self.client.get("/next/", {"after": str(self.ticket.pk)})
        self.assertEqual(response.status_code, 302)

    def test_a_static_path_traversal_is_not_found_here(self) -> None:
        for path in TRAVERSALS:
            with self.subTest(path=path):
                self.assertEqual(self.client.get(path).status_code, 404)


class ServedStaticFilesTest(SimpleTestCase):
    """`heard serve` as `make demo` runs it (DEBUG on): runserver's own static handler used to
    answer a ../ path with a server error, outside Django's error handling."""

    port = 18489

    def setUp(self) -> None:
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        env = {
            **os.environ,
            "HEARD_VAR_DIR": folder.name,
            "DATABASE_URL": f"sqlite:///{folder.name}/heard.sqlite3",
            "CELERY_BROKER_URL": "",
            "DEBUG": "true",
        }
        heard = [sys.executable, "-c", "from heard.cli import main; main()"]
        subprocess.run([*heard, "migrate", "-v0"], env=env, cwd=ROOT, check=True)
        server = subprocess.Popen(
            [*heard, "serve", f"127.0.0.1:{self.port}"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.addCleanup(server.wait, timeout=20)
        self.addCleanup(server.terminate)
        for _ in range(600):
            if self.status("/static/favicon.svg") == 200:
                return
            time.sleep(0.1)
        self.fail("heard serve did not start")

    def status(self, path: str) -> int:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", path)  # sent as written: no client tidies the ../ away
            return connection.getresponse().status
        except OSError:
            return 0
        finally:
            connection.close()

    def test_a_static_path_traversal_is_not_found(self) -> None:
        for path in TRAVERSALS:
            with self.subTest(path=path):
                self.assertEqual(self.status(path), 404)
        self.assertEqual(self.status("/static/js/htmx.min.js"), 200)
