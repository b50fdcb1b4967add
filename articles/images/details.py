"""What a photo file says about itself: who made it, who to credit, its caption and licence.

Cameras, phones and agencies write these in three places — XMP, IPTC and EXIF — and the upload
form offers them to the editor to confirm. XMP is the current standard and wins; IPTC comes
next; EXIF's few text fields last.
"""

import re
import xml.etree.ElementTree as ElementTree  # nosec B405  # see _xmp_packet and _from_xmp
from dataclasses import dataclass

import PIL.Image
from PIL import ExifTags, IptcImagePlugin

from ..html import strip_control_characters
from ..models import LICENCE_URLS, Licence

RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DC = "{http://purl.org/dc/elements/1.1/}"
PHOTOSHOP = "{http://ns.adobe.com/photoshop/1.0/}"
XMP_RIGHTS = "{http://ns.adobe.com/xap/1.0/rights/}"
CREATIVE_COMMONS = "{http://creativecommons.org/ns#}"
IPTC_CORE = "{http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/}"

# An XMP packet is a few kilobytes; a big one, or one with a DTD (which XMP never needs, and
# which is how entity-expansion attacks begin), is not read at all.
XMP_MAX_BYTES = 256 * 1024

IPTC_BY_LINE = (2, 80)
IPTC_CREDIT = (2, 110)
IPTC_COPYRIGHT = (2, 116)
IPTC_CAPTION = (2, 120)
IPTC_CHARACTER_SET = (1, 90)
IPTC_UTF8 = b"\x1b%G"

# What some cameras write as a "description" of every photo they take.
CAMERA_BOILERPLATE = re.compile(
    r"^(?:[A-Z0-9]+\s+)?(?:DIGITAL\s+CAMERA|DSC|DCIM|IMG|SAMSUNG|CAMERA)(?:\s+[A-Z0-9]+)?$"
)
# "© 2026 Ana Ruiz. All rights reserved." → "Ana Ruiz"
COPYRIGHT_WORDS = re.compile(
    r"^\s*(?:©|\(c\)|copyright)(?:\s*(?:©|\(c\)))?\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?[\s,.:]*"
    r"|[\s,.]*all rights reserved\.?\s*$",
    re.IGNORECASE,
)


@dataclass
class PhotoDetails:
    creator: str = ""
    credit_line: str = ""
    copyright_notice: str = ""
    description: str = ""
    alt_text: str = ""
    licence_url: str = ""

    @property
    def credit(self):
        """The credit as we print it: “Maker / Agency”, or whichever of them the file names."""
        creator, line = self.creator, self.credit_line
        if creator and line and creator.casefold() not in line.casefold():
            return _fit(f"{creator} / {line}", 200)
        if line or creator:
            return line or creator
        # Only a copyright line: its holder is who to credit.
        return _fit(COPYRIGHT_WORDS.sub("", self.copyright_notice).strip(), 200)

    @property
    def licence(self):
        return licence_for_url(self.licence_url)

    def form_values(self):
        """The image form's fields this file can fill in, by field name."""
        values = {
            "alt_text": _fit(self.alt_text, 300),
            "caption": _fit(self.description, 2000),
            "credit": self.credit,
            "copyright_notice": _fit(self.copyright_notice, 300),
            "licence": self.licence or "",
        }
        return {name: value for name, value in values.items() if value}


def _normal_licence_url(url):
    url = url.strip().lower()
    url = re.sub(r"^https?://(?:www\.)?", "", url)
    url = re.sub(r"/(?:deed(?:\.[a-z_-]+)?|legalcode(?:\.[a-z_-]+)?)?$", "", url)
    return url.rstrip("/")


KNOWN_LICENCE_URLS = {_normal_licence_url(url): licence for licence, url in LICENCE_URLS.items()}


def licence_for_url(url):
    """Our Licence for a licence's web address, in any of the forms in use, or None."""
    if not url:
        return None
    licence = KNOWN_LICENCE_URLS.get(_normal_licence_url(url))
    return Licence(licence) if licence else None


