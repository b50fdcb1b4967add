"""How the site is served in production on one machine: gunicorn, set up by newsroom/gunicorn.py.

The process that asks becomes gunicorn's master, as `exec gunicorn` would make it, so whatever
started it — a service manager, `make serve`, a test — stops the server by that same process id,
and systemd hears from it that it is ready. The configuration is named as a module, not a file, so
that an installed site finds it as well as the source tree does.
"""

import os
import sys

GUNICORN_CONFIG = "python:newsroom.gunicorn"


def gunicorn_arguments():
    return [sys.executable, "-m", "gunicorn", "--config", GUNICORN_CONFIG]


def serve(host=None, port=None):
    """Replace this process with gunicorn, on host and port if given, else where HOST and PORT say
    (newsroom/gunicorn.py). Returns only if gunicorn could not be started, by raising OSError."""
    environment = dict(os.environ)
    if host:
        environment["HOST"] = host
    if port:
        environment["PORT"] = str(port)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, gunicorn_arguments(), environment)  # nosec B606 # this Python, gunicorn
