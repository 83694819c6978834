"""The table of Django's database cache, made on migrate so that a fresh
database (and every test database) has it whatever CACHES says at the time."""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

from omavalvonta.core.lib.env import DATABASE_CACHE_TABLE


def create_cache_table(apps, schema_editor):
    alias = schema_editor.connection.alias
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(alias, DATABASE_CACHE_TABLE, dry_run=False)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(DATABASE_CACHE_TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table, elidable=False)]
