"""The backup file itself: its format, its manifest and checksums, writing it and reading it back.

A backup is one tar archive (gzip-compressed unless its name ends in ``.tar``) holding:

- ``database.sqlite3`` (SQLite) or ``database.pgdump`` (PostgreSQL, ``pg_dump --format=custom``);
- ``media/…``: every file under MEDIA_ROOT, when uploads are stored on the file system;
- ``manifest.json``: the format, the database engine, when it was made, the migrations applied,
  counts of articles, images and revisions, and the size and SHA-256 of every file above.

Reading one back unpacks it and checks it against its manifest and against this version of
Newsroom before anything uses it; the last part says what a backup holds, for a person.
"""

import hashlib
import io
import json
import os
import tarfile
import time
import zlib
from datetime import datetime
from pathlib import Path

from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from reversion.models import Revision, Version

from articles.models import Article, Image

from .errors import BackupError
from .site import is_inside

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
# The media are compressed images already, and a database compresses well at the fastest
# level: a higher one takes three times as long to save another sixth.
GZIP_LEVEL = 1


def database_engine(connection):
    """The connection's engine, as the manifest names it; a BackupError for any other."""
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(
            f"Backups support SQLite and PostgreSQL databases, not {connection.display_name}."
        )
    return vendor


def _valid_name(name):
    """A relative path of forward slashes that stays inside its folder."""
    return (
        bool(name)
        and "\\" not in name
        and "\x00" not in name
        and not name.startswith("/")
        and all(part not in ("", ".", "..") for part in name.split("/"))
    )


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while block := file.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


# Writing.


def open_for_writing(file, name):
    """A new archive written into `file`: gzip-compressed unless `name` ends in .tar."""
    mode = "w" if name.endswith(".tar") else "w:gz"
    options = {} if mode == "w" else {"compresslevel": GZIP_LEVEL}
    return tarfile.open(file, mode, format=tarfile.PAX_FORMAT, copybufsize=CHUNK, **options)


class _HashingReader:
    """A file object that hashes what is read from it, as tarfile copies it into the archive."""

    def __init__(self, file):
        self.file = file
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        data = self.file.read(size)
        self.digest.update(data)
        return data


def add_file(archive, source, name):
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


def add_bytes(archive, data, name):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(time.time())
    info.mode = 0o644
    archive.addfile(info, io.BytesIO(data))


# Reading and checking.


def damaged(path, why):
    return BackupError(f"{path} is not a usable backup: {why}.")


def unpack(path, staging):
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
                    raise damaged(path, f"it holds an unexpected entry, {name!r}")
                if name in found or (name == MANIFEST and manifest_data is not None):
                    raise damaged(path, f"it holds {name} twice")
                source = archive.extractfile(member)
                if name == MANIFEST:
                    if member.size > MANIFEST_MAX_BYTES:
                        raise damaged(path, "its manifest is too large")
                    manifest_data = source.read()
                    continue
                if not (name in DATABASE_FILES.values() or name.startswith(MEDIA_FOLDER + "/")):
                    raise damaged(path, f"it holds an unexpected file, {name}")
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
        raise damaged(path, f"the archive cannot be read ({why})") from None
    except OSError as error:
        if error.filename and is_inside(Path(error.filename), staging):
            raise BackupError(
                f"Cannot unpack the backup into {staging.parent}: {error.strerror}."
            ) from None
        if error.filename:
            raise BackupError(f"Cannot read {path}: {error.strerror}.") from None
        # E.g. gzip.BadGzipFile: not a gzip file after all, or one cut short.
        raise damaged(path, f"the archive cannot be read ({error})") from None
    if manifest_data is None:
        raise damaged(path, f"it has no {MANIFEST}")
    try:
        manifest = json.loads(manifest_data)
    except ValueError:
        raise damaged(path, f"its {MANIFEST} is not valid JSON") from None
    return manifest, found


def check_manifest(path, manifest, found, engine):
    """The manifest is whole, of this engine and of a version of Newsroom that this one knows,
    and the unpacked files (`found`) are exactly those it lists, checksums and all."""
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise damaged(path, "it is not a Newsroom backup")
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
        raise damaged(path, f"its {MANIFEST} is incomplete") from None
    if backup_engine not in DATABASE_FILES:
        raise damaged(path, f"its database engine, {backup_engine!r}, is unknown")
    if backup_engine != engine:
        raise BackupError(
            f"{path} is a backup of a {ENGINE_NAMES[backup_engine]} database, but this site "
            f"uses {ENGINE_NAMES[engine]}."
        )
    if database["file"] != DATABASE_FILES[engine]:
        raise damaged(path, f"its database file is named {database['file']!r}")
    if any(not isinstance(file["name"], str) or not _valid_name(file["name"]) for file in files):
        raise damaged(path, "its manifest names a media file outside the media folder")
    if len(expected) != len(files) + 1:
        raise damaged(path, "its manifest lists a file twice")
    for name, (size, digest) in expected.items():
        if name not in found:
            raise damaged(path, f"{name} is missing from it")
        if found[name] != (size, digest):
            raise BackupError(
                f"{path} is damaged: {name} does not match the checksum in its manifest."
            )
    extra = sorted(set(found) - set(expected))
    if extra:
        raise damaged(path, f"{extra[0]} is not in its manifest")

    # Migrations this version of Newsroom does not have: the backup is from a newer version.
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for app, name in migrations.items():
        if app in loader.migrated_apps and (app, name) not in loader.disk_migrations:
            raise BackupError(
                f"{path} was made by a newer version of Newsroom (migration {app}.{name} is "
                "unknown here); restore it with that version."
            )


# What a backup holds, said for a person.


def describe_size(count):
    for unit in ("bytes", "KB", "MB", "GB"):
        if count < 1000 or unit == "GB":
            return f"{count:,.0f} {unit}" if unit == "bytes" else f"{count:,.1f} {unit}"
        count /= 1000
    return f"{count} bytes"  # not reached


def counted(number, noun):
    return f"{number:,} {noun}" + ("" if number == 1 else "s")


def describe_counts(counts):
    return ", ".join(
        counted(counts[key], noun)
        for key, noun in (("articles", "article"), ("images", "image"), ("revisions", "revision"))
    )


def describe_time(manifest):
    try:
        made = datetime.fromisoformat(manifest["created_at"])
    except (TypeError, ValueError):
        return str(manifest.get("created_at"))
    return timezone.localtime(made).strftime("%d %B %Y, %H:%M:%S %Z")
