"""Where this site keeps what a backup holds: its media folder, and the database connection.

Shared by making a backup and restoring one: both run outside any transaction, keep the archive
out of the media folder and walk that folder when uploads are stored on the file system.
"""

import os
from pathlib import Path

from django.core.files.storage import FileSystemStorage, storages

from .errors import BackupError


def media_root():
    """The media folder when uploads are stored on the file system, else None."""
    storage = storages["default"]
    if isinstance(storage, FileSystemStorage):
        return Path(storage.location)
    return None


def storage_backend():
    storage = storages["default"]
    return f"{type(storage).__module__}.{type(storage).__qualname__}"


def outside_transactions(connection):
    if connection.in_atomic_block:
        raise BackupError("A backup or restore cannot run inside a database transaction.")


def is_inside(path, folder):
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def media_listing(root):
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
