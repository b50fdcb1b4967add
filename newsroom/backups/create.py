"""Making a backup of the whole newsroom — its database and its media — while the site serves.

SQLite is copied with its backup API in one step, which reads one consistent snapshot while
writers carry on (the database is in WAL mode). PostgreSQL is dumped by pg_dump from a snapshot
exported by a repeatable-read transaction, in which the manifest's counts and migrations are read
too, so they describe exactly what was dumped. Media files are copied after the database: uploads
and renditions are never rewritten in place, so a file is either wholly there or not.

The archive is written under a temporary name beside PATH and renamed into place only once it is
complete and on disk, so a failed backup never leaves a partial archive at PATH.
"""

import json
import os
import shutil
import sqlite3
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import django
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from articles.models import Image

from .archive import (
    COUNTED,
    DATABASE_FILES,
    ENGINE_NAMES,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MEDIA_FOLDER,
    add_bytes,
    add_file,
    counted,
    database_engine,
    describe_counts,
    describe_size,
    open_for_writing,
)
from .errors import BackupError
from .postgresql import find_tool, run_tool
from .site import is_inside, media_listing, media_root, outside_transactions, storage_backend

# What a database snapshot holds, read from the snapshot itself.


@dataclass
class Facts:
    counts: dict
    migrations: dict
    referenced: set


def _read_facts(cursor):
    """Counts, the latest applied migration of each app, and the media files images refer to.

    `cursor` is any DB-API cursor on the snapshot: a sqlite3 one on the copied file, or Django's
    inside PostgreSQL's snapshot transaction.
    """
    counts = {}
    for key, model in COUNTED.items():
        cursor.execute(f'SELECT COUNT(*) FROM "{model._meta.db_table}"')  # nosec B608  # our own models' table names
        counts[key] = cursor.fetchone()[0]
    cursor.execute('SELECT "app", "name" FROM "django_migrations" ORDER BY "id"')
    migrations = {app: name for app, name in cursor.fetchall()}
    cursor.execute(f'SELECT "file", "renditions" FROM "{Image._meta.db_table}"')  # nosec B608  # our own model's table name
    referenced = set()
    for name, record in cursor.fetchall():
        if name:
            referenced.add(name)
        if isinstance(record, str):
            try:
                record = json.loads(record)
            except ValueError:
                record = {}
        for entry in (record or {}).values():
            if isinstance(entry, dict):
                referenced.update(file.get("name") for file in entry.get("files", []))
    referenced.discard(None)
    return Facts(dict(sorted(counts.items())), dict(sorted(migrations.items())), referenced)


# Making one.


@dataclass
class BackupResult:
    path: Path
    manifest: dict
    seconds: float
    archive_bytes: int
    warnings: list = field(default_factory=list)

    def summary(self):
        manifest = self.manifest
        engine = ENGINE_NAMES[manifest["engine"]]
        database = f"the {engine} database ({describe_counts(manifest['counts'])})"
        media = manifest["media"]
        if media["included"]:
            files = counted(len(media["files"]), "media file")
            what = f"{database} and {files} ({describe_size(media['bytes'])})"
        else:
            what = database
        lines = [
            f"Backed up {what} to {self.path} ({describe_size(self.archive_bytes)}) "
            f"in {self.seconds:.1f} s."
        ]
        if not media["included"]:
            lines.append(
                f"Media live in object storage ({media['storage']}) and are not copied: "
                "back them up there."
            )
        return "\n".join(lines + self.warnings)


def copy_sqlite(source, destination):
    """Copy a live SQLite database (a sqlite3 connection) into a new file, consistently.

    The backup API copies every page in one step, inside one read transaction: with WAL the
    site's writers carry on meanwhile, and the copy is the database as of the step's start.
    """
    target = sqlite3.connect(destination)
    try:
        source.backup(target)  # pages=-1: all in one step
        # The copy is a file to keep, not a live database: no WAL beside it.
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()


