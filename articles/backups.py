"""Backups of the whole newsroom — its database and its media — and restoring one.

A backup is one tar archive (gzip-compressed unless its name ends in ``.tar``) holding:

- ``database.sqlite3`` (SQLite) or ``database.pgdump`` (PostgreSQL, ``pg_dump --format=custom``);
- ``media/…``: every file under MEDIA_ROOT, when uploads are stored on the file system;
- ``manifest.json``: the format, the database engine, when it was made, the migrations applied,
  counts of articles, images and revisions, and the size and SHA-256 of every file above.

It is taken while the site keeps serving. SQLite is copied with its backup API in one step,
which reads one consistent snapshot while writers carry on (the database is in WAL mode).
PostgreSQL is dumped by pg_dump from a snapshot exported by a repeatable-read transaction, in
which the manifest's counts and migrations are read too, so they describe exactly what was
dumped. Media files are copied after the database: uploads and renditions are never rewritten
in place, so a file is either wholly there or not.

The archive is written under a temporary name beside PATH and renamed into place only once it is
complete and on disk, so a failed backup never leaves a partial archive at PATH.

A restore unpacks the archive and checks everything — the manifest, the engine, every checksum,
that the database file is sound and that this version of Newsroom knows its migrations — before
it changes anything. Then it puts the backup's media files in place (keeping any file it
replaces until the end), replaces the database in one transaction (SQLite's backup API into the
live file, so readers and the WAL are handled by SQLite; ``pg_restore --single-transaction`` on
PostgreSQL), removes the media files the backup does not have (unless asked to keep them), and
makes every cached page stale. Should the database fail to restore, the media are put back as
they were: a restore either happens whole or not at all.
"""

import hashlib
import io
import json
import os
import re
import secrets
import shutil
import sqlite3
import subprocess  # nosec B404  # pg_dump and pg_restore only, as argument lists, never a shell
import tarfile
import tempfile
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import django
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import FileSystemStorage, storages
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from reversion.models import Revision, Version

from .caching import bump_content_version
from .models import Article, Image

FORMAT = "newsroom-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
MEDIA_FOLDER = "media"
# What the manifest counts, so a person can tell one backup from another before restoring it.
COUNTED = {"articles": Article, "images": Image, "revisions": Revision, "versions": Version}
CHUNK = 1024 * 1024
MANIFEST_MAX_BYTES = 256 * 1024 * 1024
# The media are compressed pictures already, and a database compresses well at the fastest
# level: a higher one takes three times as long to save another sixth.
GZIP_LEVEL = 1


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message is one line for the operator."""


# Where things are.


def media_root():
    """The media folder when uploads are stored on the file system, else None."""
    storage = storages["default"]
    if isinstance(storage, FileSystemStorage):
        return Path(storage.location)
    return None


def storage_backend():
    storage = storages["default"]
    return f"{type(storage).__module__}.{type(storage).__qualname__}"


def _engine(connection):
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(
            f"Backups support SQLite and PostgreSQL databases, not {connection.display_name}."
        )
    return vendor


def _outside_transactions(connection):
    if connection.in_atomic_block:
        raise BackupError("A backup or restore cannot run inside a database transaction.")


def _inside(path, folder):
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def _valid_name(name):
    """A relative path of forward slashes that stays inside its folder."""
    return (
        bool(name)
        and "\\" not in name
        and "\x00" not in name
        and not name.startswith("/")
        and all(part not in ("", ".", "..") for part in name.split("/"))
    )


def _media_listing(root):
    """{name in storage: path} for every file under the media folder."""
    files = {}
    if root is None or not root.is_dir():
        return files
    for folder, subfolders, filenames in os.walk(root):
        subfolders.sort()
        for filename in sorted(filenames):
            path = Path(folder, filename)
            if path.is_file():
                files[path.relative_to(root).as_posix()] = path
    return files


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while block := file.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _size(count):
    for unit in ("bytes", "KB", "MB", "GB"):
        if count < 1000 or unit == "GB":
            return f"{count:,.0f} {unit}" if unit == "bytes" else f"{count:,.1f} {unit}"
        count /= 1000
    return f"{count} bytes"  # not reached


def _counted(number, noun):
    return f"{number:,} {noun}" + ("" if number == 1 else "s")


def describe_counts(counts):
    return ", ".join(
        _counted(counts[key], noun)
        for key, noun in (("articles", "article"), ("images", "image"), ("revisions", "revision"))
    )


def _error_line(text):
    """The line of pg_dump's or pg_restore's output that says what went wrong."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    for line in lines:
        if "error:" in line.lower():
            return line
    return lines[-1] if lines else "no message"


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


