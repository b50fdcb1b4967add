"""The small square of an image that the admin's lists show, cropped around its focal point."""

from django.utils.html import format_html

from .renditions import best_file


def thumbnail(image, size=80):
    """A small square of the image, cropped around its focal point."""
    if image is None or not image.file:
        return "—"
    square = best_file(image, "1x1", "webp", min_width=size * 2)
    return format_html(
        '<img src="{}" alt="{}" width="{}" height="{}" class="thumbnail">',
        square.url,
        image.alt_text,
        size,
        size,
    )