def _snapshot_sqlite(connection, destination):
    """Copy the database through Django's own connection, which works for a file and for an
    in-memory database alike, then read what the copy holds."""
    connection.ensure_connection()
    copy_sqlite(connection.connection, destination)
    copy = sqlite3.connect(destination)
    try:
        return _read_facts(copy.cursor())
    finally:
        copy.close()


def _snapshot_postgresql(connection, destination):
    """pg_dump from a snapshot that the counts and migrations are read in as well."""
    pg_dump = find_tool("pg_dump")
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        facts = _read_facts(cursor)
        # The transaction stays open while pg_dump runs: it holds the snapshot pg_dump uses.
        run_tool(
            [pg_dump, "--format=custom", "--no-password", f"--snapshot={snapshot}",
             f"--file={destination}"],
            connection, "pg_dump",
        )
    return facts


def create_backup(path, *, force=False, using=DEFAULT_DB_ALIAS):
    """Back up the database and the media into one archive at `path`. Returns a BackupResult."""
    started = time.monotonic()
    path = Path(path).absolute()
    connection = connections[using]
    if path.is_dir():
        raise BackupError(f"{path} is a folder: give the name of the archive to write.")
    if path.exists() and not force:
        raise BackupError(f"{path} already exists; use --force to replace it.")
    engine = database_engine(connection)
    outside_transactions(connection)
    if engine == "postgresql":
        find_tool("pg_dump")
    root = media_root()
    if root is not None and is_inside(path, root):
        raise BackupError(f"{path} is inside the media folder: write the backup elsewhere.")
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))
    except OSError as error:
        raise BackupError(f"Cannot write the backup to {path}: {error.strerror}.") from None
    try:
        database = staging / DATABASE_FILES[engine]
        if engine == "sqlite":
            facts = _snapshot_sqlite(connection, database)
        else:
            facts = _snapshot_postgresql(connection, database)

        partial = staging / "archive"
        # It holds every account's password hash and session: for its owner's eyes only.
        partial.touch(mode=0o600)
        with open_for_writing(partial, path.name) as archive:
            size, digest = add_file(archive, database, database.name)
            media = {"included": root is not None, "files": [], "bytes": 0}
            if root is None:
                media["storage"] = storage_backend()
            for name, source in media_listing(root).items():
                added = add_file(archive, source, f"{MEDIA_FOLDER}/{name}")
                if added:  # None: deleted since it was listed, e.g. a replaced rendition
                    media["files"].append({"name": name, "bytes": added[0], "sha256": added[1]})
                    media["bytes"] += added[0]
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_at": timezone.now().isoformat(),
                "django_version": django.get_version(),
                "engine": engine,
                "database": {"file": database.name, "bytes": size, "sha256": digest},
                "migrations": facts.migrations,
                "counts": facts.counts,
                "media": media,
            }
            add_bytes(archive, json.dumps(manifest, indent=1).encode(), MANIFEST)
        with open(partial, "rb+") as written:
            os.fsync(written.fileno())
        if path.exists() and not force:  # made while this backup ran
            raise BackupError(f"{path} already exists; use --force to replace it.")
        os.replace(partial, path)
        _sync_folder(path.parent)
    except OSError as error:
        raise BackupError(
            f"Cannot write the backup to {path}: {error.strerror or error}."
        ) from None
    except sqlite3.Error as error:
        raise BackupError(f"The database could not be copied: {error}.") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)

    warnings = []
    if media["included"]:
        stored = {file["name"] for file in media["files"]}
        missing = sorted(facts.referenced - stored)
        if missing:
            warnings.append(
                f"Warning: {len(missing)} file(s) the database refers to are not in the media "
                f"folder, e.g. {missing[0]}; `manage.py make_renditions` remakes renditions."
            )
    return BackupResult(
        path, manifest, time.monotonic() - started, path.stat().st_size, warnings
    )


def _sync_folder(folder):
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