# Backing up.


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
            files = _counted(len(media["files"]), "media file")
            what = f"{database} and {files} ({_size(media['bytes'])})"
        else:
            what = database
        lines = [
            f"Backed up {what} to {self.path} ({_size(self.archive_bytes)}) "
            f"in {self.seconds:.1f} s."
        ]
        if not media["included"]:
            lines.append(
                f"Media live in object storage ({media['storage']}) and are not copied: "
                "back them up there."
            )
        return "\n".join(lines + self.warnings)


class _HashingReader:
    """A file object that hashes what is read from it, as tarfile copies it into the archive."""

    def __init__(self, file):
        self.file = file
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        data = self.file.read(size)
        self.digest.update(data)
        return data


def _add_file(archive, source, name):
    """Add a file under `name`; its (size, sha256), or None if it vanished before it was read."""
    try:
        file = open(source, "rb")
    except FileNotFoundError:
        return None
    with file:
        status = os.fstat(file.fileno())
        info = tarfile.TarInfo(name)
        info.size = status.st_size
        info.mtime = int(status.st_mtime)
        info.mode = 0o644
        reader = _HashingReader(file)
        archive.addfile(info, reader)
    return info.size, reader.digest.hexdigest()


def _add_bytes(archive, data, name):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(time.time())
    info.mode = 0o644
    archive.addfile(info, io.BytesIO(data))


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
    pg_dump = _tool("pg_dump")
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        facts = _read_facts(cursor)
        # The transaction stays open while pg_dump runs: it holds the snapshot pg_dump uses.
        _run(
            [pg_dump, "--format=custom", "--no-password", f"--snapshot={snapshot}",
             f"--file={destination}"],
            connection, "pg_dump",
        )
    return facts


def _tool(name):
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} was not found: install the PostgreSQL client tools "
            "(e.g. apt-get install postgresql-client) in a version no older than the server."
        )
    return found


def _postgresql_environment(connection):
    """libpq's environment for the configured database: the password never on a command line."""
    config = connection.settings_dict
    options = config.get("OPTIONS") or {}
    environment = dict(os.environ)
    values = {
        "PGDATABASE": config.get("NAME"),
        "PGHOST": config.get("HOST"),
        "PGPORT": config.get("PORT"),
        "PGUSER": config.get("USER"),
        "PGPASSWORD": config.get("PASSWORD"),
        "PGSERVICE": options.get("service"),
        "PGPASSFILE": options.get("passfile"),
        "PGSSLMODE": options.get("sslmode"),
        "PGSSLROOTCERT": options.get("sslrootcert"),
        "PGSSLCERT": options.get("sslcert"),
        "PGSSLKEY": options.get("sslkey"),
        "PGAPPNAME": "newsroom-backup",
    }
    environment.update({key: str(value) for key, value in values.items() if value})
    return environment


def _run(command, connection, name):
    try:
        finished = subprocess.run(  # nosec B603  # a tool found by shutil.which, fixed arguments, no shell
            command, env=_postgresql_environment(connection), capture_output=True, text=True,
            stdin=subprocess.DEVNULL, check=False,
        )
    except OSError as error:
        raise BackupError(f"{name} could not be run: {error.strerror}.") from None
    if finished.returncode != 0:
        raise BackupError(f"{name} failed: {_error_line(finished.stderr)}")
    return finished.stdout


