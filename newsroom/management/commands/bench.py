"""`make bench`: the site's speed at size, uncached and cached, next to a static file's."""

import os
import signal

from django.core.management.base import BaseCommand, CommandError

from newsroom.load import harness
from newsroom.load.bench import runner
from newsroom.load.bench.report import render_report


class Command(BaseCommand):
    help = (
        "Benchmark the site as `make serve` runs it: build (once) a synthetic newsroom in "
        "var/bench/, measure server time per page in process, then requests per second with "
        "wrk against gunicorn with the page cache off and on, next to the article's HTML served "
        "as a static file. Prints one table and writes var/bench/results.json."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--articles", type=int, default=int(os.environ.get("BENCH_ARTICLES") or 100_000),
            help="Articles in the benchmark's newsroom (default $BENCH_ARTICLES or 100000).",
        )
        parser.add_argument("--seed", type=int, default=1, help="seed_demo's seed (default 1).")
        parser.add_argument(
            "--duration", type=int, default=int(os.environ.get("BENCH_DURATION") or 10),
            help="Seconds wrk spends on each page (default $BENCH_DURATION or 10).",
        )
        parser.add_argument("--warmup", type=int, default=2,
                            help="Seconds of warm-up before each page (default 2).")
        parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2).")
        parser.add_argument("--connections", type=int, default=16,
                            help="wrk connections (default 16).")
        parser.add_argument("--requests", type=int, default=50,
                            help="Requests per page for the in-process timing (default 50).")
        parser.add_argument(
            "--dir", default=None,
            help="The benchmark's folder, which must hold its database, pictures, cache and "
            "static files (default var/bench).",
        )

    def handle(self, *args, **options):
        if options["articles"] < 1 or options["duration"] < 1:
            raise CommandError("--articles and --duration must be at least 1.")
        previous = harness.stop_on_sigterm()
        try:
            results = runner.run(
                articles=options["articles"], seed=options["seed"],
                duration=options["duration"], warmup=options["warmup"],
                threads=options["threads"], connections=options["connections"],
                requests=options["requests"], bench_dir=options["dir"], log=self.log,
            )
        except harness.RunError as error:
            raise CommandError(str(error)) from None
        except KeyboardInterrupt:
            raise CommandError("Interrupted; the servers it started are stopped.") from None
        finally:
            signal.signal(signal.SIGTERM, previous)
        self.stdout.write("")
        self.stdout.write(render_report(results))

    def log(self, line):
        self.stderr.write(line)
        self.stderr.flush()
