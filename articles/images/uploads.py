"""Uploaded images are distrusted: recognised by their content, decoded in full within size
limits, and kept only as a clean copy — upright, without location or camera details — under a
name of our own.
"""

import io
import posixpath
import re
import unicodedata
import uuid
import warnings
from datetime import timedelta

import PIL.Image
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from PIL import ExifTags, ImageOps, ImageSequence

from .renditions import HAS_AVIF

# Pillow's name for a format → what editors call it. MPO is how Pillow reads a phone's JPEG
# that carries a second image (a depth or HDR map); the first image is the photo.
ACCEPTED_FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}
if HAS_AVIF:
    ACCEPTED_FORMATS["AVIF"] = "AVIF"
_names = list(dict.fromkeys(ACCEPTED_FORMATS.values()))
ACCEPTED_NAMES = ", ".join(_names[:-1]) + " or " + _names[-1]
EXTENSIONS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif",
              "AVIF": "avif"}
# For the file input, so the browser offers images first.
ACCEPT_ATTRIBUTE = ",".join(
    f"image/{name}" for name in ["jpeg", "png", "webp", "gif", *(["avif"] if HAS_AVIF else [])]
)

# HEIF's "ftyp" brands. An iPhone's own format, which this Pillow cannot read: worth saying so.
HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}

# Web page code inside an image file makes it a polyglot: a browser that sniffs it, or a
# server that serves it under the wrong type, would run it. No photo carries these.
MARKUP = re.compile(
    rb"<(?:script|html|body|iframe|object|embed)[\s/>]|<!doctype\s+html|<\?php", re.IGNORECASE
)

# The only EXIF kept on a stored image: who made it and what it shows. Location, camera
# serial numbers, maker notes and embedded thumbnails all go.
KEPT_EXIF_TAGS = [ExifTags.Base.ImageDescription, ExifTags.Base.Artist, ExifTags.Base.Copyright]


def _megapixels(pixels):
    text = f"{pixels / 1_000_000:,.1f}"
    # A tiny limit (a test's, say) still reads as a number.
    return text if text != "0.0" else f"{pixels / 1_000_000:.4f}".rstrip("0")


