"""Renditions: the sizes and formats readers are served, made once from the original and stored.

A page never decodes an image. It reads the list of renditions kept on the image's row and
writes a <picture> from it; if the list is missing it serves the original and logs why.
Renditions are made when an image is saved — by the admin, the wire importer and the demo — and
by `manage.py make_renditions`, always through Django's storage API.
"""

import hashlib
import io
import logging
import posixpath
from dataclasses import dataclass

import PIL.Image
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import ImageCms, ImageOps, features

from ..caching import content_changed

logger = logging.getLogger(__name__)

# Bump when the crops, widths or encoder settings change: `make_renditions` then remakes them all.
VERSION = 1

HAS_AVIF = features.check("avif")


@dataclass(frozen=True)
class Format:
    name: str  # as stored in the record and shown in file names
    pillow_name: str
    media_type: str
    extension: str
    options: dict


FORMATS = {
    encoding.name: encoding
    for encoding in [
        # Quality levels that look alike on a news photo; AVIF's speed trades a little size
        # for an upload that is not kept waiting.
        Format("avif", "AVIF", "image/avif", "avif", {"quality": 50, "speed": 8}),
        Format("webp", "WEBP", "image/webp", "webp", {"quality": 78, "method": 4}),
        Format("jpeg", "JPEG", "image/jpeg", "jpg",
               {"quality": 80, "optimize": True, "progressive": True}),
    ]
}
# Most preferred first; the last is what every browser and feed reader can show.
PUBLIC_FORMATS = ("avif", "webp", "jpeg") if HAS_AVIF else ("webp", "jpeg")
FALLBACK_FORMAT = "jpeg"


@dataclass(frozen=True)
class Crop:
    name: str
    ratio: tuple[int, int] | None  # None: the image's own shape
    widths: tuple[int, ...]
    formats: tuple[str, ...]


CROPS = {
    crop.name: crop
    for crop in [
        # The article's lead image, uncropped.
        Crop("original", None, (320, 640, 960, 1280, 1600), PUBLIC_FORMATS),
        # Cards on listings.
        Crop("16x9", (16, 9), (320, 640, 960, 1280), PUBLIC_FORMATS),
        # Thumbnails, and the wide-enough copies search engines ask for in these shapes.
        Crop("4x3", (4, 3), (320, 640, 1200), ("webp", "jpeg")),
        Crop("1x1", (1, 1), (160, 320, 1200), ("webp", "jpeg")),
    ]
}
LARGEST_WIDTH = max(width for crop in CROPS.values() for width in crop.widths)


# Making renditions.


@dataclass(frozen=True)
class Rendered:
    format: str
    width: int
    height: int
    data: bytes


def crop_box(size, ratio, focal):
    """The largest box of `ratio` inside `size`, centred on the focal point as far as it can be.

    The focal point is always inside the box: the box only stops short of centring it at an edge.
    """
    width, height = size
    if ratio is None:
        return (0, 0, width, height)
    ratio_width, ratio_height = ratio
    if width * ratio_height > height * ratio_width:  # wider than the ratio: trim the sides
        box_width, box_height = max(1, round(height * ratio_width / ratio_height)), height
    else:
        box_width, box_height = width, max(1, round(width * ratio_height / ratio_width))
    focal_x, focal_y = focal
    left = round(min(max(focal_x * width - box_width / 2, 0), width - box_width))
    top = round(min(max(focal_y * height - box_height / 2, 0), height - box_height))
    return (left, top, left + box_width, top + box_height)


def widths_for(crop, box_width):
    """The crop's widths that the box can fill without enlarging; a small image gets its own."""
    return [width for width in crop.widths if width <= box_width] or [box_width]


def _displayable(bitmap):
    """The bitmap in RGB (or RGBA) with the colour profile that goes with it, if any."""
    profile = bitmap.info.get("icc_profile")
    if bitmap.mode == "CMYK":
        if profile:
            try:
                converted = ImageCms.profileToProfile(
                    bitmap, ImageCms.ImageCmsProfile(io.BytesIO(profile)),
                    ImageCms.createProfile("sRGB"), outputMode="RGB",
                )
                return converted, None
            except (ImageCms.PyCMSError, OSError):
                pass
        return bitmap.convert("RGB"), None
    if bitmap.mode in ("RGB", "RGBA"):
        return bitmap, profile
    if bitmap.mode.startswith("I;16") or bitmap.mode in ("I", "F"):
        # Sixteen-bit greys: scaled down to eight bits rather than clipped to white.
        bitmap = bitmap.convert("I").point(lambda value: value / 256).convert("L")
    has_alpha = bitmap.mode in ("RGBa", "LA", "La", "PA") or (
        bitmap.mode == "P" and "transparency" in bitmap.info
    )
    # A grey or palette profile does not describe RGB pixels, so it cannot be kept.
    return bitmap.convert("RGBA" if has_alpha else "RGB"), None


