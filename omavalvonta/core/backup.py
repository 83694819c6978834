"""Backup and restore: the database and the uploaded files together, in one archive.

    manage.py backup  [--output var/backups/omavalvonta-<time>.tar.gz]
    manage.py restore ARCHIVE [--database-url URL] [--media-root DIR] [--replace]

The archive (a .tar.gz) holds

* `manifest.json`: what made it (format, time, database vendor, the last
  applied migration of every app), the row count of every table, and the size and
  SHA-256 of every file below;
* `database.sqlite3` (SQLite, copied with SQLite's online backup API while the
  product runs) or `database.pgdump` (PostgreSQL, `pg_dump --format=custom`: one
  consistent snapshot, restored with `pg_restore`);
* `media/...`: MEDIA_ROOT as a whole (attachments and evidence files under
  whatever names they have).

Consistency: the database is copied first, then the files. A file the copied
database names was written before its row was committed, so it is in the
archive; a file uploaded during the backup may be there without a row (harmless).

Restore checks every checksum before it writes anything, restores into a fresh
(empty) database and an empty media folder (or replaces them with `replace=True`),
then counts the rows of every table against the manifest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "omavalvonta-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PGDUMP_FILE = "database.pgdump"
MEDIA_DIR = "media"
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, for the operator."""


@dataclass
class RestoreResult:
    manifest: dict
    tables: int = 0
    rows: int = 0
    files: int = 0
    mismatched: list[str] = field(default_factory=list)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_env(db: dict) -> dict:
    """libpq's environment for a Django PostgreSQL settings dict (no password on a command line)."""
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"),
                     ("NAME", "PGDATABASE")):
        if db.get(key):
            env[var] = str(db[key])
    return env


def _run(args: list[str], env: dict) -> None:
    try:
        done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupError(f"{args[0]} was not found: install the PostgreSQL client (apt-get install postgresql-client).") from None
    if done.returncode != 0:
        raise BackupError(f"{args[0]} failed (exit {done.returncode}): {done.stderr.strip()[-2000:]}")


def _migrations(using: str) -> dict[str, str]:
    last: dict[str, str] = {}
    for app, name in MigrationRecorder(connections[using]).applied_migrations():
        if name > last.get(app, ""):
            last[app] = name
    return dict(sorted(last.items()))


def _pg_params(db: dict) -> dict:
    return {k: v for k, v in {"host": db.get("HOST"), "port": db.get("PORT"), "user": db.get("USER"),
                              "password": db.get("PASSWORD"), "dbname": db["NAME"]}.items() if v}


def _pg_counts(pg) -> dict[str, int]:
    tables = [r[0] for r in pg.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")]
    return {t: pg.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def _dump_database(using: str, target: Path) -> tuple[str, dict[str, int]]:
    """Copy the database to `target`; returns the archive name of the copy and
    the row count of every table in exactly that copy."""
    conn = connections[using]
    if conn.vendor == "sqlite":
        conn.ensure_connection()
        destination = sqlite3.connect(target / SQLITE_FILE)
        try:
            conn.connection.backup(destination)  # SQLite's online backup: a consistent copy while others write
        finally:
            destination.close()
        return SQLITE_FILE, _sqlite_counts(target / SQLITE_FILE)
    if conn.vendor == "postgresql":
        import psycopg

        # One snapshot for both: the counts are read in the transaction whose
        # snapshot pg_dump is told to use, so they describe the dump exactly.
        with psycopg.connect(**_pg_params(conn.settings_dict)) as pg:
            pg.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            snapshot = pg.execute("SELECT pg_export_snapshot()").fetchone()[0]
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                  f"--file={target / PGDUMP_FILE}"], _pg_env(conn.settings_dict))
            counts = _pg_counts(pg)
            pg.execute("COMMIT")
        return PGDUMP_FILE, counts
    raise BackupError(f"Backing up a {conn.vendor} database is not supported.")