def create_backup(path, *, force=False, using=DEFAULT_DB_ALIAS):
    """Back up the database and the media into one archive at `path`. Returns a BackupResult."""
    started = time.monotonic()
    path = Path(path).absolute()
    connection = connections[using]
    if path.is_dir():
        raise BackupError(f"{path} is a folder: give the name of the archive to write.")
    if path.exists() and not force:
        raise BackupError(f"{path} already exists; use --force to replace it.")
    engine = _engine(connection)
    _outside_transactions(connection)
    if engine == "postgresql":
        _tool("pg_dump")
    root = media_root()
    if root is not None and _inside(path, root):
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
        mode = "w" if path.name.endswith(".tar") else "w:gz"
        options = {} if mode == "w" else {"compresslevel": GZIP_LEVEL}
        with tarfile.open(
            partial, mode, format=tarfile.PAX_FORMAT, copybufsize=CHUNK, **options
        ) as archive:
            size, digest = _add_file(archive, database, database.name)
            media = {"included": root is not None, "files": [], "bytes": 0}
            if root is None:
                media["storage"] = storage_backend()
            for name, source in _media_listing(root).items():
                added = _add_file(archive, source, f"{MEDIA_FOLDER}/{name}")
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
            _add_bytes(archive, json.dumps(manifest, indent=1).encode(), MANIFEST)
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


# Restoring.


@dataclass
class RestoreResult:
    manifest: dict
    seconds: float
    media_restored: bool
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    notes: list = field(default_factory=list)

    def summary(self):
        database = f"the database ({describe_counts(self.manifest['counts'])})"
        if self.media_restored:
            files = _counted(len(self.manifest["media"]["files"]), "media file")
            media = (
                f" and {files} ({self.written:,} written, {self.unchanged:,} unchanged, "
                f"{self.removed:,} not in the backup removed)"
            )
        else:
            media = ""
        line = (
            f"Restored the backup of {describe_time(self.manifest)}: {database}{media} "
            f"in {self.seconds:.1f} s."
        )
        return "\n".join([line, *self.notes])


def describe_time(manifest):
    try:
        made = datetime.fromisoformat(manifest["created_at"])
    except (TypeError, ValueError):
        return str(manifest.get("created_at"))
    return timezone.localtime(made).strftime("%d %B %Y, %H:%M:%S %Z")


@dataclass
class CheckedBackup:
    """A backup unpacked into a staging folder and found sound; nothing has been changed yet."""

    path: Path
    manifest: dict
    staging: Path
    connection: object
    restore_media: bool
    media_note: str = ""
    checking_seconds: float = 0.0  # unpacking and checking, before anyone was asked

    @property
    def database_file(self):
        return self.staging / self.manifest["database"]["file"]

    @property
    def media_folder(self):
        return media_root()

    def describe(self):
        counts = describe_counts(self.manifest["counts"])
        return f"the backup of {describe_time(self.manifest)} ({counts})"

    def restore(self, *, keep_extra_media=False):
        """Make the database and the media those of the backup. Returns a RestoreResult."""
        started = time.monotonic()
        connection = self.connection
        _outside_transactions(connection)
        result = RestoreResult(self.manifest, 0.0, self.restore_media)
        root = media_root()
        wanted = {file["name"] for file in self.manifest["media"]["files"]}

        # 1. Put the backup's media files in place, undoably: the current database still
        # finds every file of its own.
        copy = _MediaCopy(self.staging / MEDIA_FOLDER, root) if self.restore_media else None
        if copy:
            try:
                copy.run(self.manifest["media"]["files"])
            except OSError as error:
                raise BackupError(
                    f"Could not write the media into {root} ({error.strerror or error})"
                    f"{copy.undo()}; nothing was changed."
                ) from None
            result.written, result.unchanged = copy.written, copy.unchanged

        # 2. Replace the database, in one transaction.
        try:
            if self.manifest["engine"] == "sqlite":
                _restore_sqlite(connection, self.database_file)
            else:
                _restore_postgresql(connection, self.database_file)
        except BackupError as error:
            undone = copy.undo() if copy else ""
            raise BackupError(f"{error}{undone}; nothing was changed.") from None
        if copy:
            copy.finish()
        ContentType.objects.clear_cache()
        bump_content_version()  # no page cached before the restore may be served after it

        # 3. Remove the media files the restored database never knew.
        if self.restore_media and not keep_extra_media:
            try:
                result.removed = _remove_extra_media(root, wanted)
            except OSError as error:
                result.notes.append(f"Some media files not in the backup remain: {error}.")
        if self.media_note:
            result.notes.append(self.media_note)
        pending = _unapplied_migrations(connection)
        if pending:
            result.notes.append(
                f"The backup predates {pending} migration(s) of this version: "
                "run `manage.py migrate`."
            )
        result.seconds = self.checking_seconds + time.monotonic() - started
        return result


