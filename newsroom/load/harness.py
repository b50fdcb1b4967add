"""What the benchmark and the soak share: a run kept to its own folder, and the servers it starts.

Both run the site as `make serve` runs it, against a synthetic newsroom of their own (built once
by seed_demo in their folder, then reused), with gunicorn on a loopback port:

- the settings guard, which refuses a run whose database, images, cache or static files lie
  outside its folder, or that would use a shared Redis or bucket;
- the run's newsroom, built or reused;
- gunicorn started, waited for and stopped by its own process id, and the processes of a killed
  server's group reaped;
- plain HTTP straight to the server, and the percentiles of what was measured.
"""

import contextlib
import ctypes
import importlib
import json
import os
import shutil
import signal
import socket
import subprocess  # nosec B404 # only gunicorn and manage.py, never a shell
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection

from newsroom.serving import gunicorn_arguments

HOST = "127.0.0.1"
START_TIMEOUT = 30  # seconds a server gets to start answering


class RunError(Exception):
    """A benchmark or a soak cannot go on; the message says why."""


# Figures.


def percentile(values, percent):
    """The percent-th percentile of the values, interpolated between the nearest two."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    position = (len(ordered) - 1) * percent / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


# The run's folder.


def _inside(path, folder):
    return Path(path).resolve().is_relative_to(Path(folder).resolve())


def settings_outside(run_dir):
    """The settings that would have a run (the benchmark's, the soak's) write anywhere but in
    `run_dir`: its SQLite database, images, cache or static files elsewhere, or a shared Redis
    or bucket in use. Empty when the run keeps to its folder."""
    database = settings.DATABASES["default"]
    places = {
        "DATABASE_URL": database["NAME"] if "sqlite" in database["ENGINE"] else None,
        "NEWSROOM_MEDIA_ROOT": settings.MEDIA_ROOT,
        "NEWSROOM_CACHE_DIR": settings.CACHE_DIR,
        "NEWSROOM_VAR_DIR": settings.STATIC_ROOT,
    }
    wrong = [name for name, place in places.items() if not place or not _inside(place, run_dir)]
    if getattr(settings, "REDIS_URL", ""):
        wrong.append("REDIS_URL")
    if getattr(settings, "OBJECT_STORAGE", None):
        wrong.append("NEWSROOM_S3_BUCKET")
    return wrong



def refuse_settings_outside(run_dir, what, target, error):
    """Raise `error` unless the run keeps to its folder; `what` names the run ("The soak") and
    `target` the make target that sets it up."""
    wrong = settings_outside(run_dir)
    if wrong:
        raise error(
            f"{what} writes to its own SQLite database, pictures, cache and static files in "
            f"{run_dir}, and to no shared Redis or bucket: {', '.join(wrong)} must point there "
            f"or be unset (make {target} does this)."
        )


def manage(*arguments):
    subprocess.run(  # nosec B603 # this Python running manage.py
        [sys.executable, str(settings.BASE_DIR / "manage.py"), *arguments],
        cwd=settings.BASE_DIR, check=True,
    )


def ensure_database(run_dir, articles, seed, log=print):
    """Build the run's newsroom in its folder, unless the one there was built with these articles
    and this seed."""
    database = Path(settings.DATABASES["default"]["NAME"])
    marker = Path(run_dir) / "built.json"
    wanted = {"articles": articles, "seed": seed}
    try:
        built = json.loads(marker.read_text())
    except (OSError, ValueError):
        built = None
    if database.exists() and built and {key: built.get(key) for key in wanted} == wanted:
        log(f"Reusing the {articles:,}-article newsroom in {run_dir} "
            f"(built in {built.get('seconds', 0):.0f} s).")
        manage("migrate", "--noinput", "-v0")
        return {**built, "reused": True}
    log(f"Building a {articles:,}-article newsroom in {run_dir}…")
    connection.close()
    marker.unlink(missing_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    for folder in (settings.MEDIA_ROOT, settings.CACHE_DIR):
        shutil.rmtree(folder, ignore_errors=True)
    Path(run_dir).mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    manage("migrate", "--noinput", "-v0")
    manage("seed_demo", "--articles", str(articles), "--seed", str(seed))
    built = {**wanted, "seconds": round(time.monotonic() - started, 1),
             "built_at": datetime.now(UTC).isoformat(timespec="seconds")}
    marker.write_text(json.dumps(built, indent=2) + "\n")
    log(f"Built in {built['seconds']:.0f} s.")
    return {**built, "reused": False}



# The server.


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def fetch(url, headers=None, timeout=30):
    """(status, headers, body) of a GET, straight to the server whatever the proxy settings."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with _opener.open(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers, error.read()


