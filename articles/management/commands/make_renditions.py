"""Make the renditions images are served in: those missing, or with --all every one again."""

import PIL.Image
from django.core.management.base import BaseCommand, CommandError

from articles.images.renditions import CROPS, make_renditions, stale_crops
from articles.models import Image

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
        images = Image.objects.order_by("pk")
        total = images.count()
        made = files = 0
        failed = []
        for done, image in enumerate(images.iterator(), start=1):
            # Storage is checked too, so renditions lost with a media folder are made again.
            crops = list(CROPS) if options["all"] else stale_crops(image, check_storage=True)
            if crops:
                try:
                    written = make_renditions(image, crops=crops)
                except (OSError, ValueError, PIL.Image.DecompressionBombError) as error:
                    failed.append(f"picture {image.pk} ({image.file.name}): {error}")
                else:
                    made += 1
                    files += len(written)
            self._progress(done, total)
        if total:
            self.stderr.write("")
        self.stdout.write(
            f"Made {files} rendition files for {made} of {total} pictures; "
            f"{total - made - len(failed)} already had theirs."
        )
        if failed:
            raise CommandError(
                f"{len(failed)} picture(s) could not be read:\n" + "\n".join(failed)
            )

    def _progress(self, done, total):
        filled = round(BAR_WIDTH * done / total)
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        self.stderr.write(f"\r[{bar}] {done}/{total} pictures", ending="")
        self.stderr.flush()
