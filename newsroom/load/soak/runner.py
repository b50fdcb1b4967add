"""The soak's run: its newsroom and editor, then the load phase and the crash phase, each reported
as soon as it ends."""

import os
import random
import secrets
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection

from ..harness import become_subreaper, ensure_database, refuse_settings_outside, workers
from . import SoakError
from .crash import run_crash
from .editor import ensure_editor
from .load import run_load
from .report import render_crash, render_load, write_report
from .sample import read_newsroom
from .server import SoakServer, timestamp


def check_environment(soak_dir):
    """The soak writes to its own database, images, cache and static files, never the
    newsroom's, and runs the site as production does."""
    refuse_settings_outside(soak_dir, "The soak", "soak", SoakError)
    if settings.DEBUG:
        raise SoakError("The soak runs the site as production does: set DJANGO_DEBUG=false and "
                        "DJANGO_SECRET_KEY (make soak does this).")
    try:
        import feedparser  # noqa: F401
    except ImportError:
        raise SoakError("The soak parses feeds with feedparser: pip install -r "
                        "requirements-test.txt") from None


def run(articles=5_000, seconds=180, readers=200, interval=5.0, saves=200, kill_share=0.2,
        phases=("load", "crash"), seed=None, soak_dir=None, log=print, report=print):
    """The soak; returns its results (also written to report.json). `report` is given each
    phase's printed report as soon as the phase ends."""
    started = time.monotonic()
    soak_dir = Path(soak_dir or settings.BASE_DIR / "var" / "soak")
    soak_dir.mkdir(parents=True, exist_ok=True)
    check_environment(soak_dir)
    seed = seed if seed is not None else secrets.randbelow(1_000_000)
    run_id = uuid.uuid4().hex[:6]
    rng = random.Random(seed)  # nosec B311 # repeatable test load, no secret
    reaping = become_subreaper()

    build = ensure_database(soak_dir, articles, 1, log=log)
    call_command("collectstatic", interactive=False, verbosity=0)
    credentials = ensure_editor()
    newsroom = read_newsroom(rng)
    connection.close()
    results = {
        "config": {
            "articles": articles, "seconds": seconds, "readers": readers, "interval_s": interval,
            "saves": saves, "kill_share": kill_share, "phases": list(phases), "seed": seed,
            "run": run_id, "workers": workers(), "cpus": os.cpu_count(),
            "load_before": [round(load, 2) for load in os.getloadavg()],
            "reaps_workers": reaping,
        },
        "build": build,
        "started_at": timestamp(),
    }

    def finish():
        results["seconds"] = round(time.monotonic() - started, 1)
        results["report"] = str(write_report(soak_dir, results))

    if "load" in phases:
        log(f"Load: {readers} readers for {seconds} s, an editor every {interval:g} s")
        with SoakServer("load", soak_dir) as server:
            results["load"] = run_load(server, credentials, newsroom, seconds, readers,
                                       interval, run_id, seed, log=log)
        finish()
        report(render_load(results))
    if "crash" in phases:
        log(f"Crash: {saves} saves through the admin, the server killed at random moments")
        server = SoakServer("crash", soak_dir)
        try:
            results["crash"] = run_crash(server, credentials, newsroom, saves, kill_share,
                                         run_id, seed, log=log)
        finally:
            server.stop()
        finish()
        report(render_crash(results))
    finish()
    return results