@contextmanager
def open_backup(path, *, media=True, using=DEFAULT_DB_ALIAS) -> Iterator[CheckedBackup]:
    """Unpack and check the backup at `path` against this site; changes nothing.

    Raises BackupError if anything is amiss. With media=False the media are left alone.
    """
    path = Path(path).absolute()
    connection = connections[using]
    engine = _engine(connection)
    _outside_transactions(connection)
    if not path.is_file():
        raise BackupError(f"No backup at {path}.")
    root = media_root()
    if media and root is not None and _inside(path, root):
        raise BackupError(f"{path} is inside the media folder: move it elsewhere to restore it.")
    started = time.monotonic()
    try:
        staging = Path(tempfile.mkdtemp(prefix="newsroom-restore-"))
    except OSError as error:
        raise BackupError(f"Cannot unpack the backup: {error.strerror}.") from None
    try:
        manifest, found = _unpack(path, staging)
        _check_manifest(path, manifest, found, engine)
        backup = CheckedBackup(path, manifest, staging, connection, restore_media=False)
        if media and manifest["media"]["included"]:
            if root is None:
                raise BackupError(
                    f"The backup holds media files but this site keeps its media in object "
                    f"storage ({storage_backend()}): use --no-media to restore the database alone."
                )
            backup.restore_media = True
        elif media:
            backup.media_note = (
                f"The backup has no media (they were in {manifest['media'].get('storage')}): "
                "the media were left as they are."
            )
        else:
            backup.media_note = "The media were left as they are."
        if engine == "sqlite":
            _check_sqlite(path, backup.database_file, connection)
        else:
            _check_postgresql(path, backup.database_file, connection)
        backup.checking_seconds = time.monotonic() - started
        yield backup
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _damaged(path, why):
    return BackupError(f"{path} is not a usable backup: {why}.")


def _unpack(path, staging):
    """Extract the archive into `staging`, hashing each file: (manifest, {name: (size, sha256)})."""
    manifest_data = None
    found = {}
    try:
        with tarfile.open(path, "r:*") as archive:
            for member in archive:
                name = member.name
                if member.isdir():
                    continue
                if not member.isfile() or not _valid_name(name):
                    raise _damaged(path, f"it holds an unexpected entry, {name!r}")
                if name in found or (name == MANIFEST and manifest_data is not None):
                    raise _damaged(path, f"it holds {name} twice")
                source = archive.extractfile(member)
                if name == MANIFEST:
                    if member.size > MANIFEST_MAX_BYTES:
                        raise _damaged(path, "its manifest is too large")
                    manifest_data = source.read()
                    continue
                if not (name in DATABASE_FILES.values() or name.startswith(MEDIA_FOLDER + "/")):
                    raise _damaged(path, f"it holds an unexpected file, {name}")
                target = staging / name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                size = 0
                with open(target, "wb") as out:
                    while block := source.read(CHUNK):
                        digest.update(block)
                        size += len(block)
                        out.write(block)
                found[name] = (size, digest.hexdigest())
    except BackupError:
        raise
    except (tarfile.TarError, EOFError, zlib.error, ValueError) as error:
        # tarfile's "could not be opened" lists every method it tried, one per line.
        why = str(error).splitlines()[0].rstrip(":") if str(error) else type(error).__name__
        raise _damaged(path, f"the archive cannot be read ({why})") from None
    except OSError as error:
        if error.filename and _inside(Path(error.filename), staging):
            raise BackupError(
                f"Cannot unpack the backup into {staging.parent}: {error.strerror}."
            ) from None
        if error.filename:
            raise BackupError(f"Cannot read {path}: {error.strerror}.") from None
        # E.g. gzip.BadGzipFile: not a gzip file after all, or one cut short.
        raise _damaged(path, f"the archive cannot be read ({error})") from None
    if manifest_data is None:
        raise _damaged(path, f"it has no {MANIFEST}")
    try:
        manifest = json.loads(manifest_data)
    except ValueError:
        raise _damaged(path, f"its {MANIFEST} is not valid JSON") from None
    return manifest, found


