"""CSS and JavaScript are served with DEBUG off (gunicorn, `heard serve`), by WhiteNoise."""

from __future__ import annotations

from django.test import SimpleTestCase


class StaticFilesTestCase(SimpleTestCase):
    def test_it_serves_the_stylesheet_and_scripts_without_debug(self) -> None:
        for path, kind in [
            ("/static/css/heard.css", "text/css"),
            ("/static/js/htmx.min.js", "text/javascript"),
            ("/static/admin/css/base.css", "text/css"),
        ]:
            with self.subTest(path):
                response = self.client.get(path)
                self.assertEqual(response.status_code, 200)
                self.assertIn(kind, response["Content-Type"])
                self.assertIn("max-age", response["Cache-Control"])

    def test_a_path_outside_the_static_files_is_not_found(self) -> None:
        for path in ["/static/../settings.py", "/static/%2e%2e/settings.py", "/static/nope.css"]:
            with self.subTest(path):
                self.assertEqual(self.client.get(path).status_code, 404)