def read_photo_details(upload):
    """The details a checked upload carries about itself; empty ones where it carries none."""
    upload.seek(0)
    try:
        with PIL.Image.open(upload) as bitmap:
            sources = [_from_xmp(bitmap), _from_iptc(bitmap), _from_exif(bitmap)]
    except (OSError, ValueError, SyntaxError, EOFError):
        return PhotoDetails()
    finally:
        upload.seek(0)
    details = PhotoDetails()
    for name in vars(details):
        for source in sources:
            if value := source.get(name):
                setattr(details, name, value)
                break
    return details


def _text(value):
    """One clean line of text: no control characters, runs of space made one."""
    if isinstance(value, bytes):
        value = _decode(value)
    value = strip_control_characters(str(value).replace("\x00", " "))
    return " ".join(value.split())


def _fit(text, limit):
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _decode(data, utf8=False):
    if utf8:
        return data.decode("utf-8", "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


# XMP


def _xmp_packet(bitmap):
    packet = bitmap.info.get("xmp") or bitmap.info.get("XML:com.adobe.xmp")
    if isinstance(packet, str):
        packet = packet.encode("utf-8")
    if not packet or len(packet) > XMP_MAX_BYTES:
        return None
    packet = packet.strip(b"\x00 \t\r\n")
    upper = packet.upper()
    if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
        return None
    return packet


def _from_xmp(bitmap):
    packet = _xmp_packet(bitmap)
    if packet is None:
        return {}
    try:
        root = ElementTree.fromstring(packet)  # nosec B314  # small, no DTD: see _xmp_packet
    except ElementTree.ParseError:
        return {}
    descriptions = list(root.iter(f"{RDF}Description"))

    def value(tag, join=False):
        for description in descriptions:
            if tag in description.attrib:
                return _text(description.attrib[tag])
            element = description.find(tag)
            if element is None:
                continue
            if resource := element.get(f"{RDF}resource"):
                return _text(resource)
            items = element.findall(f".//{RDF}li")
            if not items:
                return _text(element.text or "")
            texts = [_text(item.text or "") for item in items]
            if join:
                return ", ".join(text for text in texts if text)
            default = [item for item in items if item.get(XML_LANG) == "x-default"]
            return _text((default or items)[0].text or "")
        return ""

    return {
        "creator": value(f"{DC}creator", join=True),
        "credit_line": value(f"{PHOTOSHOP}Credit"),
        "copyright_notice": value(f"{DC}rights"),
        "description": value(f"{DC}description"),
        "alt_text": value(f"{IPTC_CORE}AltTextAccessibility"),
        "licence_url": value(f"{XMP_RIGHTS}WebStatement") or value(f"{CREATIVE_COMMONS}license"),
    }


# IPTC (the IIM records inside a JPEG's Photoshop block)


def _from_iptc(bitmap):
    try:
        records = IptcImagePlugin.getiptcinfo(bitmap) or {}
    except (OSError, SyntaxError, ValueError, IndexError):
        return {}
    utf8 = records.get(IPTC_CHARACTER_SET) == IPTC_UTF8

    def value(key, join=False):
        found = records.get(key)
        if found is None:
            return ""
        items = found if isinstance(found, list) else [found]
        texts = [_text(_decode(item, utf8)) for item in items]
        texts = [text for text in texts if text]
        return ", ".join(texts) if join else (texts[0] if texts else "")

    return {
        "creator": value(IPTC_BY_LINE, join=True),
        "credit_line": value(IPTC_CREDIT),
        "copyright_notice": value(IPTC_COPYRIGHT),
        "description": value(IPTC_CAPTION),
    }


# EXIF


def _from_exif(bitmap):
    try:
        exif = bitmap.getexif()
    except (OSError, SyntaxError, ValueError):
        return {}

    def value(tag):
        found = exif.get(tag)
        return _text(found) if isinstance(found, (str, bytes)) else ""

    description = value(ExifTags.Base.ImageDescription)
    if CAMERA_BOILERPLATE.match(description):
        description = ""
    # EXIF's copyright may hold the photographer's and the editor's, split by a NUL.
    copyright_notice = exif.get(ExifTags.Base.Copyright)
    if isinstance(copyright_notice, str):
        copyright_notice = _text(copyright_notice.split("\x00")[0])
    return {
        "creator": value(ExifTags.Base.Artist),
        "copyright_notice": copyright_notice if isinstance(copyright_notice, str) else "",
        "description": description,
    }
