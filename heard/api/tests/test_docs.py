"""The schema and the interactive docs are served, and the schema's choices are the desk's."""

from __future__ import annotations

from typing import get_args

from django.test import SimpleTestCase

from heard.api.schemas import CHOICES
from heard.lib.csp import HEADER, PAGE_CSP


class DocsTestCase(SimpleTestCase):
    def test_the_schema_lists_every_resource(self) -> None:
        schema = self.client.get("/api/v1/openapi.json").json()
        self.assertEqual(schema["info"]["title"], "Heard API")
        for path in (
            "/api/v1/tickets",
            "/api/v1/tickets/{ticket_id}/replies",
            "/api/v1/customers/{customer_id}/consents/{kind}",
            "/api/v1/readings",
            "/api/v1/coach",
            "/api/v1/expected-reply",
            "/api/v1/surveys",
            "/api/v1/follow-ups",
            "/api/v1/moments",
            "/api/v1/webhooks/{webhook_id}/deliveries",
        ):
            self.assertIn(path, schema["paths"])
        self.assertIn("TokenAuth", schema["components"]["securitySchemes"])

    def test_the_docs_come_from_our_own_files(self) -> None:
        page = self.client.get("/api/v1/docs")
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "/static/ninja/swagger-ui-bundle.js")
        self.assertNotContains(page, "cdn.")
        self.assertEqual(page[HEADER], PAGE_CSP)  # as every page (heard.lib.csp)

    def test_the_schemas_choices_are_the_desks(self) -> None:
        for literal, values in CHOICES.items():
            self.assertEqual(sorted(get_args(literal)), sorted(values), literal)
