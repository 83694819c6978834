"""manage.py backup: the database and MEDIA_ROOT in one archive (see core/backup.py)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from omavalvonta.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one .tar.gz archive with a manifest and checksums."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="The archive to write (default var/backups/omavalvonta-<UTC time>.tar.gz).",
        )

    def handle(self, *args, output=None, **options):
        if not output:
            stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
            output = Path(settings.BASE_DIR) / "var" / "backups" / f"omavalvonta-{stamp}.tar.gz"
        output = Path(output)
        try:
            manifest = backup_create(output=output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["tables"].values())
        size = sum(m["size"] for m in manifest["media"])
        self.stdout.write(
            f"Backup written to {output}: {manifest['database']['vendor']} database, "
            f"{len(manifest['tables'])} tables, {rows} rows; {len(manifest['media'])} files ({size} bytes)."
        )
