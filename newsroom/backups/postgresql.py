"""PostgreSQL's client tools, pg_dump and pg_restore, run against the configured database.

A backup dumps with pg_dump and a restore checks and loads the dump with pg_restore; both find
the tool on PATH, hand it the connection settings through libpq's environment and turn a failure
into one line for the operator.
"""

import os
import shutil
import subprocess  # nosec B404  # pg_dump and pg_restore only, as argument lists, never a shell

from .errors import BackupError


def find_tool(name):
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} was not found: install the PostgreSQL client tools "
            "(e.g. apt-get install postgresql-client) in a version no older than the server."
        )
    return found


def _environment(connection):
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


def run_tool(command, connection, name):
    """Run pg_dump or pg_restore; what it printed, or a BackupError with its error line."""
    try:
        finished = subprocess.run(  # nosec B603  # a tool found by shutil.which, fixed arguments, no shell
            command, env=_environment(connection), capture_output=True, text=True,
            stdin=subprocess.DEVNULL, check=False,
        )
    except OSError as error:
        raise BackupError(f"{name} could not be run: {error.strerror}.") from None
    if finished.returncode != 0:
        raise BackupError(f"{name} failed: {_error_line(finished.stderr)}")
    return finished.stdout


def _error_line(text):
    """The line of pg_dump's or pg_restore's output that says what went wrong."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    for line in lines:
        if "error:" in line.lower():
            return line
    return lines[-1] if lines else "no message"
