"""`heard restore DIR`: put back what `heard backup DIR` saved (stop Heard's services first).

The checksums in backup.json are verified before anything is touched. The database is restored
in one transaction (PostgreSQL: pg_restore --clean --single-transaction, so a failure leaves the
database as it was), then the media folder is replaced; the one it replaces is kept beside it as
`media.before-restore-<time>`. Then run `heard migrate` if the backup is from an older release.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import tarfile
from contextlib import closing
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from heard.desk.management.commands.backup import (
    DUMPS,
    MANIFEST,
    MEDIA,
    database_vendor,
    run_pg,
    sha256,
)


class Command(BaseCommand):
    help = (
        "Replace the database and the media folder with the backup in DIR (made by `heard "
        "backup`). Stop the web, worker, beat and smtpd services first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", metavar="DIR")
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive",
            help="do not ask for confirmation",
        )
        parser.add_argument(
            "--force", action="store_true",
            help="restore even while other sessions are connected to the database",
        )

    def handle(self, *args: Any, folder: str, interactive: bool, force: bool, **opts: Any) -> None:
        source = Path(folder)
        manifest = verified_manifest(source)
        vendor = database_vendor()
        if manifest["database"] != vendor:
            raise CommandError(f"{source} holds a {manifest['database']} backup, not {vendor}")
        if vendor == "postgresql" and not force and (others := other_sessions()):
            raise CommandError(
                f"{others} other sessions are connected to the database: stop Heard's "
                "services first (or pass --force)"
            )
        if interactive and input(self.confirmation(source)).strip().lower() != "yes":
            raise CommandError("Restore cancelled.")
        restore_database(source / DUMPS[vendor], vendor)
        kept = restore_media(source / MEDIA, Path(settings.MEDIA_ROOT))
        self.stdout.write(f"Restored the {vendor} database and media from {source}")
        if kept:
            self.stdout.write(f"The media folder it replaced is kept as {kept}")

    def confirmation(self, source: Path) -> str:
        name = settings.DATABASES["default"]["NAME"]
        return (
            f"This replaces the database {name} and the folder {settings.MEDIA_ROOT} with the "
            f"backup in {source}. Type 'yes' to go on: "
        )


def verified_manifest(source: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise CommandError(f"{source} is not a backup made by `heard backup`: {error}") from None
    for name, expected in manifest["files"].items():
        path = source / name
        if not path.is_file() or sha256(path) != expected:
            raise CommandError(f"{path} is missing or damaged (its checksum differs)")
    return manifest


def other_sessions() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def restore_database(dump: Path, vendor: str) -> None:
    connection.close()
    if vendor == "postgresql":
        name = settings.DATABASES["default"]["NAME"]
        run_pg(
            "pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
            "--single-transaction", "--exit-on-error", f"--dbname={name}", str(dump),
        )
        return
    live = Path(str(settings.DATABASES["default"]["NAME"]))
    with closing(sqlite3.connect(dump)) as src, closing(sqlite3.connect(live)) as dst:
        src.backup(dst)


def restore_media(archive: Path, media: Path) -> Path | None:
    """Unpack into a fresh folder beside MEDIA_ROOT, then swap it in, keeping the old one."""
    fresh = media.with_name(f".{media.name}.restoring")
    shutil.rmtree(fresh, ignore_errors=True)  # left by a restore that was interrupted
    fresh.mkdir(parents=True)
    with tarfile.open(archive) as tar:
        tar.extractall(fresh, filter="data")  # no paths outside it, no devices or odd modes
    kept = None
    if media.exists():
        kept = media.with_name(f"{media.name}.before-restore-{timezone.now():%Y%m%d-%H%M%S}")
        media.rename(kept)
    fresh.rename(media)
    return kept
