from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from pytest_django.fixtures import Settings

from heard import settings as heard_settings
from heard.checks import settings_check


def ids(settings: Settings) -> list[str | None]:
    return [problem.id for problem in settings_check()]


def test_it_passes_the_development_defaults(settings: Settings) -> None:
    settings.DEBUG = True  # the test runner turns it off
    assert ids(settings) == []


def test_it_flags_a_mail_user_without_a_password(settings: Settings) -> None:
    settings.EMAIL_HOST_USER = "heard"
    settings.EMAIL_HOST_PASSWORD = ""
    assert "heard.E002" in ids(settings)


def test_it_warns_production_about_missing_mail_and_sqlite(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.DEBUG = False
    settings.EMAIL_HOST = ""
    monkeypatch.setattr("heard.checks.connection.vendor", "sqlite")
    assert {"heard.W001", "heard.W002"} <= set(ids(settings))


def test_database_urls_are_parsed() -> None:
    db = heard_settings.database_from_url("postgres://heard:s%40cret@db.internal:6432/helpdesk")
    assert (db["ENGINE"], db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "django.db.backends.postgresql", "helpdesk", "heard", "s@cret", "db.internal", "6432"
    )
    with pytest.raises(ImproperlyConfigured, match="'mysql' is not supported"):
        heard_settings.database_from_url("mysql://root@localhost/heard")


def test_env_helpers_fail_loudly(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HEARD_X", "maybe")
    with pytest.raises(ImproperlyConfigured, match="is not a boolean"):
        heard_settings.envbool("HEARD_X", False)
    with pytest.raises(ImproperlyConfigured, match="is not a whole number"):
        heard_settings.envint("HEARD_X", 1)
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("HEARD_Y_FILE", str(secret))
    assert heard_settings.envstr("HEARD_Y") == "from-a-file"


def test_production_without_a_secret_key_refuses_to_start(tmp_path: Path) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import heard.settings"],
        env={"DEBUG": "false", "PATH": "", "HEARD_VAR_DIR": str(tmp_path)},
        capture_output=True, text=True, check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_a_date_setting_reads_an_iso_day_and_names_a_bad_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HEARD_IMAP_SINCE", "2026-11-23")
    assert str(heard_settings.envdate("HEARD_IMAP_SINCE")) == "2026-11-23"
    monkeypatch.setenv("HEARD_IMAP_SINCE", "23/11/2026")
    with pytest.raises(ImproperlyConfigured, match="is not a date like 2026-11-23"):
        heard_settings.envdate("HEARD_IMAP_SINCE")
    monkeypatch.delenv("HEARD_IMAP_SINCE")
    assert heard_settings.envdate("HEARD_IMAP_SINCE") is None