def _encode(bitmap, encoding, profile):
    if encoding.name == "jpeg" and bitmap.mode == "RGBA":
        flat = PIL.Image.new("RGB", bitmap.size, (255, 255, 255))
        flat.paste(bitmap, mask=bitmap.getchannel("A"))
        bitmap = flat
    options = dict(encoding.options)
    if profile:
        options["icc_profile"] = profile
    buffer = io.BytesIO()
    bitmap.save(buffer, encoding.pillow_name, **options)
    return buffer.getvalue()


def render_renditions(data, focal, crop_names):
    """Every rendition of the named crops, made from the original image's bytes.

    {crop name: [Rendered, …]}. The image is turned upright first; an animation gives its
    first frame.
    """
    with PIL.Image.open(io.BytesIO(data)) as opened:
        # A JPEG is decoded straight at a reduced scale when even that is large enough.
        opened.draft(None, (LARGEST_WIDTH, LARGEST_WIDTH))
        bitmap = ImageOps.exif_transpose(opened)
    bitmap, profile = _displayable(bitmap)
    results = {}
    for crop_name in crop_names:
        crop = CROPS[crop_name]
        box = crop_box(bitmap.size, crop.ratio, focal)
        box_width, box_height = box[2] - box[0], box[3] - box[1]
        rendered = []
        for width in widths_for(crop, box_width):
            height = max(1, round(width * box_height / box_width))
            resized = bitmap.resize(
                (width, height), PIL.Image.Resampling.LANCZOS, box=box, reducing_gap=3.0
            )
            for format_name in crop.formats:
                encoded = _encode(resized, FORMATS[format_name], profile)
                rendered.append(Rendered(format_name, width, height, encoded))
        results[crop_name] = rendered
    return results


def _made_for(image, crop):
    """What a crop's renditions depend on: the file, the focal point for a real crop, VERSION."""
    return {
        "source": image.file.name,
        "focal": None if crop.ratio is None else [image.focal_x, image.focal_y],
        "version": VERSION,
    }


def _is_current(image, crop, entry, storage=None):
    if not entry or any(entry.get(key) != value for key, value in _made_for(image, crop).items()):
        return False
    formats = {file["format"] for file in entry.get("files", [])}
    if formats != set(crop.formats):
        return False
    return storage is None or all(storage.exists(file["name"]) for file in entry["files"])


def stale_crops(image, check_storage=False):
    """The crops whose renditions are missing or out of date; with `check_storage`, also those
    with a file gone from storage."""
    storage = image.file.storage if check_storage else None
    record = image.renditions or {}
    return [
        crop.name for crop in CROPS.values()
        if not _is_current(image, crop, record.get(crop.name), storage)
    ]


def _rendition_name(image, crop, rendered):
    folder, filename = posixpath.split(image.file.name)
    stem = filename.rsplit(".", 1)[0]
    # The file name changes with whatever the rendition was made from, so a browser or a cache
    # never keeps an old crop under a new focal point.
    digest = hashlib.sha256(repr(sorted(_made_for(image, crop).items())).encode()).hexdigest()
    extension = FORMATS[rendered.format].extension
    return posixpath.join(
        folder, "renditions", stem, f"{crop.name}-{rendered.width}-{digest[:10]}.{extension}"
    )


def make_renditions(image, crops=None):
    """Make and store whatever renditions of a saved image are missing or out of date.

    Given `crops` (names), remake those whatever their state. Returns the names of the files
    written. Files the new renditions replace are deleted once the database has recorded them.
    """
    if not image.pk or not image.file:
        return []
    crop_names = stale_crops(image) if crops is None else list(crops)
    if not crop_names:
        return []
    storage = image.file.storage
    with storage.open(image.file.name, "rb") as original:
        data = original.read()
    rendered = render_renditions(data, (image.focal_x, image.focal_y), crop_names)

    record = {name: entry for name, entry in (image.renditions or {}).items() if name in CROPS}
    replaced = []
    written = []
    try:
        for crop_name, outputs in rendered.items():
            crop = CROPS[crop_name]
            files = []
            for output in outputs:
                name = storage.save(
                    _rendition_name(image, crop, output), ContentFile(output.data)
                )
                written.append(name)
                files.append({
                    "format": output.format, "width": output.width, "height": output.height,
                    "bytes": len(output.data), "name": name,
                })
            replaced += [file["name"] for file in record.get(crop_name, {}).get("files", [])]
            record[crop_name] = {**_made_for(image, crop), "files": files}
        type(image).objects.filter(pk=image.pk).update(renditions=record)
    except BaseException:
        for name in written:
            storage.delete(name)
        raise
    image.renditions = record
    content_changed()  # pages now offer the new files, and no page may point at the old ones
    transaction.on_commit(lambda: _delete_files(storage, replaced))
    return written


