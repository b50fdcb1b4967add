"""The lead image dialog's thumbnails: squares beside text that names the picture, so their alt
text is empty (a screen reader would otherwise read the picture's description twice)."""

from django import template
from django.utils.html import format_html

from ..images.renditions import best_file

register = template.Library()


@register.simple_tag
def beside_text_thumbnail(image, size):
    square = best_file(image, "1x1", "webp", min_width=size * 2)
    return format_html(
        '<img src="{}" alt="" width="{}" height="{}" class="thumbnail">', square.url, size, size
    )
