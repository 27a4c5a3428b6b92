"""Every endpoint, walked from the API's own routers (so a new one cannot escape this test), with
tokens of two teams, a read-only, a revoked and an expired one: never another team's data, never
a write without scope."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from heard.api.api import api
from heard.api.auth import TokenAuth
from heard.api.models import ApiToken, Scope, digest
from heard.api.tests.api_helpers import NOWHERE, ApiTestCase, Side, build_side
from heard.desk.models import Role
from heard.test import make_agent

KIND = "{kind}"
Call = tuple[str, Any]  # (path, body)


def kind_reply(side: Side) -> dict[str, Any]:
    return {
        "text": "Hi, thank you for waiting. I've checked your invoice and corrected it today. "
        "If anything else comes up, just reply and I'll pick it up.",
    }


# For each operation: the path and body that reach `side`'s objects, and whether it names any
# (a path parameter or a team): then another team's token gets 404. A new operation without a
# row here fails `test_every_operation_is_in_the_table`.
TABLE: dict[tuple[str, str], tuple[Callable[[Side], Call], bool]] = {
    ("GET", "/tickets"): (lambda s: ("/tickets", None), False),
    ("POST", "/tickets"): (
        lambda s: (
            "/tickets",
            {
                "team": s.team.slug,
                "subject": "Card declined",
                "text": "My card was declined twice today.",
                "customer": {"email": "new@example.net", "name": "New Person"},
            },
        ),
        True,
    ),
    ("GET", "/tickets/{ticket_id}"): (lambda s: (f"/tickets/{s.ticket.pk}", None), True),
    ("PATCH", "/tickets/{ticket_id}"): (
        lambda s: (f"/tickets/{s.ticket.pk}", {"priority": "high"}),
        True,
    ),
    ("GET", "/tickets/{ticket_id}/messages"): (
        lambda s: (f"/tickets/{s.ticket.pk}/messages", None),
        True,
    ),
    ("POST", "/tickets/{ticket_id}/replies"): (
        lambda s: (f"/tickets/{s.ticket.pk}/replies", kind_reply(s)),
        True,
    ),
    ("POST", "/tickets/{ticket_id}/notes"): (
        lambda s: (f"/tickets/{s.ticket.pk}/notes", {"text": "Refund done in the billing tool."}),
        True,
    ),
    ("GET", "/customers/{customer_id}"): (lambda s: (f"/customers/{s.customer.pk}", None), True),
    ("PATCH", "/customers/{customer_id}"): (
        lambda s: (f"/customers/{s.customer.pk}", {"language": "sl"}),
        True,
    ),
    ("GET", "/customers/{customer_id}/consents"): (
        lambda s: (f"/customers/{s.customer.pk}/consents", None),
        True,
    ),
    ("PUT", "/customers/{customer_id}/consents/{kind}"): (
        lambda s: (f"/customers/{s.customer.pk}/consents/surveys", {"given": True}),
        True,
    ),
    ("POST", "/readings"): (lambda s: ("/readings", {"text": "Where is my refund?"}), False),
    ("POST", "/coach"): (
        lambda s: ("/coach", {"draft": "Hi, I'm on it.", "ticket": s.ticket.pk}),
        True,
    ),
    ("POST", "/expected-reply"): (
        lambda s: ("/expected-reply", {"team": s.team.slug, "text": "Help, please."}),
        True,
    ),
    ("GET", "/teams"): (lambda s: ("/teams", None), False),
    ("GET", "/surveys"): (lambda s: ("/surveys", None), False),
    ("GET", "/surveys/{survey_id}"): (lambda s: (f"/surveys/{s.survey.pk}", None), True),
    ("POST", "/surveys/{survey_id}/answer"): (
        lambda s: (f"/surveys/{s.survey.pk}/answer", {"rating": 5, "comment": "Thanks"}),
        True,
    ),
    ("GET", "/follow-ups"): (lambda s: ("/follow-ups", None), False),
    ("GET", "/follow-ups/{follow_up_id}"): (
        lambda s: (f"/follow-ups/{s.follow_up.pk}", None),
        True,
    ),
    ("POST", "/follow-ups/{follow_up_id}/answer"): (
        lambda s: (f"/follow-ups/{s.follow_up.pk}/answer", {"answer": "better"}),
        True,
    ),
    ("GET", "/moments"): (lambda s: ("/moments", None), False),
    ("GET", "/webhooks"): (lambda s: ("/webhooks", None), False),
    ("POST", "/webhooks"): (
        lambda s: (
            "/webhooks",
            {"team": s.team.slug, "url": f"{NOWHERE}/in", "events": ["reply.sent"]},
        ),
        True,
    ),
    ("GET", "/webhooks/{webhook_id}"): (lambda s: (f"/webhooks/{s.webhook.pk}", None), True),
    ("PATCH", "/webhooks/{webhook_id}"): (
        lambda s: (f"/webhooks/{s.webhook.pk}", {"description": "CRM"}),
        True,
    ),
    ("DELETE", "/webhooks/{webhook_id}"): (lambda s: (f"/webhooks/{s.webhook.pk}", None), True),
    ("GET", "/webhooks/{webhook_id}/deliveries"): (
        lambda s: (f"/webhooks/{s.webhook.pk}/deliveries", None),
        True,
    ),
    ("GET", "/me"): (lambda s: ("/me", None), False),
}

# POSTs that only read: their input is a text. Every other write needs the write scope (or
# admin, for webhooks): a new POST that reads must be added here on purpose.
READS = {("POST", "/readings"), ("POST", "/coach"), ("POST", "/expected-reply")}


def operations() -> Iterator[tuple[str, str, Scope]]:
    """(method, path under /api/v1, the scope it needs) for every operation of the API."""
    # The bound routers are what serves the URLs (django-ninja's own list, private to it).
    for bound in api._get_bound_routers():
        for path, view in bound.path_operations.items():
            for operation in view.operations:
                auth = operation.auth_callbacks[0]
                assert isinstance(auth, TokenAuth), operation.view_func
                for method in operation.methods:
                    full = "/" + "/".join(p for p in (bound.prefix, path) if p.strip("/"))
                    full = full.replace("//", "/").rstrip("/") or "/"
                    yield method, full, auth.needed(method)


@contextmanager
def rolled_back() -> Iterator[None]:
    """Each call starts from the same world."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