def rendition_names(image):
    return [
        file["name"]
        for entry in (image.renditions or {}).values()
        for file in entry.get("files", [])
    ]


def delete_image_files(image):
    """Remove a deleted image's original and renditions from storage."""
    storage = image.file.storage
    _delete_files(storage, [*rendition_names(image), image.file.name])


def _delete_files(storage, names):
    for name in names:
        if name:
            storage.delete(name)


# Serving renditions.


@dataclass(frozen=True)
class Source:
    media_type: str
    srcset: str


@dataclass(frozen=True)
class Picture:
    """What a <picture> needs: a source per modern format and a JPEG <img> for the rest."""

    src: str
    width: int
    height: int
    srcset: str = ""
    sources: tuple[Source, ...] = ()


def _usable_files(image, crop_name):
    """The renditions of this crop made from the image's current file, or []."""
    entry = (image.renditions or {}).get(crop_name)
    if not entry or entry.get("source") != image.file.name:
        return []
    return entry.get("files", [])


def _srcset(storage, files):
    return ", ".join(f"{storage.url(file['name'])} {file['width']}w" for file in files)


def picture(image, crop_name="original"):
    """The <picture> for one crop of the image, from its stored renditions only.

    Without renditions — not made yet, or made from a file since replaced — it is the original
    file, and the log says so: a page view never makes them.
    """
    files = _usable_files(image, crop_name)
    storage = image.file.storage
    by_format = {}
    for file in sorted(files, key=lambda file: file["width"]):
        by_format.setdefault(file["format"], []).append(file)
    fallback = by_format.get(FALLBACK_FORMAT)
    if not fallback:
        logger.warning(
            "Image %s has no %s renditions; serving its original file. "
            "Run `manage.py make_renditions` to make them.", image.pk, crop_name,
        )
        return Picture(src=image.file.url, width=image.width, height=image.height)
    largest = fallback[-1]
    # The src is for browsers that ignore srcset: a middling size.
    middle = [file for file in fallback if file["width"] <= 960][-1:] or fallback[:1]
    return Picture(
        src=storage.url(middle[0]["name"]),
        width=largest["width"],
        height=largest["height"],
        srcset=_srcset(storage, fallback),
        sources=tuple(
            Source(FORMATS[name].media_type, _srcset(storage, by_format[name]))
            for name in PUBLIC_FORMATS
            if name != FALLBACK_FORMAT and name in by_format
        ),
    )


@dataclass(frozen=True)
class StoredFile:
    url: str
    width: int
    height: int
    media_type: str
    bytes: int | None = None


def best_file(image, crop_name="original", format_name=FALLBACK_FORMAT, min_width=None):
    """One stored rendition: the smallest at least `min_width` wide, or the largest there is.

    Falls back to the original file (without logging) when there is none; for feeds, metadata
    and the admin's thumbnails.
    """
    files = sorted(
        (file for file in _usable_files(image, crop_name) if file["format"] == format_name),
        key=lambda file: file["width"],
    )
    if not files:
        return StoredFile(image.file.url, image.width, image.height, _original_media_type(image))
    wide_enough = [file for file in files if min_width is None or file["width"] >= min_width]
    file = wide_enough[0] if min_width is not None and wide_enough else files[-1]
    return StoredFile(
        image.file.storage.url(file["name"]), file["width"], file["height"],
        FORMATS[format_name].media_type, file.get("bytes"),
    )


ORIGINAL_MEDIA_TYPES = {
    "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp",
    "gif": "image/gif", "avif": "image/avif",
}


def _original_media_type(image):
    extension = image.file.name.rsplit(".", 1)[-1].lower()
    return ORIGINAL_MEDIA_TYPES.get(extension, "application/octet-stream")
