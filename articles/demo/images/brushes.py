"""What every painter draws with: colours, their mixing, a gradient sky and a soft glow."""

from PIL import Image as PILImage
from PIL import ImageDraw, ImageFilter


def rgb(colour):
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def rgba(colour, alpha):
    return (*rgb(colour), alpha)


def mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def gradient(w, h, stops):
    """A vertical gradient through `stops`, a list of (position 0–1, colour)."""
    stops = [(position, rgb(colour)) for position, colour in stops]
    rows = []
    for y in range(h):
        t = y / (h - 1)
        for (p0, c0), (p1, c1) in zip(stops, stops[1:], strict=False):
            if t <= p1:
                rows.append(mix(c0, c1, 0 if p1 == p0 else (t - p0) / (p1 - p0)))
                break
        else:
            rows.append(stops[-1][1])
    column = PILImage.new("RGB", (1, h))
    column.putdata(rows)
    return column.resize((w, h), PILImage.Resampling.NEAREST)


def glow(canvas, x, y, radius, colour, strength=1.0):
    """A soft round light: drawn small, blurred and scaled up, which is fast and smooth."""
    w, h = canvas.size
    f = 16
    small = PILImage.new("L", (w // f, h // f), 0)
    r = radius / f
    ImageDraw.Draw(small).ellipse(
        (x / f - r, y / f - r, x / f + r, y / f + r), fill=round(255 * strength)
    )
    small = small.filter(ImageFilter.GaussianBlur(r / 2))
    mask = small.resize((w, h), PILImage.Resampling.BILINEAR)
    canvas.paste(rgb(colour), (0, 0, w, h), mask)
