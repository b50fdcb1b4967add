"""The soak's server: gunicorn in a process group of its own, killed and started again, and what
its log says of trouble."""

import contextlib
import os
import signal
import subprocess  # nosec B404 # gunicorn only, never a shell
import time
from datetime import UTC, datetime

from ..harness import RunError, Server, reap_group
from . import SoakError

START_TIMEOUT = 60  # seconds a server gets to answer /healthz
LOCKED = "database is locked"


def log_lines(path, start=0):
    try:
        with open(path, "rb") as log:
            log.seek(start)
            return log.read().decode(errors="replace").splitlines()
    except OSError:
        return []


def server_log_summary(path, start=0):
    """What the server's log says of trouble, from byte `start` on."""
    lines = log_lines(path, start)
    locked = [line for line in lines if LOCKED in line.lower()]
    return {
        "log": str(path),
        "database_locked": len(locked),
        "tracebacks": sum(1 for line in lines if line.startswith("Traceback")),
        "server_errors": sum(1 for line in lines if "Internal Server Error" in line),
        "worker_timeouts": sum(1 for line in lines if "WORKER TIMEOUT" in line),
        "first_locked": locked[:3],
    }


class SoakServer(Server):
    """gunicorn as `make serve` runs it, in a process group of its own, so that the master and
    its workers can be killed at once. Its output is added to one log over all its starts."""

    def __init__(self, label, log_dir, **environment):
        super().__init__(label, log_dir, **environment)
        self.starts = 0
        self.kills = 0
        self.start_seconds = []
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.log_path.write_bytes(b"")

    ready_path = "/healthz"
    start_timeout = START_TIMEOUT
    error = SoakError
    log_mode = "ab"
    popen_options = {"stdin": subprocess.DEVNULL, "start_new_session": True}

    def before_start(self, log):
        log.write(f"[soak] start {self.starts} at {timestamp()}\n".encode())
        log.flush()

    def start(self):
        started = time.monotonic()
        self.starts += 1
        super().start()
        self.start_seconds.append(time.monotonic() - started)
        return self

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def kill(self):
        """SIGKILL to the master and its workers at once: a crash, not a shutdown."""
        if self.process is None:
            return
        pgid = self.process.pid
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)
        self.process.wait()
        self.kills += 1
        with open(self.log_path, "ab") as log:
            log.write(f"[soak] killed at {timestamp()}\n".encode())
        reap_group(pgid)

    def stop(self):
        """Stop the server as a service manager would; then anything left of its group."""
        if self.process is None:
            return
        pgid = self.process.pid
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)
        self.process.wait()
        with contextlib.suppress(RunError):
            reap_group(pgid)

    def log_tail(self, lines=20):
        return " | ".join(super().log_tail(lines).splitlines())


def timestamp():
    return datetime.now(UTC).isoformat(timespec="seconds")