def _check_manifest(path, manifest, found, engine):
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _damaged(path, "it is not a Newsroom backup")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BackupError(
            f"{path} was made by a newer version of Newsroom (backup format {version}); "
            "restore it with that version."
        )
    try:
        backup_engine = manifest["engine"]
        database = manifest["database"]
        media = manifest["media"]
        files = media["files"]
        expected = {
            database["file"]: (database["bytes"], database["sha256"]),
            **{
                f"{MEDIA_FOLDER}/{file['name']}": (file["bytes"], file["sha256"])
                for file in files
            },
        }
        manifest["counts"] = {key: int(manifest["counts"].get(key, 0)) for key in COUNTED}
        migrations = dict(manifest["migrations"])
        media["included"] = bool(media["included"])
    except (KeyError, TypeError, ValueError, AttributeError):
        raise _damaged(path, f"its {MANIFEST} is incomplete") from None
    if backup_engine not in DATABASE_FILES:
        raise _damaged(path, f"its database engine, {backup_engine!r}, is unknown")
    if backup_engine != engine:
        raise BackupError(
            f"{path} is a backup of a {ENGINE_NAMES[backup_engine]} database, but this site "
            f"uses {ENGINE_NAMES[engine]}."
        )
    if database["file"] != DATABASE_FILES[engine]:
        raise _damaged(path, f"its database file is named {database['file']!r}")
    if any(not isinstance(file["name"], str) or not _valid_name(file["name"]) for file in files):
        raise _damaged(path, "its manifest names a media file outside the media folder")
    if len(expected) != len(files) + 1:
        raise _damaged(path, "its manifest lists a file twice")
    for name, (size, digest) in expected.items():
        if name not in found:
            raise _damaged(path, f"{name} is missing from it")
        if found[name] != (size, digest):
            raise BackupError(
                f"{path} is damaged: {name} does not match the checksum in its manifest."
            )
    extra = sorted(set(found) - set(expected))
    if extra:
        raise _damaged(path, f"{extra[0]} is not in its manifest")

    # Migrations this version of Newsroom does not have: the backup is from a newer version.
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for app, name in migrations.items():
        if app in loader.migrated_apps and (app, name) not in loader.disk_migrations:
            raise BackupError(
                f"{path} was made by a newer version of Newsroom (migration {app}.{name} is "
                "unknown here); restore it with that version."
            )


def _check_sqlite(path, database, connection):
    """The copy is a sound SQLite database, with the live database's page size."""
    try:
        copy = sqlite3.connect(database)
        try:
            result = copy.execute("PRAGMA quick_check").fetchone()[0]
            if result != "ok":
                raise _damaged(path, f"its database fails SQLite's check ({result})")
            connection.ensure_connection()
            live_size = connection.connection.execute("PRAGMA page_size").fetchone()[0]
            if copy.execute("PRAGMA page_size").fetchone()[0] != live_size:
                # A WAL database only takes a backup of its own page size; change the copy's.
                copy.execute("PRAGMA journal_mode=DELETE")
                copy.execute(f"PRAGMA page_size={int(live_size)}")
                copy.execute("VACUUM")
        finally:
            copy.close()
    except sqlite3.DatabaseError as error:
        raise _damaged(path, f"its database cannot be read ({error})") from None


TABLE_ENTRY = re.compile(r"^\d+; \d+ \d+ TABLE (\S+) (\S+) ")


def _check_postgresql(path, database, connection):
    """pg_restore can read the dump, and the database has no tables the dump would leave."""
    _tool("pg_restore")
    listing = _run([_tool("pg_restore"), "--list", str(database)], connection, "pg_restore")
    tables = {match.group(2) for match in map(TABLE_ENTRY.match, listing.splitlines()) if match}
    if "django_migrations" not in tables:
        raise _damaged(path, "its database dump has no Django tables")
    leftover = sorted(
        set(connection.introspection.django_table_names(only_existing=True)) - tables
    )
    if leftover:
        raise BackupError(
            f"The database has tables the backup lacks ({', '.join(leftover[:3])}): it was "
            "migrated past the backup. Restore into an empty database, then run "
            "`manage.py migrate`."
        )


