"""Wire articles: plain-text agency copy turned into a draft (or published) article.

The format, one item per line (blank lines are ignored):

    Headline
    Optional caption. Photo courtesy of CREDIT under LICENCE.
    A paragraph, or a subheading: a line of at most 80 characters not ending in . ! " or ”
    …
    References: First title | Second title

The photo line may also end in "Photo: CREDIT" or "Photo by CREDIT", each with an optional
"under LICENCE". The image itself is a separate file.

An article is refused, before anything is written, when it is larger than any real article: a file
over NEWSROOM_WIRE_MAX_BYTES (checked before it is read), text over NEWSROOM_WIRE_MAX_CHARACTERS,
or a line, a paragraph count or a References line past the limits below.
"""

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.html import escape
from django.utils.text import Truncator, slugify

from .html import strip_control_characters
from .images.duplicates import record_pixel_digest
from .images.orphans import delete_orphans_beside
from .images.renditions import make_renditions
from .images.uploads import check_image_upload, cleaned_copy
from .models import Article, Author, Byline, Image, Licence, Reference, Section
from .publishing import publish as publish_article
from .slugs import unique_slug
from .tagging import clean_tag_names

SUBHEADING_MAX_LENGTH = 80
PARAGRAPH_ENDINGS = (".", "!", '"', "”")
REFERENCES_PREFIX = "References:"

# Limits on an article's shape, far beyond what agency copy has: a paragraph of a few hundred words
# is long, a long read has a few hundred paragraphs. A line of 10,000 characters is a file that
# has lost its line breaks, not a paragraph.
LINE_MAX_LENGTH = 10_000
MAX_PARAGRAPHS = 2_000
MAX_REFERENCES = 100
MAX_TAGS = 50

# The last "Photo courtesy of / Photo: / Photo by" on the line starts the credit; anything before
# it is the caption.
PHOTO_LINE = re.compile(
    r"^(?:(?P<caption>.*)\s)?Photo(?:\s+(?i:courtesy\s+of)|:|\s+(?i:by))\s+(?P<credit>.+)$"
)
# Licence names never contain " under ", so the last one separates credit from licence.
CREDIT_AND_LICENCE = re.compile(r"^(?P<credit>.+)\s+(?i:under)\s+(?P<licence>.+)$")

# A credit with no licence tells us nothing about the terms, so we claim none for the reader:
# "all rights reserved" is the one choice that can never overstate what we are allowed to do.
DEFAULT_LICENCE = Licence.ALL_RIGHTS_RESERVED


class WireImportError(Exception):
    """An article that cannot be imported; the message is one line, fit to show an editor."""


class WireFormatError(WireImportError):
    """The article's text does not follow the wire format."""


@dataclass
class WireArticle:
    headline: str
    caption: str = ""
    credit: str = ""
    licence: str | None = None
    body_html: str = ""
    references: list[str] = field(default_factory=list)

    @property
    def has_photo(self):
        return bool(self.credit)


def _licence_key(text):
    return re.sub(r"[\s_-]+", "-", text.strip().lower())


def _licence_names():
    names = {}
    for licence in Licence:
        for name in (licence.value, licence.label):
            key = _licence_key(name)
            names[key] = licence
            # Agencies often leave the version off: "CC BY-SA", "CC0".
            names.setdefault(re.sub(r"-\d+(\.\d+)*$", "", key), licence)
    return names


LICENCE_NAMES = _licence_names()


def parse_licence(text):
    """The Licence named by `text` (a label or value, in any case), or WireFormatError."""
    try:
        return LICENCE_NAMES[_licence_key(text)]
    except KeyError:
        known = ", ".join(licence.label for licence in Licence)
        raise WireFormatError(f"Unknown photo licence “{text}”; use one of: {known}.") from None


def _file_size(size):
    return filesizeformat(size).replace("\xa0", " ")


def _too_large(size=None):
    limit = settings.NEWSROOM_WIRE_MAX_BYTES
    if size is None:
        return WireFormatError(
            f"The story is larger than {_file_size(limit)}, the most a wire story may be."
        )
    size_text, limit_text = _file_size(size), _file_size(limit)
    if size_text == limit_text:  # "1.0 MB; at most 1.0 MB" would puzzle: the bytes differ
        size_text, limit_text = f"{size:,} bytes", f"{limit:,} bytes"
    return WireFormatError(
        f"The story file is {size_text}; a wire story may be at most {limit_text}."
    )