class Server:
    """gunicorn as `make serve` runs it, on a free loopback port, with some settings changed."""

    def __init__(self, label, log_dir, **environment):
        self.label = label
        self.log_path = Path(log_dir) / f"gunicorn-{label}.log"
        self.environment = environment
        self.process = None
        self.port = None

    @property
    def url(self):
        return f"http://{HOST}:{self.port}"

    # What a subclass may change: the page that says the server is up, how long it may take,
    # what a failure raises, how the log is opened and how the process is started.
    ready_path = "/robots.txt"
    start_timeout = START_TIMEOUT
    error = RunError
    log_mode = "wb"
    popen_options = {}

    def start(self):
        if self.port is None:
            self.port = free_port()
        environment = {
            **os.environ, **self.environment, "HOST": HOST, "PORT": str(self.port),
            "DJANGO_DEBUG": "false",
        }
        with open(self.log_path, self.log_mode) as log:
            self.before_start(log)
            self.process = subprocess.Popen(  # nosec B603 # this Python running gunicorn
                gunicorn_arguments(), cwd=settings.BASE_DIR, env=environment, stdout=log,
                stderr=subprocess.STDOUT,
                **self.popen_options,
            )
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise self.error(f"gunicorn ({self.label}) stopped at start: {self.log_tail(5)}")
            try:
                status, _, _ = fetch(f"{self.url}{self.ready_path}", timeout=5)
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        raise self.error(
            f"gunicorn ({self.label}) did not answer {self.ready_path} in {self.start_timeout} s: "
            f"{self.log_tail(5)}"
        )

    def before_start(self, log):
        """Called with the log open, just before the server process starts."""

    def stop(self):
        """Stop this server, by its own process id: gunicorn stops its workers itself."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log_tail(self, lines=20):
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc_info):
        self.stop()


def workers():
    return importlib.import_module("newsroom.gunicorn").workers


# A killed server's processes.


PR_SET_CHILD_SUBREAPER = 36


def become_subreaper():
    """Adopt the server's workers when their master is killed, so they can be reaped here.

    Without it they would be left as zombies for the system's first process, which in a
    container may never reap them. Returns whether it worked (Linux only).
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def group_members(pgid):
    """[(pid, state)] of the processes in a process group, from /proc."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        if len(fields) > 2 and int(fields[2]) == pgid:
            members.append((int(entry.name), fields[0]))
    return members


def reap_group(pgid, timeout=15):
    """Wait until no process of the group is running, reaping the ones that are ours."""
    deadline = time.monotonic() + timeout
    while True:
        running = []
        for pid, state in group_members(pgid):
            if state in ("Z", "X"):
                with contextlib.suppress(ChildProcessError, OSError):
                    os.waitpid(pid, os.WNOHANG)
            else:
                running.append(pid)
        if not running:
            return
        if time.monotonic() > deadline:
            raise RunError(f"Processes {running} of the server's group did not stop.")
        time.sleep(0.05)


def stop_on_sigterm():
    """Turn SIGTERM into SystemExit, so the servers are stopped on the way out."""

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    return signal.signal(signal.SIGTERM, stop)