def check_image_upload(upload):
    """Raise ValidationError unless `upload` is a whole image we accept, within the limits.

    Returns Pillow's name for its format. The pixel limit is checked from the header, before
    anything is decoded; then every frame is decoded, so a damaged file is refused now rather
    than failing later on a page.
    """
    max_bytes = settings.NEWSROOM_MAX_IMAGE_BYTES
    max_pixels = settings.NEWSROOM_MAX_IMAGE_PIXELS
    if upload.size == 0:
        raise ValidationError(
            "The file is empty. Choose a %(names)s picture.", params={"names": ACCEPTED_NAMES}
        )
    if upload.size > max_bytes:
        raise ValidationError(
            "The file is %(size)s; pictures may be at most %(limit)s.",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow's own, looser, limit only warns; ours below refuses.
            warnings.simplefilter("ignore", PIL.Image.DecompressionBombWarning)
            bitmap = PIL.Image.open(upload)
        with bitmap:
            if bitmap.format not in ACCEPTED_FORMATS:
                raise ValidationError(
                    "This is a %(format)s file; upload a %(names)s picture.",
                    params={"format": bitmap.format or "unknown", "names": ACCEPTED_NAMES},
                )
            # Checked from the header alone, before anything is decoded: one frame, then all.
            pixels = bitmap.width * bitmap.height
            if pixels <= max_pixels:
                pixels *= getattr(bitmap, "n_frames", 1)
            if pixels > max_pixels:
                raise ValidationError(
                    "The picture has %(pixels)s megapixels; the limit is %(limit)s.",
                    params={"pixels": _megapixels(pixels), "limit": _megapixels(max_pixels)},
                )
            for frame in ImageSequence.Iterator(bitmap):
                frame.load()
            image_format = bitmap.format
    except PIL.UnidentifiedImageError:
        if _is_heif(upload):
            raise ValidationError(
                "This is a HEIC photo, which we cannot read yet. Export or share it as a JPEG "
                "(on an iPhone: Settings › Camera › Formats › Most Compatible)."
            ) from None
        raise ValidationError(
            "This file is not a picture. Upload a %(names)s.", params={"names": ACCEPTED_NAMES}
        ) from None
    except PIL.Image.DecompressionBombError:
        raise ValidationError(
            "The picture is too large to process. The limit is %(limit)s megapixels.",
            params={"limit": _megapixels(max_pixels)},
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError, MemoryError):
        raise ValidationError(
            "The picture is damaged or incomplete and cannot be read. Try exporting it again."
        ) from None
    finally:
        upload.seek(0)
    _check_no_markup(upload)
    return image_format


def _is_heif(upload):
    upload.seek(0)
    head = upload.read(12)
    return head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS


def _check_no_markup(upload):
    upload.seek(0)
    # Read in overlapping pieces, so a marker that straddles two pieces is still found.
    overlap = 32
    tail = b""
    try:
        for chunk in upload.chunks():
            if MARKUP.search(tail + chunk):
                raise ValidationError(
                    "The file holds web page code as well as a picture, so it is not safe to "
                    "publish. Export the picture again from a photo editor."
                )
            tail = chunk[-overlap:]
    finally:
        upload.seek(0)


def _kept_exif(bitmap):
    source = bitmap.getexif()
    kept = PIL.Image.Exif()
    for tag in KEPT_EXIF_TAGS:
        value = source.get(tag)
        if isinstance(value, str) and value.strip("\x00 "):
            kept[tag] = value
    return kept.tobytes() if len(kept) else b""


def _kept_info(info):
    """Of what Pillow read from a file, only the timing and transparency a copy needs: left in
    place, comments and XMP would be written into the copy."""
    return {
        key: value for key, value in info.items()
        if key in ("duration", "transparency", "background", "loop")
    }


def _clean_frame(frame):
    copy = frame.copy()
    copy.info = _kept_info(frame.info)
    return copy


def cleaned_copy(upload):
    """A checked upload re-encoded for keeping: upright, without GPS, serial numbers, maker notes
    or other metadata except the credit (EXIF artist, copyright, description) and the colour
    profile, and named after what it is.

    A JPEG that needs no turning keeps its own quantisation tables, so it loses nothing visible.
    """
    upload.seek(0)
    try:
        with PIL.Image.open(upload) as bitmap:
            image_format = bitmap.format
            profile = bitmap.info.get("icc_profile")
            exif = _kept_exif(bitmap)
            options = {"icc_profile": profile} if profile else {}
            if exif and image_format != "GIF":
                options["exif"] = exif
            saved_as = "JPEG" if image_format == "MPO" else image_format
            buffer = io.BytesIO()
            if getattr(bitmap, "n_frames", 1) > 1 and image_format != "MPO":
                frames = [_clean_frame(frame) for frame in ImageSequence.Iterator(bitmap)]
                first = frames[0]
                first.save(
                    buffer, saved_as, save_all=True, append_images=frames[1:],
                    duration=[frame.info.get("duration", 100) for frame in frames],
                    loop=bitmap.info.get("loop", 0), **_quality(saved_as), **options,
                )
            else:
                turned = bitmap.getexif().get(ExifTags.Base.Orientation, 1) not in (0, 1)
                if image_format == "JPEG" and not turned:
                    # An empty comment, or Pillow copies the original's (COM) into the copy.
                    bitmap.save(
                        buffer, "JPEG", quality="keep", subsampling="keep", comment=b"",
                        progressive=bool(bitmap.info.get("progressive")), **options,
                    )
                else:
                    upright = ImageOps.exif_transpose(bitmap)
                    upright.info = _kept_info(upright.info)
                    if saved_as in ("PNG", "GIF") and "transparency" in bitmap.info:
                        options["transparency"] = bitmap.info["transparency"]
                    if saved_as == "JPEG" and upright.mode not in ("RGB", "L", "CMYK"):
                        upright = upright.convert("RGB")
                    upright.save(buffer, saved_as, **_quality(saved_as), **options)
    except (OSError, ValueError, SyntaxError, EOFError, MemoryError):
        raise ValidationError(
            "The picture could not be processed. Try exporting it again as a JPEG or PNG."
        ) from None
    finally:
        upload.seek(0)
    return ContentFile(buffer.getvalue(), name=f"picture.{EXTENSIONS[image_format]}")


def _quality(image_format):
    return {
        "JPEG": {"quality": 92},
        "WEBP": {"quality": 90},
        "AVIF": {"quality": 90, "speed": 8},
    }.get(image_format, {})


# Images waiting for an editor to finish the form: stored once, carried by a signed token.

PENDING_FOLDER = "images/pending"
PENDING_MAX_AGE = timedelta(days=1)
PENDING_SALT = "articles.images.pending"


def readable_file_name(name, limit=80):
    """An uploaded file's name, safe to show: no control or direction-changing characters."""
    name = posixpath.basename(str(name).replace("\\", "/"))
    shown = "".join(
        character for character in name if unicodedata.category(character) not in ("Cc", "Cf")
    )
    return shown[:limit] or "picture"


def keep_pending(cleaned_file, original_name):
    """Store a checked, cleaned image until the form is saved; the token that names it."""
    _forget_old_pending()
    extension = cleaned_file.name.rsplit(".", 1)[-1]
    name = default_storage.save(
        f"{PENDING_FOLDER}/{uuid.uuid4().hex}.{extension}", ContentFile(cleaned_file.read())
    )
    cleaned_file.seek(0)
    return signing.dumps(
        {"name": name, "label": readable_file_name(original_name)}, salt=PENDING_SALT
    )


def read_pending(token):
    """(stored name, shown name) of the pending image a token names, or None."""
    if not token:
        return None
    try:
        value = signing.loads(
            token, salt=PENDING_SALT, max_age=PENDING_MAX_AGE.total_seconds()
        )
    except signing.BadSignature:
        return None
    name = value.get("name", "")
    if posixpath.dirname(name) != PENDING_FOLDER or not default_storage.exists(name):
        return None
    return name, value.get("label", "picture")


def open_pending(name):
    with default_storage.open(name, "rb") as stored:
        return ContentFile(stored.read(), name=posixpath.basename(name))


def discard_pending(name):
    default_storage.delete(name)


def _forget_old_pending():
    """Images from forms nobody finished are deleted after a day."""
    from .orphans import delete_orphaned_files  # which reads this module's folders

    delete_orphaned_files(PENDING_FOLDER)
