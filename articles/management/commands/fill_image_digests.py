"""Give every picture its pixel digest, by which an upload of the same photo is recognised."""

from django.core.management.base import BaseCommand, CommandError

from articles.images.duplicates import fill_missing_digests

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Read every picture that has no pixel digest yet (those stored before duplicates were "
        "looked for, or restored without one) and record it, so that uploading the same photo "
        "again warns."
    )

    def handle(self, *args, **options):
        filled, failed = fill_missing_digests(progress=self._progress)
        if filled or failed:
            self.stderr.write("")
        self.stdout.write(f"Recorded the pixel digest of {filled} picture(s).")
        if failed:
            raise CommandError(
                f"{len(failed)} picture(s) could not be read:\n" + "\n".join(failed)
            )

    def _progress(self, done, total):
        filled = round(BAR_WIDTH * done / total)
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        self.stderr.write(f"\r[{bar}] {done}/{total} pictures", ending="")
        self.stderr.flush()
