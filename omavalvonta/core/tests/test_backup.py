"""Backup and restore: an archive restored into a fresh database holds every row
and every uploaded file byte for byte; a damaged archive or a database that is
not fresh is refused before anything is written.

SQLite runs in every suite; the PostgreSQL path runs when the suite runs on
PostgreSQL (CI does both) and needs pg_dump and pg_restore on the PATH."""

import io
import json
import shutil
import sqlite3
import tarfile
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from omavalvonta.core.backup import MANIFEST, read_manifest
from omavalvonta.deviations import services as deviation_services
from omavalvonta.plans import services as plan_services

pytestmark = pytest.mark.django_db(transaction=True)

JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40


@pytest.fixture
def data(employee_a, supervisor_a, unit_a, settings):
    """Rows in many tables and files on disk, all made through the services."""
    for i in range(3):
        deviation_services.deviation_submit(
            actor=employee_a,
            unit=unit_a,
            report=deviation_services.ReportInput(
                kind="quality",
                occurred_at=timezone.now(),
                description=f"Ilmoitus {i}: ovi jäi auki.",
                attachments=[SimpleUploadedFile(f"kuva{i}.jpg", JPEG + bytes([i]), content_type="image/jpeg")],
            ),
        )
    plan_services.plan_draft_start(actor=supervisor_a, unit=unit_a)
    files = [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert len(files) == 3
    return files


def rows_of(cursor, table):
    cursor.execute(f'SELECT * FROM "{table}"')
    return sorted(cursor.fetchall(), key=repr)


def source_tables():
    """Every row of the suite's database, read as the restored copy is read (a
    plain driver connection, without Django's type adapters)."""
    if connection.vendor == "postgresql":
        import psycopg

        db = connection.settings_dict
        params = {k: v for k, v in {"host": db.get("HOST"), "port": db.get("PORT"), "user": db.get("USER"),
                                    "password": db.get("PASSWORD"), "dbname": db["NAME"]}.items() if v}
        with psycopg.connect(**params) as pg:
            names = [r[0] for r in pg.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
            return {t: rows_of(pg.cursor(), t) for t in names}
    with connection.cursor() as cursor:
        return {t: rows_of(cursor, t) for t in connection.introspection.table_names(cursor)}


def files_of(root):
    root = Path(root)
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def fresh_database(tmp_path):
    """(DATABASE_URL, a function reading every table) of a new empty database of
    the suite's kind; a PostgreSQL one is dropped afterwards."""
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"

        def read():
            # Read with the converters Django registered, as the suite's own connection does.
            db = sqlite3.connect(path, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES)
            try:
                names = [r[0] for r in db.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
                return {t: rows_of(db.cursor(), t) for t in names}
            finally:
                db.close()

        yield f"sqlite:///{path}", read
        return
    if not shutil.which("pg_dump") or not shutil.which("pg_restore"):
        pytest.fail("pg_dump and pg_restore are needed for the PostgreSQL backup test (apt-get install postgresql-client)")
    import psycopg

    db = connection.settings_dict
    name = f"restore_{uuid.uuid4().hex[:12]}"
    params = {k: v for k, v in {"host": db.get("HOST"), "port": db.get("PORT"), "user": db.get("USER"),
                                "password": db.get("PASSWORD")}.items() if v}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def read():
        with psycopg.connect(dbname=name, **params) as pg:
            names = [r[0] for r in pg.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
            return {t: rows_of(pg.cursor(), t) for t in names}

    auth = db.get("USER") or "postgres"
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    yield f"postgres://{auth}@{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}/{name}", read
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_restored_backup_has_every_row_and_every_file_byte_for_byte(data, tmp_path, settings, fresh_database):
    url, read_restored = fresh_database
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive))
    manifest = read_manifest(archive)
    assert manifest["database"]["vendor"] == connection.vendor
    assert len(manifest["media"]) == 3 and all(len(m["sha256"]) == 64 for m in manifest["media"])
    assert manifest["tables"]["deviations_deviation"] == 3

    restored_media = tmp_path / "restored-media"
    call_command("restore", str(archive), database_url=url, media_root=str(restored_media))

    source, restored = source_tables(), read_restored()
    assert set(restored) == set(source)
    for table, rows in source.items():
        assert restored[table] == rows, f"{table} differs after the restore"
    assert sum(len(rows) for rows in restored.values()) > 50
    assert files_of(restored_media) == files_of(settings.MEDIA_ROOT)


def test_a_damaged_archive_is_refused_before_anything_is_written(data, tmp_path, fresh_database):
    url, read_restored = fresh_database
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive))
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(damaged, "w:gz") as dst:
        for member in src.getmembers():
            content = src.extractfile(member).read()
            if member.name.startswith("media/") and member.name.endswith(".jpg"):
                content = content[:-1] + b"X"
            member.size = len(content)
            dst.addfile(member, io.BytesIO(content))

    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(damaged), database_url=url, media_root=str(tmp_path / "m"))
    assert not (tmp_path / "m").exists()
    assert read_restored() == {}


def test_a_database_that_is_not_fresh_is_refused(data, tmp_path, fresh_database):
    url, _read = fresh_database
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive))
    call_command("restore", str(archive), database_url=url, media_root=str(tmp_path / "m1"))

    with pytest.raises(CommandError, match="fresh database"):
        call_command("restore", str(archive), database_url=url, media_root=str(tmp_path / "m2"))
    with pytest.raises(CommandError, match="empty media folder"):
        call_command("restore", str(archive), database_url=f"{url}x" if connection.vendor == "sqlite" else url,
                     media_root=str(tmp_path / "m1"))


def test_the_manifest_names_every_file_and_the_migrations(data, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive))
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
        manifest = json.load(tar.extractfile(MANIFEST))
    assert {f"media/{m['path']}" for m in manifest["media"]} | {manifest["database"]["file"], MANIFEST} == names
    assert manifest["migrations"]["deviations"].startswith("00")
