from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from ..images import renditions

register = template.Library()

LOADING = {
    # The lead image of a page is fetched first; the others wait until the reader scrolls near.
    True: mark_safe(' loading="eager" fetchpriority="high"'),  # nosec B308, B703  # fixed text
    False: mark_safe(' loading="lazy"'),  # nosec B308, B703  # fixed text
}


@register.simple_tag
def picture(image, crop="original", sizes="100vw", lead=False):
    """A <picture> of one crop of the image, from its stored renditions.

    `sizes` says how wide the image is shown, as in HTML. Written in Python rather than as a
    template: a listing shows a dozen, and a template's loops cost several times as much.
    """
    found = renditions.picture(image, crop)
    sources = format_html_join(
        "", '<source type="{}" srcset="{}" sizes="{}">',
        ((source.media_type, source.srcset, sizes) for source in found.sources),
    )
    srcset = format_html(' srcset="{}" sizes="{}"', found.srcset, sizes) if found.srcset else ""
    return format_html(
        '<picture>{}<img src="{}"{} alt="{}" width="{}" height="{}"{}></picture>',
        sources, found.src, srcset, image.alt_text, found.width, found.height, LOADING[bool(lead)],
    )