def backup_create(*, output: Path, using: str = "default", media_root: Path | None = None) -> dict:
    """Write a backup archive of database `using` and `media_root` (MEDIA_ROOT)
    to `output`, atomically (a temporary file renamed at the end). Returns the manifest."""
    media_root = Path(media_root or settings.MEDIA_ROOT)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="omavalvonta-backup-") as work:
        work = Path(work)
        db_name, counts = _dump_database(using, work)
        conn = connections[using]
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "database": {"vendor": conn.vendor, "file": db_name, "size": (work / db_name).stat().st_size,
                         "sha256": _sha256(work / db_name)},
            "migrations": _migrations(using),
            "tables": counts,
            "media": [],
        }
        files = sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []
        tmp_output = output.with_name(output.name + ".part")
        with tarfile.open(tmp_output, "w:gz") as tar:
            tar.add(work / db_name, arcname=db_name)
            for path in files:
                relative = path.relative_to(media_root).as_posix()
                manifest["media"].append({"path": relative, "size": path.stat().st_size, "sha256": _sha256(path)})
                tar.add(path, arcname=f"{MEDIA_DIR}/{relative}")
            data = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(dt.datetime.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
        tmp_output.replace(output)
    return manifest


def _sqlite_counts(path: Path) -> dict[str, int]:
    db = sqlite3.connect(path)
    try:
        tables = [r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        db.close()


# --- Restore ------------------------------------------------------------------------------


def read_manifest(archive: Path) -> dict:
    with tarfile.open(archive, "r:gz") as tar:
        try:
            manifest = json.load(tar.extractfile(MANIFEST))
        except KeyError:
            raise BackupError(f"{archive} is not an Omavalvonta backup: it has no {MANIFEST}.") from None
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"{archive} is not an Omavalvonta backup of format {FORMAT_VERSION}.")
    return manifest


def _extract_and_verify(archive: Path, work: Path) -> dict:
    manifest = read_manifest(archive)
    expected = {manifest["database"]["file"]: manifest["database"]["sha256"]}
    expected.update({f"{MEDIA_DIR}/{m['path']}": m["sha256"] for m in manifest["media"]})
    with tarfile.open(archive, "r:gz") as tar:
        members = [m for m in tar.getmembers() if m.name != MANIFEST]
        names = {m.name for m in members}
        if names != set(expected):
            missing, extra = sorted(set(expected) - names), sorted(names - set(expected))
            raise BackupError(f"The archive does not match its manifest (missing {missing[:5]}, extra {extra[:5]}).")
        for name in names:
            parts = Path(name).parts
            if Path(name).is_absolute() or ".." in parts:
                raise BackupError(f"The archive names a file outside itself: {name}")
        if hasattr(tarfile, "data_filter"):  # Python 3.11.4+: refuse links and special files too
            tar.extractall(work, members=members, filter="data")
        else:
            tar.extractall(work, members=[m for m in members if m.isfile()])
    for name, digest in expected.items():
        if _sha256(work / name) != digest:
            raise BackupError(f"{name} in the archive is damaged: its checksum does not match the manifest.")
    return manifest


def _sqlite_restore(source: Path, db: dict, replace: bool) -> None:
    target = Path(db["NAME"])
    if target.exists() and _sqlite_counts(target) and not replace:
        raise BackupError(f"{target} already holds tables: restore into a fresh database, or pass --replace.")
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def _pg_restore(source: Path, db: dict, replace: bool) -> None:
    import psycopg

    with psycopg.connect(**_pg_params(db)) as pg:
        tables = pg.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0]
    if tables and not replace:
        raise BackupError(f"The database {db['NAME']} already holds tables: restore into a fresh database, or pass --replace.")
    args = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", f"--dbname={db['NAME']}"]
    if tables:
        args += ["--clean", "--if-exists"]
    _run([*args, str(source)], _pg_env(db))


def _count_restored(db: dict, vendor: str) -> dict[str, int]:
    if vendor == "sqlite":
        return _sqlite_counts(Path(db["NAME"]))
    import psycopg

    with psycopg.connect(**_pg_params(db)) as pg:
        return _pg_counts(pg)


def _media_restore(extracted: Path, media_root: Path, replace: bool) -> int:
    """Copy the archive's files into `media_root` (emptied first with `replace`); how many."""
    if replace and media_root.exists():
        shutil.rmtree(media_root)
    media_root.mkdir(parents=True, exist_ok=True)
    files = 0
    if extracted.exists():
        for path in sorted(p for p in extracted.rglob("*") if p.is_file()):
            target = media_root / path.relative_to(extracted)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
            files += 1
    return files


def backup_restore(*, archive: Path, database: dict, media_root: Path, replace: bool = False) -> RestoreResult:
    """Restore `archive` into `database` (a Django DATABASES entry, e.g. from
    dj_database_url.parse) and `media_root`. Both must be fresh (no tables, no
    files) unless `replace`. Raises BackupError before writing anything when the
    archive is damaged or does not fit the target."""
    archive, media_root = Path(archive), Path(media_root)
    vendor = "sqlite" if database["ENGINE"].endswith("sqlite3") else "postgresql" if "postgresql" in database["ENGINE"] else None
    with tempfile.TemporaryDirectory(prefix="omavalvonta-restore-") as work:
        work = Path(work)
        manifest = _extract_and_verify(archive, work)
        if manifest["database"]["vendor"] != vendor:
            raise BackupError(
                f"The archive holds a {manifest['database']['vendor']} database; the target is {vendor}. "
                "Restore into the same kind of database."
            )
        if media_root.exists() and any(media_root.iterdir()) and not replace:
            raise BackupError(f"{media_root} is not empty: restore into an empty media folder, or pass --replace.")
        source = work / manifest["database"]["file"]
        if vendor == "sqlite":
            _sqlite_restore(source, database, replace)
        else:
            _pg_restore(source, database, replace)
        files = _media_restore(work / MEDIA_DIR, media_root, replace)
    counts = _count_restored(database, vendor)
    result = RestoreResult(manifest=manifest, files=files)
    result.tables = len(manifest["tables"])
    result.rows = sum(manifest["tables"].values())
    result.mismatched = sorted(
        t for t, n in manifest["tables"].items() if counts.get(t) != n
    )
    return result
