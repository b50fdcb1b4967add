"""The one error of backups and restores: something stops them, and the operator is told why."""


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message is one line for the operator."""
