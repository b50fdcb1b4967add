"""Backups of the whole newsroom — its database and its media — and restoring one.

The `backup` and `restore` commands are the way in; the package is cut by concept:

- ``archive``: the backup file itself — its format and manifest, writing entries with their
  checksums, unpacking it and checking it against its manifest, and describing it for a person;
- ``create``: making a backup while the site serves (a consistent snapshot of SQLite or
  PostgreSQL, then the media), written under a temporary name and renamed into place;
- ``restore``: checking a backup against this site, then putting the media and the database in
  place, whole or not at all;
- ``site``: where this site keeps what a backup holds (the media folder, the connection);
- ``postgresql``: running pg_dump and pg_restore against the configured database;
- ``errors``: BackupError, whose message is one line for the operator.
"""

from .archive import DATABASE_FILES, ENGINE_NAMES
from .create import BackupResult, copy_sqlite, create_backup
from .errors import BackupError
from .restore import CheckedBackup, RestoreResult, open_backup

__all__ = [
    "DATABASE_FILES",
    "ENGINE_NAMES",
    "BackupError",
    "BackupResult",
    "CheckedBackup",
    "RestoreResult",
    "copy_sqlite",
    "create_backup",
    "open_backup",
]
