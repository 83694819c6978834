"""`manage.py rename_uploads`: give every stored upload a random name.

Files uploaded before the product stored them under random names kept a name
made of the uploader's file name (the quality calendar's evidence) or of dates
and ids. This moves each such file to `<prefix>/<random>.<ext>` in the same
storage and updates its row. Safe to run again: files that already have a
random name are left alone. `make run` runs it after `migrate`."""

from pathlib import PurePosixPath

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import models, transaction

from omavalvonta.core.attachments import has_random_name, random_name


def _file_fields():
    for model in apps.get_models():
        if not model.__module__.startswith("omavalvonta."):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                yield model, field


class Command(BaseCommand):
    help = "Move every uploaded file that lacks a random name to one (idempotent)."

    def handle(self, *args, **options):
        renamed = missing = 0
        for model, field in _file_fields():
            rows = model._base_manager.exclude(**{field.name: ""}).only("pk", field.name)
            for row in rows.iterator():
                stored = getattr(row, field.name)
                if has_random_name(stored.name):
                    continue
                storage = stored.storage
                if not storage.exists(stored.name):
                    missing += 1
                    continue
                # The field's own upload_to: the same folder and kind of name as a new upload.
                new_name = field.generate_filename(row, PurePosixPath(stored.name).name)
                if not has_random_name(new_name):
                    new_name = random_name(model._meta.app_label, stored.name)
                with storage.open(stored.name, "rb") as source:
                    new_name = storage.save(new_name, source)
                with transaction.atomic():
                    model._base_manager.filter(pk=row.pk).update(**{field.name: new_name})
                storage.delete(stored.name)
                renamed += 1
        if options["verbosity"] > 0 or renamed:
            self.stdout.write(
                f"Renamed {renamed} uploaded files to random names ({missing} listed files were missing)."
            )
