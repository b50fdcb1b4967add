"""The same photo twice in the library, found by what it shows rather than by its name.

Each image carries a digest of its decoded pixels (`Image.pixel_digest`), taken from the file we
store. An upload is cleaned the same way every time, so the same photo uploaded again — under
another name, with other metadata — has a cleaned copy with the same digest. The digest of the
photo as sent is looked for too: it finds an image stored as it came (the demo's), or a picture
saved from our own pages, also as a PNG of the same pixels. Either is an indexed lookup; no
file is read at request time but the upload's own.

A copy that was resized or compressed again is a different set of pixels and is not matched. A
perceptual hash would find those too, but it also matches pictures that merely look alike
(flat graphics, a photographer's burst of one scene), and a warning that cries wolf gets
ignored. The exact digest never does.
"""

import hashlib

import PIL.Image

from ..models import Image
from ..permissions import images_for

# Rows decoded at a time: a 40-megapixel photo is hashed without a second copy of it in memory.
BAND_ROWS = 512


def pixel_digest(file):
    """SHA-256 of an image file's first frame as RGBA pixels, with its size."""
    file.seek(0)
    try:
        with PIL.Image.open(file) as bitmap:
            bitmap.load()
            width, height = bitmap.size
            digest = hashlib.sha256(f"{width}x{height}:".encode())
            for top in range(0, height, BAND_ROWS):
                band = bitmap.crop((0, top, width, min(height, top + BAND_ROWS)))
                digest.update(band.convert("RGBA").tobytes())
    finally:
        file.seek(0)
    return digest.hexdigest()


def duplicates_of(digests, user, exclude=None):
    """The images in the library with any of these pixel digests that `user` may see, newest
    first. A writer is never told of an image they may not see (one only a colleague's draft
    uses)."""
    digests = [digest for digest in digests if digest]
    if not digests:
        return Image.objects.none()
    found = images_for(user).filter(pixel_digest__in=digests)
    if exclude is not None and exclude.pk:
        found = found.exclude(pk=exclude.pk)
    return found.order_by("-uploaded_at", "-pk")


def record_pixel_digest(image):
    """Fill in the digest of an image whose file is stored but whose digest is not known."""
    with image.file.open("rb") as stored:
        image.pixel_digest = pixel_digest(stored)
    return image.pixel_digest


def fill_missing_digests(progress=None):
    """Give every image without a digest its digest; the `fill_image_digests` command's work.

    Returns (filled, failed lines). An image whose file cannot be read is noted and skipped.
    """
    images = Image.objects.filter(pixel_digest="").order_by("pk")
    total = images.count()
    filled, failed = 0, []
    for done, image in enumerate(images.iterator(), start=1):
        try:
            digest = record_pixel_digest(image)
        except (OSError, ValueError, SyntaxError, PIL.Image.DecompressionBombError) as error:
            failed.append(f"picture {image.pk} ({image.file.name}): {error}")
        else:
            Image.objects.filter(pk=image.pk).update(pixel_digest=digest)
            filled += 1
        if progress:
            progress(done, total)
    return filled, failed
