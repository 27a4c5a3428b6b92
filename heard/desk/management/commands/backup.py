"""`heard backup DIR`: everything Heard keeps, in one folder that `heard restore DIR` puts back.

Heard keeps two things: the database (tickets, customers, every raw email as received, audit
rows, consents) and the media folder under HEARD_VAR_DIR (attachments). The folder gets
`database.pgdump` (pg_dump's custom format) or `database.sqlite3` (SQLite's online backup, a
consistent copy while Heard runs), `media.tar`, and `backup.json` with their SHA-256 checksums,
so that a restore refuses a damaged or partial copy before touching anything.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from contextlib import closing
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

MANIFEST = "backup.json"
MEDIA = "media.tar"
DUMPS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}


class Command(BaseCommand):
    help = (
        "Back up the database and the media folder (attachments) into DIR, a new or empty "
        "folder; `heard restore DIR` puts them back. Safe while Heard runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", metavar="DIR")

    def handle(self, *args: Any, folder: str, **options: Any) -> None:
        target = Path(folder)
        if target.exists() and any(target.iterdir()):
            raise CommandError(f"{target} is not empty: back up into a new folder")
        target.mkdir(parents=True, exist_ok=True)
        vendor = database_vendor()
        dump = target / DUMPS[vendor]
        if vendor == "postgresql":
            run_pg("pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}")
        else:
            copy_sqlite(Path(str(settings.DATABASES["default"]["NAME"])), dump)
        with tarfile.open(target / MEDIA, "w") as tar:
            if Path(settings.MEDIA_ROOT).is_dir():
                tar.add(settings.MEDIA_ROOT, arcname=".")
        manifest = {
            "created_at": timezone.now().isoformat(),
            "database": vendor,
            "files": {path.name: sha256(path) for path in (dump, target / MEDIA)},
        }
        (target / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        size = sum(path.stat().st_size for path in target.iterdir())
        self.stdout.write(f"Backed up the {vendor} database and media to {target} ({size:,} bytes)")


def database_vendor() -> str:
    if connection.vendor not in DUMPS:
        raise CommandError(f"cannot back up a {connection.vendor} database")
    return connection.vendor


def run_pg(program: str, *args: str) -> None:
    """Run pg_dump or pg_restore on Heard's database; the password goes in the environment,
    never on the command line where `ps` shows it."""
    if shutil.which(program) is None:
        raise CommandError(f"{program} is not installed (Debian: apt install postgresql-client)")
    db = settings.DATABASES["default"]
    options = db.get("OPTIONS") or {}
    assert isinstance(options, dict)
    env = {
        **os.environ,
        "PGHOST": str(db.get("HOST") or ""),
        "PGPORT": str(db.get("PORT") or ""),
        "PGUSER": str(db.get("USER") or ""),
        "PGPASSWORD": str(db.get("PASSWORD") or ""),
        "PGDATABASE": str(db["NAME"]),
        "PGSSLMODE": str(options.get("sslmode", os.environ.get("PGSSLMODE", "prefer"))),
    }
    done = subprocess.run([program, *args], env=env, capture_output=True, text=True)  # noqa: S603
    if done.returncode != 0:
        raise CommandError(f"{program} failed ({done.returncode}): {done.stderr.strip()}")


def copy_sqlite(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy even while other processes write."""
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