class AccessMatrixTestCase(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.tech_lead = make_agent("theo", [self.tech], Role.LEAD)
        self.a = build_side(self.billing, self.alice, "Zanzibarite", "bill@a.example")
        self.b = build_side(self.tech, self.olga, "Quillmaple", "tess@b.example")
        now = timezone.now()
        self.tokens = {
            "a": self.make_token(self.lead, Scope.ADMIN)[1],
            "b": self.make_token(self.tech_lead, Scope.ADMIN)[1],
            "read": self.make_token(self.lead, Scope.READ)[1],
            "expired": self.make_token(self.lead, Scope.ADMIN)[1],
            "revoked": self.make_token(self.lead, Scope.ADMIN)[1],
        }
        ApiToken.objects.filter(digest=digest(self.tokens["expired"])).update(
            expires_at=now - timedelta(minutes=1)
        )
        ApiToken.objects.filter(digest=digest(self.tokens["revoked"])).update(revoked_at=now)

    def call(self, method: str, call: Call, who: str) -> Any:
        path, body = call
        with rolled_back():
            return self.api(method, path, body, token=self.tokens[who])

    def test_every_operation_is_in_the_table(self) -> None:
        found = {(method, path) for method, path, _ in operations()}
        self.assertEqual(found, set(TABLE), "add the new operation to TABLE")

    def test_every_write_needs_a_scope_beyond_read(self) -> None:
        for method, path, scope in operations():
            with self.subTest(f"{method} {path}"):
                if path.startswith("/webhooks"):
                    self.assertEqual(scope, Scope.ADMIN)
                elif method == "GET" or (method, path) in READS:
                    self.assertEqual(scope, Scope.READ)
                else:
                    self.assertEqual(scope, Scope.WRITE)

    def test_no_revoked_expired_or_missing_token_gets_in(self) -> None:
        for method, path, _ in operations():
            build, _ = TABLE[(method, path)]
            for who, code in (("revoked", "token_revoked"), ("expired", "token_expired")):
                with self.subTest(f"{method} {path} {who}"):
                    self.refused(self.call(method, build(self.a), who), 401, code)
            with self.subTest(f"{method} {path} without a token"):
                self.tokens["none"] = "hrd_not-a-token"
                self.refused(self.call(method, build(self.a), "none"), 401, "unauthorized")

    def test_a_read_only_token_reads_and_never_writes(self) -> None:
        for method, path, scope in operations():
            build, _ = TABLE[(method, path)]
            with self.subTest(f"{method} {path}"):
                response = self.call(method, build(self.a), "read")
                if scope == Scope.READ:
                    self.assertLess(response.status_code, 300, response.content[:500])
                else:
                    self.refused(response, 403, "scope")

    def test_each_team_reaches_its_own(self) -> None:
        for method, path, _ in operations():
            build, _ = TABLE[(method, path)]
            for who, side in (("a", self.a), ("b", self.b)):
                with self.subTest(f"{method} {path} {who}"):
                    response = self.call(method, build(side), who)
                    self.assertLess(response.status_code, 300, response.content[:500])

    def test_never_another_teams_data(self) -> None:
        for method, path, _ in operations():
            build, names_objects = TABLE[(method, path)]
            for who, theirs, other in (("a", self.b, self.a), ("b", self.a, self.b)):
                with self.subTest(f"{method} {path} {who}"):
                    response = self.call(method, build(theirs), who)
                    if names_objects:
                        self.refused(response, 404, "not_found")
                    self.assertNotIn(theirs.secret, response.content.decode())
                    mine = self.call(method, build(other), who)
                    self.assertNotIn(theirs.secret, mine.content.decode())
                    self.assertNotIn(theirs.secret.lower(), mine.content.decode())
