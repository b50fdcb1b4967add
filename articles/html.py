"""The body's HTML: one allow-list, applied on the server whatever the browser sends."""

import re
from urllib.parse import urljoin

import nh3

BODY_TAGS = {
    "p", "br", "h2", "h3", "strong", "em", "b", "i", "a",
    "ul", "ol", "li", "blockquote",
}
BODY_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}

# XML 1.0 forbids most C0 control characters; a pasted vertical tab would break every feed reader.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")

_cleaner = nh3.Cleaner(
    tags=BODY_TAGS,
    attributes=BODY_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer",
    strip_comments=True,
)


def strip_control_characters(text):
    """The text without the characters XML forbids; tabs and line breaks are kept."""
    return CONTROL_CHARACTERS.sub("", text or "")


def clean_body(html):
    """Sanitise an article body against the allow-list; an empty editor gives ""."""
    # Stripped after cleaning: the cleaner turns a character reference such as &#11; into the
    # character itself.
    cleaned = strip_control_characters(_cleaner.clean(html)).strip()
    # Paragraphs and line breaks with nothing in them are an empty body.
    if not re.sub(r"</?p>|<br>|\s", "", cleaned):
        return ""
    return cleaned


def absolutise_links(html, base_url):
    """The body with every link made absolute, for feed readers that see it out of context."""

    def make_absolute(tag, attribute, value):
        if attribute == "href":
            return urljoin(base_url, value)
        return value

    return nh3.clean(
        html,
        tags=BODY_TAGS,
        attributes=BODY_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        attribute_filter=make_absolute,
    )
