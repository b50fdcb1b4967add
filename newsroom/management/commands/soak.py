"""`make soak`: the site under readers and an editor for minutes, then through crashes."""

import os
import signal
import subprocess  # nosec B404 # only to stop the servers it started

from django.core.management.base import BaseCommand, CommandError

from newsroom.load import harness
from newsroom.load.soak import runner
from newsroom.load.soak.report import failed, render_summary


def _env_int(name, default):
    return int(os.environ.get(name) or default)


class Command(BaseCommand):
    help = (
        "Soak the site as `make serve` runs it, on a synthetic newsroom in var/soak/ (built once "
        "by seed_demo). Phase 1: many readers fetch pages and feeds while an editor publishes and "
        "edits stories through the admin; every change must show on the next request. Phase 2: "
        "saves through the admin while the server is killed with SIGKILL at random moments; "
        "afterwards every acknowledged save must be in the database, whole. Prints a report for "
        "each phase, writes var/soak/report.json and exits non-zero on any failure."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--articles", type=int, default=_env_int("SOAK_ARTICLES", 5_000),
            help="Articles in the soak's newsroom (default $SOAK_ARTICLES or 5000).",
        )
        parser.add_argument(
            "--seconds", type=int, default=_env_int("SOAK_SECONDS", 180),
            help="How long the readers read (default $SOAK_SECONDS or 180).",
        )
        parser.add_argument("--readers", type=int, default=200,
                            help="Readers at once, each with its own connection (default 200).")
        parser.add_argument("--interval", type=float, default=5.0,
                            help="Seconds between the editor's changes in phase 1 (default 5).")
        parser.add_argument(
            "--saves", type=int, default=_env_int("SOAK_SAVES", 200),
            help="Saves through the admin in the crash phase (default $SOAK_SAVES or 200).",
        )
        parser.add_argument(
            "--kill-share", type=float, default=0.2,
            help="The share of saves during or just after which the server is killed "
            "(default 0.2).",
        )
        parser.add_argument("--phase", choices=["all", "load", "crash"], default="all",
                            help="Run both phases (default) or one.")
        parser.add_argument("--seed", type=int, default=None,
                            help="The readers' and the editor's random choices (default: new).")
        parser.add_argument(
            "--dir", default=None,
            help="The soak's folder, which must hold its database, pictures, cache and static "
            "files (default var/soak).",
        )

    def handle(self, *args, **options):
        if options["articles"] < 1 or options["seconds"] < 1 or options["readers"] < 1:
            raise CommandError("--articles, --seconds and --readers must be at least 1.")
        if options["saves"] < 1 or not 0 <= options["kill_share"] <= 1:
            raise CommandError("--saves must be at least 1 and --kill-share between 0 and 1.")
        phases = ("load", "crash") if options["phase"] == "all" else (options["phase"],)
        previous = harness.stop_on_sigterm()
        try:
            results = runner.run(
                articles=options["articles"], seconds=options["seconds"],
                readers=options["readers"], interval=options["interval"],
                saves=options["saves"], kill_share=options["kill_share"], phases=phases,
                seed=options["seed"], soak_dir=options["dir"], log=self.log,
                report=self.report,
            )
        except (harness.RunError, OSError, subprocess.CalledProcessError) as error:
            raise CommandError(" ".join(str(error).split())) from None
        except KeyboardInterrupt:
            raise CommandError("Interrupted; the servers it started are stopped.") from None
        finally:
            signal.signal(signal.SIGTERM, previous)
        self.stdout.write(render_summary(results))
        if failed(results):
            raise CommandError("The soak found failures (listed above).")

    def report(self, text):
        self.stdout.write("")
        self.stdout.write(text)
        self.stdout.flush()

    def log(self, line):
        self.stderr.write(line)
        self.stderr.flush()
