"""Renditions for every image in the library at once: after an import, a restore of the database
without its media, or a change of rendition sizes. The `make_renditions` command's work.
"""

from dataclasses import dataclass, field

import PIL.Image

from ..models import Image
from .renditions import CROPS, make_renditions, stale_crops


@dataclass
class Backfill:
    total: int = 0
    made: int = 0  # images that were given renditions
    files: int = 0
    failed: list[str] = field(default_factory=list)  # one line per image that could not be read

    @property
    def already_done(self):
        return self.total - self.made - len(self.failed)


def make_missing_renditions(remake_all=False, progress=None):
    """Make what each image lacks (with `remake_all`, every rendition again).

    An image that cannot be read is noted and the rest carry on. `progress(done, total)` is
    called after each image.
    """
    images = Image.objects.order_by("pk")
    result = Backfill(total=images.count())
    for done, image in enumerate(images.iterator(), start=1):
        # Storage is checked too, so renditions lost with a media folder are made again.
        crops = list(CROPS) if remake_all else stale_crops(image, check_storage=True)
        if crops:
            try:
                written = make_renditions(image, crops=crops)
            except (OSError, ValueError, PIL.Image.DecompressionBombError) as error:
                result.failed.append(f"picture {image.pk} ({image.file.name}): {error}")
            else:
                result.made += 1
                result.files += len(written)
        if progress:
            progress(done, result.total)
    return result
