"""Make the renditions images are served in: those missing, or with --all every one again."""

from django.core.management.base import BaseCommand, CommandError

from articles.images.backfill import make_missing_renditions

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Make the sizes and formats pages serve for every picture that lacks some: after an "
        "import, a restore of the database without its media, or a change of rendition sizes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="Remake every rendition, not only missing ones."
        )

    def handle(self, *args, **options):
        result = make_missing_renditions(remake_all=options["all"], progress=self._progress)
        if result.total:
            self.stderr.write("")
        self.stdout.write(
            f"Made {result.files} rendition files for {result.made} of {result.total} pictures; "
            f"{result.already_done} already had theirs."
        )
        if result.failed:
            raise CommandError(
                f"{len(result.failed)} picture(s) could not be read:\n" + "\n".join(result.failed)
            )

    def _progress(self, done, total):
        filled = round(BAR_WIDTH * done / total)
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        self.stderr.write(f"\r[{bar}] {done}/{total} pictures", ending="")
        self.stderr.flush()
