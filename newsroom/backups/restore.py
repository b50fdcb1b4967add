"""Restoring a backup: checking all of it against this site, then putting it in place.

A restore unpacks the archive and checks everything — the manifest, the engine, every checksum,
that the database file is sound and that this version of Newsroom knows its migrations — before
it changes anything. Then it puts the backup's media files in place (keeping any file it
replaces until the end), replaces the database in one transaction (SQLite's backup API into the
live file, so readers and the WAL are handled by SQLite; ``pg_restore --single-transaction`` on
PostgreSQL), removes the media files the backup does not have (unless asked to keep them), and
makes every cached page stale. Should the database fail to restore, the media are put back as
they were: a restore either happens whole or not at all.
"""

import os
import re
import secrets
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from articles.caching import bump_content_version

from .archive import (
    CHUNK,
    MEDIA_FOLDER,
    check_manifest,
    counted,
    damaged,
    database_engine,
    describe_counts,
    describe_time,
    sha256_of,
    unpack,
)
from .errors import BackupError
from .postgresql import find_tool, run_tool
from .site import is_inside, media_listing, media_root, outside_transactions, storage_backend


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
            files = counted(len(self.manifest["media"]["files"]), "media file")
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
        outside_transactions(connection)
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
    engine = database_engine(connection)
    outside_transactions(connection)
    if not path.is_file():
        raise BackupError(f"No backup at {path}.")
    root = media_root()
    if media and root is not None and is_inside(path, root):
        raise BackupError(f"{path} is inside the media folder: move it elsewhere to restore it.")
    started = time.monotonic()
    try:
        staging = Path(tempfile.mkdtemp(prefix="newsroom-restore-"))
    except OSError as error:
        raise BackupError(f"Cannot unpack the backup: {error.strerror}.") from None
    try:
        manifest, found = unpack(path, staging)
        check_manifest(path, manifest, found, engine)
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


def _check_sqlite(path, database, connection):
    """The copy is a sound SQLite database, with the live database's page size."""
    try:
        copy = sqlite3.connect(database)
        try:
            result = copy.execute("PRAGMA quick_check").fetchone()[0]
            if result != "ok":
                raise damaged(path, f"its database fails SQLite's check ({result})")
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
        raise damaged(path, f"its database cannot be read ({error})") from None


TABLE_ENTRY = re.compile(r"^\d+; \d+ \d+ TABLE (\S+) (\S+) ")


def _check_postgresql(path, database, connection):
    """pg_restore can read the dump, and the database has no tables the dump would leave."""
    find_tool("pg_restore")
    listing = run_tool(
        [find_tool("pg_restore"), "--list", str(database)], connection, "pg_restore"
    )
    tables = {match.group(2) for match in map(TABLE_ENTRY.match, listing.splitlines()) if match}
    if "django_migrations" not in tables:
        raise damaged(path, "its database dump has no Django tables")
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
    run_tool(
        [find_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
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
                and sha256_of(target) == file["sha256"]
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
    for name, path in media_listing(root).items():
        if name not in wanted:
            path.unlink(missing_ok=True)
            removed += 1
            emptied.add(path.parent)
    _remove_empty_folders(root, emptied)
    return removed


def _remove_empty_folders(root, folders):
    """Remove these folders, and their parents up to the media folder, where they are empty."""
    for folder in sorted(folders, key=lambda folder: len(folder.parts), reverse=True):
        while folder != root and is_inside(folder, root):
            try:
                folder.rmdir()
            except OSError:
                break  # not empty
            folder = folder.parent


def _unapplied_migrations(connection):
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
