"""Fill the newsroom with a synthetic one at size: `manage.py seed_demo --articles 100000`."""

import time

from django.core.management.base import BaseCommand, CommandError

from newsroom.synthetic.seeding import NewsroomNotEmpty, seed_newsroom


class Command(BaseCommand):
    help = (
        "Write a synthetic newsroom for benchmarks and for trying the site at size: sections, "
        "authors, tags, pictures and years of made-up articles. Refuses a newsroom that has "
        "articles unless --add is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--articles", type=int, default=100_000, help="How many articles (default 100000)."
        )
        parser.add_argument(
            "--seed", type=int, default=1,
            help="The same seed makes the same articles (default 1).",
        )
        parser.add_argument(
            "--add", action="store_true",
            help="Add to a newsroom that already has articles, reusing the seeded cast.",
        )

    def handle(self, *args, articles, seed, add, **options):
        if articles < 0:
            raise CommandError("--articles cannot be negative.")
        self.started = time.monotonic()
        try:
            result = seed_newsroom(articles, seed=seed, add=add, progress=self._progress)
        except NewsroomNotEmpty as error:
            raise CommandError(str(error)) from None
        if articles:
            self.stderr.write("")
        self.stdout.write(result.summary())

    def _progress(self, done, total):
        if done == 0:
            self.started = time.monotonic()
        elapsed = time.monotonic() - self.started
        rate = done / elapsed if elapsed > 0 else 0
        left = f", {(total - done) / rate:.0f} s left" if rate and done < total else ""
        self.stderr.write(
            f"\r{done:,}/{total:,} articles ({rate:,.0f}/s{left})", ending=""
        )
        self.stderr.flush()
