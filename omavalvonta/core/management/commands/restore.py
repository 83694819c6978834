"""manage.py restore ARCHIVE: a backup into a fresh database and media folder (see core/backup.py)."""

from pathlib import Path

import dj_database_url
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from omavalvonta.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup archive into a fresh database (DATABASE_URL, or --database-url) and an empty "
        "MEDIA_ROOT (or --media-root), verifying every checksum first and every table's row count after."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The .tar.gz written by manage.py backup.")
        parser.add_argument("--database-url", help="Restore into this database instead of DATABASE_URL.")
        parser.add_argument("--media-root", help="Restore the files here instead of MEDIA_ROOT.")
        parser.add_argument(
            "--replace", action="store_true",
            help="Replace what the database and the media folder hold (otherwise both must be empty).",
        )

    def handle(self, *args, archive, database_url=None, media_root=None, replace=False, **options):
        database = dj_database_url.parse(database_url) if database_url else settings.DATABASES["default"]
        try:
            result = backup_restore(
                archive=Path(archive), database=database, media_root=Path(media_root or settings.MEDIA_ROOT),
                replace=replace,
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if result.mismatched:
            raise CommandError(f"Restored, but these tables' row counts differ from the backup: {result.mismatched}")
        self.stdout.write(
            f"Restored {archive} (made {result.manifest['created_at']}): {result.tables} tables, "
            f"{result.rows} rows, {result.files} files; every checksum and row count matches."
        )