def _restore_sqlite(connection, database):
    """Copy the backup into the live database file with SQLite's backup API, in one step.

    The live file keeps its WAL mode; the site's other connections read the restored content
    on their next query.
    """
    connection.close()  # a fresh connection: nothing of this process's old state carries over
    connection.ensure_connection()
    try:
        source = sqlite3.connect(database)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    except sqlite3.Error as error:
        raise BackupError(f"The database could not be restored ({error})") from None
    finally:
        connection.close()


def _restore_postgresql(connection, database):
    config = connection.settings_dict
    target = config.get("NAME") or f"service={(config.get('OPTIONS') or {}).get('service')}"
    connection.close()  # no lock of ours may hold pg_restore up
    # One transaction: if anything fails, pg_restore leaves the database as it was.
    _run(
        [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
         "--single-transaction", "--exit-on-error", "--no-password", f"--dbname={target}",
         str(database)],
        connection, "pg_restore",
    )


class _MediaCopy:
    """The backup's media files put in place, in a way that can be undone until finish().

    A file that is already as in the backup is left alone. One that differs keeps its previous
    content under a hidden name (a hard link, so the site never misses the file) until the
    restore is done.
    """

    def __init__(self, source_root, root):
        self.source_root = source_root
        self.root = root
        self.added = []
        self.set_aside = []  # (file, its previous content's hidden name)
        self.written = self.unchanged = 0

    def run(self, files):
        umask = os.umask(0)
        os.umask(umask)
        mode = settings.FILE_UPLOAD_PERMISSIONS or (0o666 & ~umask)
        for file in files:
            target = self.root / file["name"]
            if (
                target.is_file()
                and target.stat().st_size == file["bytes"]
                and _sha256(target) == file["sha256"]
            ):
                self.unchanged += 1
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            descriptor, partial = tempfile.mkstemp(
                prefix=f".{target.name}.", suffix=".restoring", dir=target.parent
            )
            try:
                with os.fdopen(descriptor, "wb") as out, \
                        open(self.source_root / file["name"], "rb") as source:
                    shutil.copyfileobj(source, out, CHUNK)
                os.chmod(partial, mode)
                if os.path.lexists(target):
                    aside = target.with_name(f".{target.name}.{secrets.token_hex(6)}.previous")
                    try:
                        os.link(target, aside)
                    except OSError:
                        shutil.copy2(target, aside)
                    self.set_aside.append((target, aside))
                else:
                    self.added.append(target)
                os.replace(partial, target)
            except BaseException:
                Path(partial).unlink(missing_ok=True)
                raise
            self.written += 1

    def undo(self):
        """Put the media back as they were; "" or what could not be put back, as a clause."""
        problems = []
        for target in self.added:
            try:
                target.unlink(missing_ok=True)
            except OSError as error:
                problems.append(str(error))
        for target, aside in reversed(self.set_aside):
            try:
                os.replace(aside, target)
            except OSError as error:
                problems.append(str(error))
        _remove_empty_folders(self.root, {target.parent for target in self.added})
        self.added, self.set_aside = [], []
        if problems:
            return f", and the media could not all be put back ({problems[0]})"
        return ""

    def finish(self):
        for _, aside in self.set_aside:
            aside.unlink(missing_ok=True)
        self.set_aside = []


def _remove_extra_media(root, wanted):
    """Delete the media files not in the backup, and the folders that leaves empty."""
    removed = 0
    emptied = set()
    for name, path in _media_listing(root).items():
        if name not in wanted:
            path.unlink(missing_ok=True)
            removed += 1
            emptied.add(path.parent)
    _remove_empty_folders(root, emptied)
    return removed


def _remove_empty_folders(root, folders):
    """Remove these folders, and their parents up to the media folder, where they are empty."""
    for folder in sorted(folders, key=lambda folder: len(folder.parts), reverse=True):
        while folder != root and _inside(folder, root):
            try:
                folder.rmdir()
            except OSError:
                break  # not empty
            folder = folder.parent


def _unapplied_migrations(connection):
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
