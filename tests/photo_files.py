"""Photo files made in memory for the tests, carrying the metadata cameras and agencies write."""

import io
import struct
import zlib

import PIL.Image
from PIL import ExifTags, ImageCms, PngImagePlugin

GPS_LATITUDE = (51.0, 30.0, 12.5)
CAMERA_SERIAL = "SERIAL-4471-PRIVATE"
MAKER_NOTE = b"MAKERNOTE-PRIVATE-BYTES"


def encode(bitmap, image_format="JPEG", **options):
    buffer = io.BytesIO()
    bitmap.save(buffer, image_format, **options)
    return buffer.getvalue()


def plain(size=(64, 48), colour=(200, 90, 40), image_format="JPEG", **options):
    return encode(PIL.Image.new("RGB", size, colour), image_format, **options)


def two_tone(size=(40, 60), top=(220, 30, 30), bottom=(30, 30, 220)):
    """An image whose top half is red and bottom half blue, so a test can tell which way is up."""
    width, height = size
    bitmap = PIL.Image.new("RGB", size, bottom)
    bitmap.paste(top, (0, 0, width, height // 2))
    return bitmap


def phone_exif(orientation=1, artist="Ana Ruiz", copyright_notice="Copyright 2026 Ana Ruiz",
               description=""):
    """What a phone writes: who took it, where (GPS), with what (serial, maker notes)."""
    exif = PIL.Image.Exif()
    exif[ExifTags.Base.Make] = "Harbourphone"
    exif[ExifTags.Base.Model] = "HP 12"
    exif[ExifTags.Base.Orientation] = orientation
    if artist:
        exif[ExifTags.Base.Artist] = artist
    if copyright_notice:
        exif[ExifTags.Base.Copyright] = copyright_notice
    if description:
        exif[ExifTags.Base.ImageDescription] = description
    details = exif.get_ifd(ExifTags.IFD.Exif)
    details[ExifTags.Base.BodySerialNumber] = CAMERA_SERIAL
    details[ExifTags.Base.MakerNote] = MAKER_NOTE
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = GPS_LATITUDE
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (0.0, 7.0, 39.0)
    return exif


def srgb_profile():
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def phone_photo(size=(40, 60), **exif_options):
    """A phone's JPEG, taken sideways (the camera says “turn me”), with GPS and a credit.

    `size` is the photo upright, as the reader should see it.
    """
    upright = two_tone(size)
    # Stored as the sensor saw it; orientation 6 tells viewers to turn it a quarter clockwise.
    sideways = upright.transpose(PIL.Image.Transpose.ROTATE_90)
    return encode(
        sideways, "JPEG", quality=95, exif=phone_exif(orientation=6, **exif_options),
        icc_profile=srgb_profile(), xmp=LOCATION_XMP, comment=f"Body {CAMERA_SERIAL}".encode(),
    )


# Some phones and editors repeat the location in XMP.
LOCATION_XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="51,30.2N" '
    b'exif:GPSLongitude="0,7.65W"/></rdf:RDF></x:xmpmeta>'
)


def iptc_segment(records):
    """A JPEG APP13 segment holding IPTC IIM records, {(record, dataset): text or [texts]}."""
    data = b"\x1c\x01\x5a\x00\x03\x1b\x25\x47"  # 1:90, the character set: UTF-8
    for (record, dataset), values in records.items():
        for value in values if isinstance(values, list) else [values]:
            encoded = value.encode("utf-8")
            data += bytes([0x1C, record, dataset]) + struct.pack(">H", len(encoded)) + encoded
    if len(data) % 2:
        data += b"\x00"
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(data))
    payload = b"Photoshop 3.0\x00" + resource + data
    return b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload


def with_segment(jpeg, segment):
    """The JPEG with a segment inserted straight after its start marker."""
    assert jpeg[:2] == b"\xff\xd8"
    return jpeg[:2] + segment + jpeg[2:]


def jpeg_with_iptc(records, size=(64, 48)):
    return with_segment(plain(size), iptc_segment(records))


def comment_segment(text):
    return b"\xff\xfe" + struct.pack(">H", len(text) + 2) + text


def xmp_packet(creator=None, credit=None, rights=None, description=None, alt_text=None,
               web_statement=None, licence=None, doctype=""):
    """An XMP packet as Photoshop or Lightroom writes one."""
    attributes = []
    elements = []
    if credit:
        attributes.append(f'photoshop:Credit="{credit}"')
    if web_statement:
        attributes.append(f'xmpRights:WebStatement="{web_statement}"')
    if creator:
        items = "".join(f"<rdf:li>{name}</rdf:li>" for name in creator)
        elements.append(f"<dc:creator><rdf:Seq>{items}</rdf:Seq></dc:creator>")
    for tag, text in (("dc:rights", rights), ("dc:description", description),
                      ("Iptc4xmpCore:AltTextAccessibility", alt_text)):
        if text:
            elements.append(
                f'<{tag}><rdf:Alt><rdf:li xml:lang="x-default">{text}</rdf:li></rdf:Alt></{tag}>'
            )
    if licence:
        elements.append(f'<cc:license rdf:resource="{licence}"/>')
    return (
        f'{doctype}<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" '
        'xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/" '
        'xmlns:cc="http://creativecommons.org/ns#" '
        'xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/" '
        f'{" ".join(attributes)}>{"".join(elements)}</rdf:Description></rdf:RDF></x:xmpmeta>'
        '<?xpacket end="w"?>'
    ).encode()


def jpeg_with_xmp(packet, size=(64, 48)):
    return plain(size, xmp=packet)


def png_with_xmp(packet, size=(64, 48)):
    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", packet.decode("utf-8"))
    return plain(size, image_format="PNG", pnginfo=info)


def _png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width, height):
    """A tiny, well-formed PNG whose header claims `width` × `height` pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + _png_chunk(b"IEND", b"")
    )


def jpeg_claiming(width, height):
    """A small JPEG whose frame header claims `width` × `height` pixels."""
    data = bytearray(plain((16, 16)))
    marker = data.index(b"\xff\xc0")  # baseline frame header: length, precision, height, width
    data[marker + 5:marker + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def animation(frames=3, size=(40, 30), image_format="GIF"):
    colours = [(200, 40, 40), (40, 200, 40), (40, 40, 200), (200, 200, 40)]
    bitmaps = [PIL.Image.new("RGB", size, colours[index % 4]) for index in range(frames)]
    buffer = io.BytesIO()
    bitmaps[0].save(
        buffer, image_format, save_all=True, append_images=bitmaps[1:],
        duration=[120 + 10 * index for index in range(frames)], loop=0,
    )
    return buffer.getvalue()