def read_wire_file(path):
    """The text of a wire file, refused unread when it is larger than a wire article may be.

    Raises OSError when the file cannot be read, WireFormatError when it is not an article's text.
    """
    limit = settings.NEWSROOM_WIRE_MAX_BYTES
    with open(path, "rb") as file:
        size = os.fstat(file.fileno()).st_size
        if size > limit:
            raise _too_large(size)
        # A pipe or a device has no size to ask: read one byte past the limit to know.
        data = file.read(limit + 1)
    if len(data) > limit:
        raise _too_large()
    return decode_wire_text(data)


def decode_wire_text(data):
    """The text of a wire file's bytes: strict UTF-8, without a byte-order mark or CR line ends."""
    if b"\x00" in data:
        raise WireFormatError("The story file is binary, not text.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise WireFormatError(
            f"The story file is not UTF-8 text (byte {data[error.start]:#04x} "
            f"at position {error.start})."
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _parse_photo_line(line):
    match = PHOTO_LINE.match(line)
    if not match:
        return None
    caption = (match["caption"] or "").strip()
    credit, licence = match["credit"].strip().removesuffix(".").strip(), None
    if with_licence := CREDIT_AND_LICENCE.match(credit):
        credit, licence = with_licence["credit"].strip(), with_licence["licence"].strip()
    if not credit:
        raise WireFormatError("The photo line names no one after “Photo”.")
    return caption, credit, parse_licence(licence) if licence else DEFAULT_LICENCE


def _block(line):
    short = len(line) <= SUBHEADING_MAX_LENGTH and not line.endswith(PARAGRAPH_ENDINGS)
    tag = "h2" if short else "p"
    return f"<{tag}>{escape(line)}</{tag}>"


def parse_wire_article(text):
    """Read a wire article's text into a WireArticle, or raise WireFormatError."""
    # For callers that pass the text itself. A character is at least one byte in the file, so
    # only text short enough to be within the limit is encoded to measure it.
    limit = settings.NEWSROOM_WIRE_MAX_BYTES
    if len(text) > limit or len(text.encode(errors="replace")) > limit:
        raise _too_large()
    if "\x00" in text:
        raise WireFormatError("The story is binary, not text.")
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    numbered = [
        (number, strip_control_characters(line).strip())
        for number, line in enumerate(text.split("\n"), start=1)
    ]
    for number, line in numbered:
        if len(line) > LINE_MAX_LENGTH:
            raise WireFormatError(
                f"Line {number} has {len(line):,} characters; a line may have at most "
                f"{LINE_MAX_LENGTH:,}. Each paragraph goes on a line of its own."
            )
    lines = [line for _, line in numbered if line]
    if not lines:
        raise WireFormatError("The story is empty.")

    headline, *rest = lines
    # A headline may start "Photo:", but a photo line also ends in a full stop; headlines do not.
    is_photo_line = PHOTO_LINE.match(headline) and headline.endswith(".")
    if is_photo_line or headline.startswith(REFERENCES_PREFIX):
        raise WireFormatError(f"The story has no headline: its first line is “{headline[:60]}”.")
    article = WireArticle(headline=headline)

    if rest and (photo := _parse_photo_line(rest[0])):
        article.caption, article.credit, article.licence = photo
        rest = rest[1:]

    if rest and rest[-1].startswith(REFERENCES_PREFIX):
        titles = rest.pop().removeprefix(REFERENCES_PREFIX).split("|")
        article.references = [title.strip() for title in titles if title.strip()]
        if len(article.references) > MAX_REFERENCES:
            raise WireFormatError(
                f"The References line names {len(article.references):,} sources; a story may "
                f"cite at most {MAX_REFERENCES}."
            )
    for line in rest:
        if line.startswith(REFERENCES_PREFIX):
            raise WireFormatError("The References line must be the last line of the story.")

    if not rest:
        raise WireFormatError("The story has a headline but no text.")
    if len(rest) > MAX_PARAGRAPHS:
        raise WireFormatError(
            f"The story has {len(rest):,} paragraphs and subheadings; a wire story may have at "
            f"most {MAX_PARAGRAPHS:,}."
        )
    characters, max_characters = sum(map(len, rest)), settings.NEWSROOM_WIRE_MAX_CHARACTERS
    if characters > max_characters:
        raise WireFormatError(
            f"The story's text has {characters:,} characters; a wire story may have at most "
            f"{max_characters:,}."
        )
    article.body_html = "\n".join(_block(line) for line in rest)
    return article


def _one_line(error):
    if hasattr(error, "error_dict"):
        messages = [
            message if name == "__all__" else f"{name.replace('_', ' ')}: {message}"
            for name, field_messages in error.message_dict.items()
            for message in field_messages
        ]
    else:
        messages = error.messages
    return " ".join(" ".join(messages).split())


def _clean(instance, what, **kwargs):
    try:
        instance.full_clean(**kwargs)
    except ValidationError as error:
        raise WireImportError(f"{what} is not valid: {_one_line(error)}") from None


def _unique_slug(model, text, fallback):
    return unique_slug(model, slugify(text) or fallback)


def _tag_names(tags):
    if isinstance(tags, str):
        tags = tags.split(",")
    try:
        names = clean_tag_names(tags)
    except ValidationError as error:
        raise WireImportError(_one_line(error)) from None
    if len(names) > MAX_TAGS:
        raise WireImportError(
            f"{len(names):,} tags were given; a story may have at most {MAX_TAGS}."
        )
    return names


def _open_image(image_path):
    """The image, checked in full and cleaned as an upload is, or WireImportError."""
    path = Path(image_path)
    try:
        image_file = File(path.open("rb"), name=path.name)
    except OSError as error:
        raise WireImportError(f"Cannot read the image {path}: {error.strerror}.") from None
    try:
        check_image_upload(image_file)
        return cleaned_copy(image_file)
    except ValidationError as error:
        raise WireImportError(f"The image {path.name} is not usable: {_one_line(error)}") from None
    finally:
        image_file.close()


def _find_or_make_author(name):
    # Names are not unique; the longest-standing author of that name keeps their bylines.
    author = Author.objects.filter(name__iexact=name).order_by("pk").first()
    if author is None:
        author = Author(name=name, slug=_unique_slug(Author, name, "author"))
        _clean(author, f"The author “{name}”")
        author.save()
    return author


def import_wire_article(
    text,
    *,
    section_slug,
    image_path=None,
    tags=(),
    author_name=None,
    publish=False,
    uploaded_by=None,
):
    """Create an article from a wire article's text; a draft unless `publish` is true.

    Everything is checked before anything is kept: on any WireImportError the database is
    unchanged and no image is left in storage.
    """
    wired = parse_wire_article(text)
    section = Section.objects.filter(slug=section_slug).first()
    if section is None:
        known = ", ".join(Section.objects.values_list("slug", flat=True)) or "none yet"
        raise WireImportError(f"Unknown section “{section_slug}” (sections: {known}).")
    if wired.has_photo and not image_path:
        raise WireImportError("The story has a photo line but no image file was given.")
    if image_path and not wired.has_photo:
        raise WireImportError(
            "An image file was given but the story has no photo line to credit it."
        )
    # Cleaned as the saved author's name will be, so that it finds that author, and so that a
    # name of nothing but control characters is refused rather than saved empty.
    if author_name is not None:
        author_name = strip_control_characters(author_name).strip()
        if not author_name:
            raise WireImportError("The author name is empty.")
    tag_names = _tag_names(tags or ())

    image_file = _open_image(image_path) if image_path else None
    stored_files = []
    try:
        with transaction.atomic(), reversion.create_revision():
            reversion.set_user(uploaded_by)
            reversion.set_comment("Imported from a wire story.")
            image = None
            if image_file:
                image = Image(
                    alt_text=Truncator(wired.caption or wired.headline).chars(300),
                    caption=wired.caption,
                    credit=wired.credit,
                    licence=wired.licence,
                    uploaded_by=uploaded_by,
                )
                _clean(image, "The photo", exclude=["file"])
                image.file.save(image_file.name, image_file, save=False)
                stored_files.append(image.file.name)
                record_pixel_digest(image)
                image.save()
                stored_files += make_renditions(image)
                delete_orphans_beside(image)

            article = Article(
                headline=wired.headline,
                slug=_unique_slug(Article, wired.headline, "article"),
                body=wired.body_html,
                section=section,
                lead_image=image,
                created_by=uploaded_by,
            )
            _clean(article, "The article")
            article.save()

            if author_name:
                author = _find_or_make_author(author_name)
                byline = Byline(article=article, author=author, position=0)
                _clean(byline, "The byline")
                byline.save()

            for position, title in enumerate(wired.references):
                reference = Reference(article=article, position=position, title=title)
                _clean(reference, f"Reference {position + 1}")
                reference.save()

            if tag_names:
                article.tags.set(tag_names)
            if publish:
                try:
                    publish_article(article, by=uploaded_by)
                except ValidationError as error:
                    raise WireImportError(
                        f"The story cannot be published: {_one_line(error)}"
                    ) from None
    except BaseException:
        # The rollback forgets the Image row but not the files already written to storage.
        storage = Image._meta.get_field("file").storage
        for name in stored_files:
            storage.delete(name)
        raise
    return article
