from django import template

from .. import renditions

register = template.Library()


@register.inclusion_tag("articles/includes/picture.html")
def picture(image, crop="original", sizes="100vw", lead=False):
    """A <picture> of one crop of the image, from its stored renditions.

    `sizes` says how wide the picture is shown, as in HTML. The `lead` picture of a page is
    fetched first; the others wait until the reader scrolls near them.
    """
    return {
        "image": image,
        "picture": renditions.picture(image, crop),
        "sizes": sizes,
        "lead": lead,
    }
