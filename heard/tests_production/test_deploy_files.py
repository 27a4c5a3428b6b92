"""compose.yaml, the systemd units and the settings file say what the README says, and
`heard check --deploy` is clean with the documented production settings."""

from __future__ import annotations

import configparser
import os
import shlex
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

import yaml

from heard.tests_production.shape import BIN, REPO, env_file, readme_lines

SERVICES = {"web", "worker", "beat", "smtpd", "postgres", "redis"}
UNITS = REPO / "deploy" / "systemd"


def unit_command(name: str, instance: str = "") -> list[str]:
    """A unit's ExecStart as systemd runs it: %i is the instance, %% a percent sign."""
    unit = configparser.ConfigParser(interpolation=None, strict=False)
    unit.read(UNITS / name)
    line = unit["Service"]["ExecStart"].replace("%i", instance).replace("%%", "%")
    program, *args = shlex.split(line)
    assert program.startswith("/opt/heard/.venv/bin/"), program
    return [Path(program).name, *args]


class DeployFilesTestCase(unittest.TestCase):
    def test_it_runs_the_readme_commands_in_the_systemd_units(self) -> None:
        services = [line.argv for line in readme_lines() if line.service]
        self.assertEqual(
            [
                unit_command("heard-web@.service", "8001"),
                unit_command("heard-web@.service", "8002"),
                unit_command("heard-worker@.service", "1"),
                unit_command("heard-worker@.service", "2"),
                unit_command("heard-beat.service"),
                unit_command("heard-smtpd.service"),
            ],
            services,
        )

    def test_every_unit_reads_the_settings_file_and_restarts(self) -> None:
        for path in UNITS.glob("*.service"):
            unit = configparser.ConfigParser(interpolation=None, strict=False)
            unit.read(path)
            with self.subTest(path.name):
                self.assertEqual(unit["Service"]["EnvironmentFile"], "/etc/heard/heard.env")
                self.assertEqual(unit["Service"]["Restart"], "always")
                self.assertEqual(unit["Service"]["User"], "heard")
                self.assertEqual(unit["Install"]["WantedBy"], "heard.target")

    def test_compose_has_every_service_with_secrets_from_files(self) -> None:
        compose = yaml.safe_load((REPO / "compose.yaml").read_text())
        services = compose["services"]
        self.assertLessEqual(SERVICES, set(services))
        for name in ("web", "worker", "beat", "smtpd", "migrate"):
            with self.subTest(name):
                service = services[name]
                self.assertEqual(service["image"], "heard:latest")
                environment = service["environment"]
                self.assertEqual(environment["SECRET_KEY_FILE"], "/run/secrets/secret_key")
                self.assertIn("database_url", service["secrets"])
                self.assertEqual(service["env_file"], "deploy/heard.env")
        for secret in compose["secrets"].values():
            self.assertTrue(secret["file"].startswith("deploy/secrets/"))
        celery = ["celery", "-A", "heard.celery"]
        self.assertEqual(services["worker"]["command"][:4], [*celery, "worker"])
        self.assertEqual(services["beat"]["command"][:4], [*celery, "beat"])
        self.assertEqual(services["smtpd"]["command"], ["heard", "smtpd"])
        self.assertIn("exec gunicorn heard.wsgi", services["web"]["command"][-1])
        self.assertEqual(
            services["migrate"]["command"], ["heard", "migrate", "--noinput"],
        )
        self.assertEqual(
            services["web"]["depends_on"]["migrate"]["condition"], "service_completed_successfully"
        )

    def test_compose_builds_an_image_from_the_repository(self) -> None:
        compose = yaml.safe_load((REPO / "compose.yaml").read_text())
        build = compose["services"]["web"]["build"]
        dockerfile = (REPO / build["context"] / build["dockerfile"]).read_text()
        self.assertIn("pip install -c requirements.lock '.[scale]'", dockerfile)
        self.assertIn("postgresql-client", dockerfile)  # `heard backup` runs pg_dump

    @unittest.skipUnless(
        shutil.which("docker") and subprocess.run(
            ["docker", "compose", "version"], capture_output=True, check=False  # noqa: S607
        ).returncode == 0,
        "the docker compose plugin is not installed",
    )
    def test_docker_compose_accepts_it(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp)
            shutil.copy(REPO / "compose.yaml", copy)
            (copy / "deploy" / "secrets").mkdir(parents=True)
            shutil.copy(REPO / "deploy" / "heard.env.example", copy / "deploy" / "heard.env")
            for name in ("secret_key", "database_url", "postgres_password"):
                (copy / "deploy" / "secrets" / name).write_text("x\n")
            done = subprocess.run(
                ["docker", "compose", "config", "--quiet"],  # noqa: S607
                cwd=copy, capture_output=True, text=True, check=False,
            )
            self.assertEqual(done.returncode, 0, done.stderr)


class CheckDeployTestCase(unittest.TestCase):
    def test_it_is_clean_with_the_documented_settings(self) -> None:
        """`heard check --deploy` with deploy/heard.env.example (PostgreSQL is named, not
        reached: the checks do not connect)."""
        with tempfile.TemporaryDirectory() as tmp:
            files = Path(tmp)
            (files / "secret_key").write_text("k" * 20 + "-a-long-random-production-key-012345\n")
            (files / "database_url").write_text("postgres://heard@127.0.0.1:5432/heard\n")
            (files / "email_password").write_text("secret\n")
            env = {
                **env_file(),
                "SECRET_KEY_FILE": str(files / "secret_key"),
                "DATABASE_URL_FILE": str(files / "database_url"),
                "EMAIL_HOST_PASSWORD_FILE": str(files / "email_password"),
                "HEARD_VAR_DIR": str(files / "var"),
                "PATH": f"{BIN}:/usr/bin:/bin",
                **({"PYTHONPATH": os.environ["PYTHONPATH"]} if "PYTHONPATH" in os.environ else {}),
            }
            done = subprocess.run(  # noqa: S603  (our own command)
                [str(BIN / "heard"), "check", "--deploy", "--fail-level", "WARNING"],
                env=env, capture_output=True, text=True, check=False,
            )
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertIn("System check identified no issues", done.stdout)

    def test_it_names_what_is_missing_without_https(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            key = Path(tmp) / "secret_key"
            key.write_text("k" * 60 + "\n")
            env = {
                "DEBUG": "false",
                "SECRET_KEY_FILE": str(key),
                "SITE_URL": "http://support.example.com",
                "HEARD_VAR_DIR": str(Path(tmp) / "var"),
                "PATH": f"{BIN}:/usr/bin:/bin",
                **({"PYTHONPATH": os.environ["PYTHONPATH"]} if "PYTHONPATH" in os.environ else {}),
            }
            done = subprocess.run(  # noqa: S603  (our own command)
                [str(BIN / "heard"), "check", "--deploy"],
                env=env, capture_output=True, text=True, check=False,
            )
        self.assertIn("security.W004", done.stderr + done.stdout)  # no HSTS
        self.assertIn("security.W008", done.stderr + done.stdout)  # no https redirect
