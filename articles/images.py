"""Uploaded pictures are distrusted: decoded in full, within size limits, before they are kept."""

import PIL.Image
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import ImageSequence

ACCEPTED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}


def check_image_upload(upload):
    """Raise ValidationError unless `upload` is a whole JPEG, PNG, WebP or GIF within the limits."""
    max_bytes = settings.NEWSROOM_MAX_IMAGE_BYTES
    max_pixels = settings.NEWSROOM_MAX_IMAGE_PIXELS
    if upload.size == 0:
        raise ValidationError("The file is empty. Choose a JPEG, PNG, WebP or GIF picture.")
    if upload.size > max_bytes:
        raise ValidationError(
            "The file is %(size)s; pictures may be at most %(limit)s.",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
        )
    upload.seek(0)
    try:
        with PIL.Image.open(upload) as picture:
            if picture.format not in ACCEPTED_FORMATS:
                raise ValidationError(
                    "This is a %(format)s file; upload a JPEG, PNG, WebP or GIF picture.",
                    params={"format": picture.format or "unknown"},
                )
            # Checked from the header alone, before anything is decoded.
            pixels = picture.width * picture.height * getattr(picture, "n_frames", 1)
            if pixels > max_pixels:
                raise ValidationError(
                    "The picture has %(pixels)s megapixels; the limit is %(limit)s.",
                    params={
                        "pixels": f"{pixels / 1_000_000:,.1f}",
                        "limit": f"{max_pixels / 1_000_000:,.0f}",
                    },
                )
            for frame in ImageSequence.Iterator(picture):
                frame.load()
    except PIL.UnidentifiedImageError:
        raise ValidationError(
            "This file is not a picture. Upload a JPEG, PNG, WebP or GIF."
        ) from None
    except PIL.Image.DecompressionBombError:
        raise ValidationError(
            "The picture is too large to process. The limit is %(limit)s megapixels.",
            params={"limit": f"{max_pixels / 1_000_000:,.0f}"},
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise ValidationError(
            "The picture is damaged or incomplete and cannot be read. Try exporting it again."
        ) from None
    finally:
        upload.seek(0)
