import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .. import metadata

register = template.Library()

# The same escapes as Django's json_script: with no "<", ">" or "&" left, a headline such as
# "</script>" cannot end the element early. json_script itself cannot set the ld+json type.
SCRIPT_SAFE = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def structured_data(data):
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(SCRIPT_SAFE)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308  # nosec B308, B703  # escaped as json_script does


@register.simple_tag(takes_context=True)
def article_structured_data(context, article):
    return structured_data(metadata.article_data(article, context["request"]))


@register.simple_tag
def share_image(image):
    return metadata.share_image(image)


@register.simple_tag(takes_context=True)
def site_structured_data(context):
    return structured_data(metadata.site_data(context["request"]))
