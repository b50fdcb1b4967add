"""The demo's images: illustrations drawn with Pillow, one painter per kind of image.

Each painter draws one kind of illustration on a canvas twice the final size; shrinking it at
the end smooths every edge. Painters take a seeded random generator, so a seed is an image.
"""

import io
import math
import random

from PIL import Image as PILImage
from PIL import ImageDraw, ImageFilter

WIDTH, HEIGHT = 1600, 900
SUPERSAMPLE = 2
JPEG_QUALITY = 82


def _rgb(colour):
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def _rgba(colour, alpha):
    return (*_rgb(colour), alpha)


def _mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _gradient(w, h, stops):
    """A vertical gradient through `stops`, a list of (position 0–1, colour)."""
    stops = [(position, _rgb(colour)) for position, colour in stops]
    rows = []
    for y in range(h):
        t = y / (h - 1)
        for (p0, c0), (p1, c1) in zip(stops, stops[1:], strict=False):
            if t <= p1:
                rows.append(_mix(c0, c1, 0 if p1 == p0 else (t - p0) / (p1 - p0)))
                break
        else:
            rows.append(stops[-1][1])
    column = PILImage.new("RGB", (1, h))
    column.putdata(rows)
    return column.resize((w, h), PILImage.Resampling.NEAREST)


def _glow(canvas, x, y, radius, colour, strength=1.0):
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
    canvas.paste(_rgb(colour), (0, 0, w, h), mask)


def paint_skyline(rng, w, h):
    """Dusk over the river: two rows of buildings, a setting sun and a line of barrier piers."""
    u = w / 1600
    horizon = round(h * rng.uniform(0.6, 0.66))
    t = horizon / h
    img = _gradient(
        w, h,
        [(0, "#131c3a"), (t * 0.55, "#4d4475"), (t, "#f3a36f"), (t + 0.001, "#2a3458"),
         (1, "#0a1024")],
    )
    sun_x = w * rng.uniform(0.3, 0.7)
    _glow(img, sun_x, horizon, 420 * u, "#ffb77e", 0.75)
    draw = ImageDraw.Draw(img, "RGBA")
    draw.pieslice((sun_x - 70 * u, horizon - 70 * u, sun_x + 70 * u, horizon + 70 * u), 180, 360,
                  fill="#ffd9a3")
    for colour, low, high, lit in (("#4a4370", 70, 260, 0.0), ("#1f1c36", 30, 170, 0.28)):
        x = -rng.uniform(0, 60) * u
        while x < w:
            bw = rng.uniform(50, 150) * u
            bh = rng.uniform(low, high) * u
            top = horizon - bh
            draw.rectangle((x, top, x + bw, horizon), fill=colour)
            if rng.random() < 0.18:
                draw.polygon([(x, top), (x + bw / 2, top - bw * 0.45), (x + bw, top)], fill=colour)
            elif rng.random() < 0.15:
                draw.rectangle((x + bw / 2 - 3 * u, top - 60 * u, x + bw / 2 + 3 * u, top),
                               fill=colour)
            if lit:
                wy = top + 14 * u
                while wy < horizon - 16 * u:
                    wx = x + 10 * u
                    while wx < x + bw - 16 * u:
                        if rng.random() < lit:
                            shade = rng.choice(["#ffd27a", "#ffe7a8", "#f7b767"])
                            draw.rectangle((wx, wy, wx + 8 * u, wy + 11 * u), fill=shade)
                        wx += 18 * u
                    wy += 22 * u
            x += bw + rng.uniform(0, 8) * u
    # Reflections of the sun and the lit windows on the water.
    for _ in range(140):
        y = horizon + rng.uniform(6, h - horizon) * rng.random()
        spread = (1 - (y - horizon) / (h - horizon)) * 0.6 + 0.15
        length = rng.uniform(30, 220) * u * spread * 2
        cx = sun_x + rng.gauss(0, 120 * u)
        draw.line((cx - length / 2, y, cx + length / 2, y), fill=_rgba("#ffc58a", 90),
                  width=max(1, round(3 * u)))
    for _ in range(160):
        x = rng.uniform(0, w)
        y = horizon + rng.uniform(4, 140) * u
        draw.line((x, y, x + rng.uniform(6, 24) * u, y), fill=_rgba("#ffd27a", 70),
                  width=max(1, round(2 * u)))
    # The barrier: piers across the river with a warning light on each.
    pier_y = horizon + (h - horizon) * 0.45
    count = rng.randint(7, 10)
    for i in range(count + 1):
        px = w * (i + 0.5) / (count + 1)
        if i < count:
            nx = w * (i + 1.5) / (count + 1)
            draw.rectangle((px, pier_y - 14 * u, nx, pier_y + 10 * u), fill="#27335a")
        draw.polygon(
            [(px - 16 * u, pier_y - 52 * u), (px + 16 * u, pier_y - 52 * u),
             (px + 26 * u, pier_y + 34 * u), (px - 26 * u, pier_y + 34 * u)],
            fill="#10162e",
        )
        draw.ellipse((px - 13 * u, pier_y - 80 * u, px + 13 * u, pier_y - 54 * u),
                     fill=_rgba("#ff5a4e", 60))
        draw.ellipse((px - 6 * u, pier_y - 73 * u, px + 6 * u, pier_y - 61 * u), fill="#ff6b5e")
    return img


def paint_underwater(rng, w, h):
    """Looking along the harbour bed: shafts of light, a meadow of seagrass, a few fish."""
    u = w / 1600
    img = _gradient(w, h, [(0, "#86d8d2"), (0.3, "#2f94a3"), (1, "#082b3b")])
    _glow(img, w * rng.uniform(0.3, 0.7), -80 * u, 700 * u, "#d8fff6", 0.45)
    draw = ImageDraw.Draw(img, "RGBA")
    for _ in range(8):
        x = rng.uniform(-100, 1700) * u
        top = rng.uniform(18, 60) * u
        drift = rng.uniform(40, 260) * u
        draw.polygon(
            [(x - top, 0), (x + top, 0), (x + drift + top * 4, h), (x + drift - top * 2, h)],
            fill=(255, 255, 255, rng.randint(10, 24)),
        )
    phase = rng.uniform(0, 6.28)

    def bed(x):
        return h * 0.84 + math.sin(x / (260 * u) + phase) * 22 * u + math.sin(x / (90 * u)) * 6 * u

    draw.polygon([(0, h)] + [(x, bed(x)) for x in range(0, w + 40, 40)] + [(w, h)],
                 fill="#3d5f4f")
    for _ in range(40):
        x = rng.uniform(0, w)
        y = rng.uniform(bed(x) + 10 * u, h)
        r = rng.uniform(4, 12) * u
        draw.ellipse((x - r, y - r * 0.6, x + r, y + r * 0.6), fill=(210, 200, 160, 60))
    # Seagrass: back blades darker and shorter, front ones brighter.
    for layer, greens in enumerate(
        (["#1f5a3e", "#28654a"], ["#2f7a46", "#3b8a4e"], ["#4d9e52", "#63b05a", "#3f9449"])
    ):
        for _ in range(70):
            bx = rng.uniform(-30, 1630) * u
            base = bed(bx) + rng.uniform(4, 50) * u + layer * 14 * u
            height = rng.uniform(180, 330 + layer * 110) * u
            sway = rng.uniform(-160, 160) * u
            half = rng.uniform(4, 8) * u
            left, right = [], []
            for step in range(13):
                t = step / 12
                x = bx + sway * t * t
                y = base - height * t
                width = half * (1 - 0.85 * t)
                left.append((x - width, y))
                right.append((x + width, y))
            draw.polygon(left + right[::-1], fill=rng.choice(greens))
    for _ in range(rng.randint(5, 9)):
        fx = rng.uniform(0.15, 0.85) * w
        fy = rng.uniform(0.25, 0.55) * h
        size = rng.uniform(22, 38) * u
        facing = rng.choice([-1, 1])
        colour = (12, 58, 70, 200)
        draw.ellipse((fx - size, fy - size * 0.38, fx + size, fy + size * 0.38), fill=colour)
        tail = fx - facing * size
        draw.polygon([(tail, fy), (tail - facing * size * 0.6, fy - size * 0.4),
                      (tail - facing * size * 0.6, fy + size * 0.4)], fill=colour)
    for _ in range(45):
        x = rng.uniform(0, w)
        y = rng.uniform(0.1, 0.8) * h
        r = rng.uniform(3, 10) * u
        draw.ellipse((x - r, y - r, x + r, y + r), outline=(230, 255, 250, 120),
                     width=max(1, round(2 * u)))
    return img


def paint_bar_chart(rng, w, h):
    """A rising bar chart over a night-blue ground, its last bar picked out in gold."""
    u = w / 1600
    img = _gradient(w, h, [(0, "#0c2230"), (1, "#174257")])
    _glow(img, w * 0.85, h * 0.15, 520 * u, "#2bb3a3", 0.35)
    draw = ImageDraw.Draw(img, "RGBA")
    left, right, base, top = 150 * u, w - 130 * u, h - 120 * u, 140 * u
    for i in range(6):
        y = base - (base - top) * i / 5
        draw.line((left - 30 * u, y, right + 30 * u, y), fill=(255, 255, 255, 26 if i else 110),
                  width=max(1, round(2 * u)))
    count = rng.randint(10, 14)
    values, value = [], rng.uniform(0.25, 0.4)
    for _ in range(count):
        value = min(0.93, max(0.15, value + rng.uniform(-0.07, 0.1)))
        values.append(value)
    values[-1] = max(values) + 0.05
    scale = 0.95 / values[-1]
    slot = (right - left) / count
    tops = []
    for i, v in enumerate(values):
        x0 = left + slot * i + slot * 0.2
        x1 = left + slot * (i + 1) - slot * 0.2
        y = base - (base - top) * v * scale
        tops.append(((x0 + x1) / 2, y))
        fill = "#f2c14e" if i == count - 1 else rng.choice(["#2bb3a3", "#27a195", "#33c1b0"])
        draw.rounded_rectangle((x0, y, x1, base), radius=10 * u, fill=fill)
        draw.rounded_rectangle((x0, y, x1, y + 16 * u), radius=8 * u,
                               fill=(255, 255, 255, 45))
    line = [(x, y - 70 * u) for x, y in tops]
    draw.polygon(line + [(line[-1][0], base), (line[0][0], base)], fill=(255, 255, 255, 16))
    draw.line(line, fill="#f4efe6", width=round(5 * u), joint="curve")
    for x, y in line:
        draw.ellipse((x - 11 * u, y - 11 * u, x + 11 * u, y + 11 * u), fill="#f4efe6")
        draw.ellipse((x - 5 * u, y - 5 * u, x + 5 * u, y + 5 * u), fill="#174257")
    return img


def paint_shopfronts(rng, w, h):
    """A row of small shops along a canal, their awnings striped, reflected in the water."""
    u = w / 1600
    img = _gradient(w, h, [(0, "#fbe9d0"), (0.5, "#f5cfae"), (1, "#f0b993")])
    draw = ImageDraw.Draw(img, "RGBA")
    street = round(h * 0.76)
    canal = round(h * 0.82)
    facades = ["#e07a5f", "#3d405b", "#81b29a", "#f2cc8f", "#b56576", "#5c8d89", "#e9c46a",
               "#6d597a"]
    awnings = ["#d62839", "#1d3557", "#2a9d8f", "#f4a261", "#264653", "#e76f51"]
    rng.shuffle(facades)
    x = -rng.uniform(0, 120) * u
    i = 0
    while x < w:
        sw = rng.uniform(230, 330) * u
        top = rng.uniform(60, 200) * u
        colour = facades[i % len(facades)]
        draw.rectangle((x, top, x + sw, street), fill=colour)
        draw.rectangle((x, top, x + sw, top + 18 * u), fill=(0, 0, 0, 50))
        shop_top = street - 300 * u
        columns = 2 if sw < 280 * u else 3
        gap = sw / columns
        wy = top + 50 * u
        while wy + 90 * u < shop_top - 30 * u:
            for c in range(columns):
                wx = x + gap * c + gap / 2
                draw.rectangle((wx - 24 * u, wy, wx + 24 * u, wy + 80 * u), fill="#2e3b44")
                draw.rectangle((wx - 24 * u, wy, wx + 24 * u, wy + 80 * u),
                               outline=(255, 255, 255, 150), width=round(4 * u))
                draw.line((wx - 30 * u, wy + 84 * u, wx + 30 * u, wy + 84 * u),
                          fill=(255, 255, 255, 120), width=round(6 * u))
            wy += 130 * u
        draw.rectangle((x + 16 * u, shop_top, x + sw - 16 * u, shop_top + 46 * u),
                       fill=(255, 255, 255, 70))
        window = (x + 22 * u, street - 190 * u, x + sw * 0.64, street - 14 * u)
        draw.rectangle(window, fill="#2b3b45")
        draw.polygon([(window[0] + 20 * u, window[3]), (window[0] + 80 * u, window[1]),
                      (window[0] + 120 * u, window[1]), (window[0] + 60 * u, window[3])],
                     fill=(255, 255, 255, 36))
        draw.rectangle((x + sw * 0.7, street - 170 * u, x + sw - 26 * u, street),
                       fill=(0, 0, 0, 90))
        # The awning: alternating stripes, with a scalloped edge.
        awning = awnings[rng.randrange(len(awnings))]
        a_top, a_bottom = street - 245 * u, street - 196 * u
        a_left, a_right = x + 10 * u, x + sw * 0.68
        stripes = 8
        for s in range(stripes):
            s0 = a_left + (a_right - a_left) * s / stripes
            s1 = a_left + (a_right - a_left) * (s + 1) / stripes
            fill = awning if s % 2 == 0 else "#fbf4e8"
            draw.polygon([(s0 + 14 * u, a_top), (s1 + 14 * u, a_top), (s1, a_bottom),
                          (s0, a_bottom)], fill=fill)
            r = (s1 - s0) / 2
            draw.pieslice((s0, a_bottom - r, s1, a_bottom + r), 0, 180, fill=fill)
        x += sw
        i += 1
    draw.rectangle((0, street, w, canal), fill="#cdbfab")
    draw.rectangle((0, canal - 10 * u, w, canal), fill="#a8987f")
    # The canal mirrors the street, darkened and tinted.
    depth = h - canal
    mirror = img.crop((0, street - depth, w, street)).transpose(PILImage.Transpose.FLIP_TOP_BOTTOM)
    water = PILImage.new("RGB", mirror.size, _rgb("#1f4e66"))
    img.paste(PILImage.blend(mirror, water, 0.6), (0, canal))
    draw = ImageDraw.Draw(img, "RGBA")
    for _ in range(120):
        x = rng.uniform(0, w)
        y = rng.uniform(canal + 6 * u, h)
        draw.line((x, y, x + rng.uniform(30, 140) * u, y), fill=(255, 255, 255, 45),
                  width=max(1, round(3 * u)))
    return img


def paint_stage(rng, w, h):
    """An empty studio stage between red curtains, one spotlight on a coil of rope."""
    u = w / 1600
    img = _gradient(w, h, [(0, "#12070c"), (0.7, "#2b1119"), (1, "#12070a")])
    draw = ImageDraw.Draw(img, "RGBA")
    floor = h * 0.7
    draw.rectangle((0, floor, w, h), fill="#5a3320")
    vanish = (w / 2, h * 0.25)
    for i in range(-12, 13):
        bx = w / 2 + i * 150 * u
        t = (floor - vanish[1]) / (h - vanish[1])
        fx = vanish[0] + (bx - vanish[0]) * t
        draw.line((fx, floor, bx, h), fill=(0, 0, 0, 70), width=round(3 * u))
    cx = w * rng.uniform(0.42, 0.58)
    draw.polygon([(cx - 50 * u, 0), (cx + 50 * u, 0), (cx + 330 * u, h * 0.86),
                  (cx - 330 * u, h * 0.86)], fill=(255, 228, 180, 34))
    _glow(img, cx, h * 0.82, 420 * u, "#ffd9a0", 0.55)
    draw = ImageDraw.Draw(img, "RGBA")
    draw.ellipse((cx - 330 * u, h * 0.78, cx + 330 * u, h * 0.92), fill=(255, 226, 170, 70))
    for i in range(8):
        rx = (190 - i * 20) * u
        ry = rx * 0.3
        cy = h * 0.85 - i * 9 * u
        draw.ellipse((cx - rx, cy - ry, cx + rx, cy + ry),
                     outline="#c9a36b" if i % 2 else "#a8844f", width=round(13 * u))
    # Curtains: a sheet of folds, cut to shape by masks.
    folds = PILImage.new("RGB", (w, h))
    fold_draw = ImageDraw.Draw(folds)
    period = rng.uniform(70, 100) * u
    dark, light = _rgb("#5a0f1c"), _rgb("#b3283c")
    step = max(2, round(4 * u))
    for x in range(0, w, step):
        shade = 0.5 + 0.5 * math.sin(x / period * 2 * math.pi)
        fold_draw.rectangle((x, 0, x + step, h), fill=_mix(dark, light, shade ** 1.5))
    mask = PILImage.new("L", (w, h), 0)
    mask_draw = ImageDraw.Draw(mask)
    edge = w * rng.uniform(0.22, 0.28)
    for side in (1, -1):
        points = []
        for step_y in range(0, 41):
            y = h * step_y / 40
            pull = math.sin(min(1.0, y / (h * 0.62)) * math.pi / 2)
            points.append((edge - edge * 0.55 * pull * (1 if y < h * 0.62 else
                           1 - (y - h * 0.62) / (h * 0.38) * 0.6), y))
        points = [(0, 0)] + points + [(0, h)]
        if side == -1:
            points = [(w - x, y) for x, y in points]
        mask_draw.polygon(points, fill=255)
    valance = h * 0.13
    mask_draw.rectangle((0, 0, w, valance), fill=255)
    scallop = w / 14
    for i in range(15):
        mask_draw.ellipse((i * scallop - scallop / 2, valance - scallop * 0.3,
                           i * scallop + scallop / 2, valance + scallop * 0.3), fill=255)
    img.paste(folds, (0, 0), mask)
    draw = ImageDraw.Draw(img, "RGBA")
    draw.rectangle((0, 0, w, valance * 0.35), fill="#3a0a13")
    draw.line((0, valance * 0.35, w, valance * 0.35), fill="#d4a94f", width=round(6 * u))
    return img


def paint_sound_rings(rng, w, h):
    """Rings of colour spreading from a stage on a barge, under strings of festival lights."""
    u = w / 1600
    img = _gradient(w, h, [(0, "#190d30"), (0.75, "#3b1d5e"), (0.76, "#120a24"),
                           (1, "#0b0617")])
    source = (w * rng.uniform(0.16, 0.26), h * 0.74)
    _glow(img, source[0], source[1], 500 * u, "#f25f5c", 0.35)
    draw = ImageDraw.Draw(img, "RGBA")
    palette = ["#f2a65a", "#f25f5c", "#ffe066", "#70c1b3", "#5fa8d3", "#e56bbd"]
    radius = 110 * u
    index = rng.randrange(len(palette))
    while radius < w * 1.1:
        width = rng.uniform(10, 30) * u
        colour = palette[index % len(palette)]
        index += rng.choice([1, 2])
        start = -178.0
        while start < -2:
            end = min(-2.0, start + rng.uniform(25, 110))
            alpha = rng.randint(150, 255)
            draw.arc((source[0] - radius, source[1] - radius, source[0] + radius,
                      source[1] + radius), start, end, fill=_rgba(colour, alpha),
                     width=round(width))
            start = end + rng.uniform(3, 14)
        radius += width + rng.uniform(28, 60) * u
    water = h * 0.755
    draw.rectangle((0, water, w, h), fill=(11, 6, 23, 235))
    for _ in range(220):
        x = rng.uniform(0, w)
        y = rng.uniform(water + 6 * u, h)
        draw.line((x, y, x + rng.uniform(10, 70) * u, y),
                  fill=_rgba(rng.choice(palette), rng.randint(40, 110)),
                  width=max(1, round(3 * u)))
    sx, sy = source
    draw.polygon([(sx - 220 * u, sy - 10 * u), (sx + 220 * u, sy - 10 * u),
                  (sx + 190 * u, sy + 50 * u), (sx - 190 * u, sy + 50 * u)], fill="#07040f")
    draw.rectangle((sx - 170 * u, sy - 150 * u, sx + 170 * u, sy - 10 * u), fill="#f6b26b")
    draw.rectangle((sx - 170 * u, sy - 60 * u, sx + 170 * u, sy - 10 * u), fill="#e08a4f")
    for post in (-170, -60, 60, 170):
        draw.rectangle((sx + (post - 8) * u, sy - 150 * u, sx + (post + 8) * u, sy - 10 * u),
                       fill="#07040f")
    for px, tall in ((-110, 1.0), (-10, 0.9), (95, 1.05)):
        px = sx + px * u
        draw.ellipse((px - 12 * u, sy - (112 * tall + 26) * u, px + 12 * u,
                      sy - (112 * tall + 2) * u), fill="#07040f")
        draw.rounded_rectangle((px - 20 * u, sy - 112 * tall * u, px + 20 * u, sy - 10 * u),
                               radius=10 * u, fill="#07040f")
    draw.polygon([(sx - 210 * u, sy - 150 * u), (sx + 210 * u, sy - 150 * u),
                  (sx + 150 * u, sy - 200 * u), (sx - 150 * u, sy - 200 * u)], fill="#07040f")
    y0, y1 = h * 0.07, h * 0.13
    sag = rng.uniform(60, 120) * u
    x = 0.0
    while x <= w:
        t = x / w
        y = y0 + (y1 - y0) * t + sag * 4 * t * (1 - t)
        colour = rng.choice(["#ffd27a", "#ffe9b0", "#ffb36b"])
        draw.ellipse((x - 18 * u, y - 18 * u, x + 18 * u, y + 18 * u), fill=_rgba(colour, 45))
        draw.ellipse((x - 6 * u, y - 6 * u, x + 6 * u, y + 6 * u), fill=colour)
        x += 56 * u
    return img


def paint_night_sky(rng, w, h):
    """A clear night over a hill with an observatory dome, the city glowing below."""
    u = w / 1600
    img = _gradient(w, h, [(0, "#02050d"), (0.55, "#0d1830"), (0.85, "#2f2d4c"),
                           (1, "#4a3848")])
    band = PILImage.new("L", (w // 16, h // 16), 0)
    band_draw = ImageDraw.Draw(band)
    bw, bh = band.size
    for _ in range(160):
        t = rng.random()
        x = t * bw
        y = bh * (0.05 + 0.7 * t) + rng.gauss(0, bh * 0.08)
        r = rng.uniform(2, 7)
        band_draw.ellipse((x - r, y - r, x + r, y + r), fill=rng.randint(40, 140))
    band = band.filter(ImageFilter.GaussianBlur(4)).resize((w, h), PILImage.Resampling.BICUBIC)
    img.paste(_rgb("#b9c3ff"), (0, 0, w, h), band.point(lambda v: v * 0.4))
    _glow(img, w * rng.uniform(0.7, 0.9), h * 1.02, 560 * u, "#ff9e5e", 0.4)
    draw = ImageDraw.Draw(img, "RGBA")
    for _ in range(1500):
        x, y = rng.uniform(0, w), rng.uniform(0, h * 0.85)
        r = rng.choice([1, 1, 1, 1.5, 1.5, 2, 2.5]) * u
        v = rng.randint(120, 255)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(v, v, min(255, v + 20)))
    for _ in range(14):
        x, y = rng.uniform(0, w), rng.uniform(0, h * 0.6)
        size = rng.uniform(10, 24) * u
        draw.line((x - size, y, x + size, y), fill=(255, 255, 255, 110), width=round(2 * u))
        draw.line((x, y - size, x, y + size), fill=(255, 255, 255, 110), width=round(2 * u))
        draw.ellipse((x - 3 * u, y - 3 * u, x + 3 * u, y + 3 * u), fill="#ffffff")
    hill_x = w * rng.uniform(0.25, 0.45)

    def hill(x):
        return h * 0.84 - 150 * u * math.exp(-(((x - hill_x) / (w * 0.22)) ** 2))

    draw.polygon([(0, h)] + [(x, hill(x)) for x in range(0, w + 20, 20)] + [(w, h)],
                 fill="#060912")
    for _ in range(70):
        x = rng.uniform(w * 0.55, w)
        y = rng.uniform(hill(x) + 20 * u, h)
        draw.ellipse((x - 2 * u, y - 2 * u, x + 2 * u, y + 2 * u), fill="#ffcf73")
    top = hill(hill_x)
    base = (hill_x - 110 * u, top - 110 * u, hill_x + 110 * u, top + 4 * u)
    draw.rectangle(base, fill="#7d879c")
    draw.rectangle((base[0], base[1], base[2], base[1] + 10 * u), fill="#9aa3b5")
    draw.pieslice((hill_x - 120 * u, top - 230 * u, hill_x + 120 * u, top + 10 * u), 180, 360,
                  fill="#b6bfcf")
    draw.polygon([(hill_x + 8 * u, top - 230 * u), (hill_x + 38 * u, top - 226 * u),
                  (hill_x + 44 * u, top - 110 * u), (hill_x + 10 * u, top - 110 * u)],
                 fill="#141a29")
    draw.line((hill_x + 22 * u, top - 150 * u, hill_x + 70 * u, top - 260 * u), fill="#c9a15a",
              width=round(16 * u))
    draw.rectangle((hill_x - 60 * u, top - 60 * u, hill_x - 30 * u, top), fill="#ffcf73")
    return img


def paint_street_plan(rng, w, h):
    """A street plan of the city centre, one street picked out, trees and people along it."""
    u = w / 1600
    img = PILImage.new("RGB", (w, h), _rgb("#efe6d8"))
    draw = ImageDraw.Draw(img, "RGBA")
    river_y = h * rng.uniform(0.72, 0.8)
    slope = rng.uniform(-0.12, 0.12)

    def river(x):
        return river_y + slope * (x - w / 2) + math.sin(x / (220 * u)) * 18 * u

    street = 30 * u
    columns = [-rng.uniform(0, 100) * u]
    while columns[-1] < w:
        columns.append(columns[-1] + rng.uniform(160, 280) * u)
    rows = [rng.uniform(40, 90) * u]
    while rows[-1] < h:
        rows.append(rows[-1] + rng.uniform(120, 190) * u)
    feature = rng.randrange(1, 3)
    tones = ["#e2d3bd", "#d8c6ab", "#ddcdb4", "#cfbc9f"]
    for r0, r1 in zip(rows, rows[1:], strict=False):
        for c0, c1 in zip(columns, columns[1:], strict=False):
            box = (c0 + street / 2, r0 + street / 2, c1 - street / 2, r1 - street / 2)
            if box[3] > river((box[0] + box[2]) / 2) - 60 * u:
                continue
            if rng.random() < 0.12:
                draw.rounded_rectangle(box, radius=14 * u, fill="#b9d4a4")
                for _ in range(8):
                    tx = rng.uniform(box[0] + 20 * u, box[2] - 20 * u)
                    ty = rng.uniform(box[1] + 20 * u, box[3] - 20 * u)
                    draw.ellipse((tx - 14 * u, ty - 14 * u, tx + 14 * u, ty + 14 * u),
                                 fill="#7fae6a")
            else:
                draw.rounded_rectangle(box, radius=10 * u, fill=rng.choice(tones))
    draw.polygon([(x, river(x) - 20 * u) for x in range(0, w + 20, 20)]
                 + [(x, river(x) + 120 * u) for x in range(w, -20, -20)], fill="#9cc9d9")
    draw.line([(x, river(x) - 20 * u) for x in range(0, w + 20, 20)], fill="#7fb3c6",
              width=round(5 * u))
    # The pedestrian street: wide and warm, lined with trees, busy with people.
    y0, y1 = rows[feature] - 30 * u, rows[feature] + 30 * u
    x0, x1 = columns[1], columns[-3]
    draw.rectangle((x0, y0, x1, y1), fill="#f4a259")
    for end in (x0, x1):
        draw.ellipse((end - 70 * u, (y0 + y1) / 2 - 70 * u, end + 70 * u, (y0 + y1) / 2 + 70 * u),
                     fill="#f7c98b", outline="#f4a259", width=round(8 * u))
    tx = x0 + 90 * u
    while tx < x1 - 80 * u:
        for ty in (y0 - 2 * u, y1 + 2 * u):
            draw.ellipse((tx - 15 * u, ty - 15 * u, tx + 15 * u, ty + 15 * u), fill="#5f9e5a")
        tx += 70 * u
    for _ in range(90):
        px = rng.uniform(x0 + 20 * u, x1 - 20 * u)
        py = rng.uniform(y0 + 10 * u, y1 - 10 * u)
        colour = rng.choice(["#1d3557", "#e63946", "#2a9d8f", "#ffffff", "#6d597a"])
        draw.ellipse((px - 6 * u, py - 6 * u, px + 6 * u, py + 6 * u), fill=colour)
    bus_y = rows[feature + 1]
    x = x0
    while x < x1:
        draw.line((x, bus_y, x + 30 * u, bus_y), fill="#3d5a80", width=round(8 * u))
        x += 50 * u
    return img


def paint_transit_map(rng, w, h):
    """A schematic map of bus lines: straight runs and 45° turns, stations as white rings."""
    u = w / 1600
    img = PILImage.new("RGB", (w, h), _rgb("#f7f4ee"))
    draw = ImageDraw.Draw(img, "RGBA")
    for x in range(0, w, round(80 * u)):
        draw.line((x, 0, x, h), fill=(0, 0, 0, 10), width=max(1, round(u)))
    for y in range(0, h, round(80 * u)):
        draw.line((0, y, w, y), fill=(0, 0, 0, 10), width=max(1, round(u)))
    river_y, phase = h * rng.uniform(0.6, 0.75), rng.uniform(0, 6.28)

    def river(x):
        return river_y + math.sin(x / (300 * u) + phase) * 40 * u

    draw.polygon([(x, river(x)) for x in range(0, w + 20, 20)]
                 + [(x, river(x) + 110 * u) for x in range(w, -20, -20)], fill="#d5e8f1")
    colours = ["#e63946", "#2a9d8f", "#f4a261", "#457b9d", "#8e5ea2"]
    rng.shuffle(colours)
    margin = 110 * u
    lines = []
    for colour in colours:
        x, y = -40 * u, rng.uniform(margin, h - margin)
        points = [(x, y)]
        while x < w + 40 * u:
            length = rng.uniform(140, 320) * u
            if rng.random() < 0.4:
                direction = rng.choice([-1, 1])
                if not margin < y + direction * length * 0.7 < h - margin:
                    direction = -direction
                x += length * 0.7
                y += direction * length * 0.7
            else:
                x += length
            points.append((x, y))
        lines.append((colour, points))
        draw.line(points, fill=colour, width=round(24 * u), joint="curve")
    for colour, points in lines:
        for (ax, ay), (bx, by) in zip(points, points[1:], strict=False):
            steps = max(1, round(math.hypot(bx - ax, by - ay) / (150 * u)))
            for s in range(steps):
                sx, sy = ax + (bx - ax) * s / steps, ay + (by - ay) * s / steps
                r = 24 * u if rng.random() < 0.15 else 14 * u
                draw.ellipse((sx - r, sy - r, sx + r, sy + r), fill="#ffffff",
                             outline="#222222" if r > 20 * u else colour, width=round(6 * u))
    return img


def paint_bauhaus(rng, w, h):
    """A gallery-wall grid of flat shapes — circles, half moons, stripes — in a bold palette."""
    u = w / 1600
    img = PILImage.new("RGB", (w, h), _rgb("#f1e9da"))
    palette = ["#e63946", "#1d3557", "#f4a261", "#2a9d8f", "#e9c46a", "#264653", "#f1e9da"]
    dark = {"#1d3557", "#264653", "#2a9d8f"}
    cell = round(240 * u)
    columns, rows = 6, 3
    left = (w - cell * columns) // 2
    top = (h - cell * rows) // 2
    for row in range(rows):
        for column in range(columns):
            # Each tile is drawn on its own, so a shape never spills into its neighbours.
            ground = rng.choice(palette)
            contrasting = [c for c in palette if (c in dark) != (ground in dark)]
            figure = rng.choice(contrasting)
            tile = PILImage.new("RGB", (cell, cell), _rgb(ground))
            draw = ImageDraw.Draw(tile)
            shape = rng.choice(["circle", "half", "quarter", "stripes", "triangle", "ring",
                                "dots"])
            inset = cell * 0.14
            if shape == "circle":
                draw.ellipse((inset, inset, cell - inset, cell - inset), fill=figure)
            elif shape == "half":
                start = rng.choice([0, 90, 180, 270])
                draw.pieslice((0, 0, cell, cell), start, start + 180, fill=figure)
            elif shape == "quarter":
                cx, cy = rng.choice([(0, 0), (cell, 0), (0, cell), (cell, cell)])
                draw.ellipse((cx - cell, cy - cell, cx + cell, cy + cell), fill=figure)
            elif shape == "stripes":
                count = rng.randint(3, 5)
                band = cell / (count * 2)
                for i in range(count):
                    s = band * (2 * i + 0.5)
                    draw.rectangle((0, s, cell, s + band), fill=figure)
            elif shape == "triangle":
                corners = [(0, cell), (cell, cell), (cell, 0), (0, 0)]
                k = rng.randrange(4)
                draw.polygon([corners[k], corners[(k + 1) % 4], corners[(k + 2) % 4]],
                             fill=figure)
            elif shape == "ring":
                draw.ellipse((inset, inset, cell - inset, cell - inset), outline=figure,
                             width=round(cell * 0.12))
            else:
                step = cell / 4
                for i in range(4):
                    for j in range(4):
                        cx, cy = step * (i + 0.5), step * (j + 0.5)
                        r = step * 0.28
                        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=figure)
            img.paste(tile, (left + column * cell, top + row * cell))
    ImageDraw.Draw(img, "RGBA").rectangle(
        (left, top, left + cell * columns, top + cell * rows),
        outline=(0, 0, 0, 40), width=round(4 * u),
    )
    return img


PAINTERS = {
    "skyline": paint_skyline,
    "underwater": paint_underwater,
    "bar_chart": paint_bar_chart,
    "shopfronts": paint_shopfronts,
    "stage": paint_stage,
    "sound_rings": paint_sound_rings,
    "night_sky": paint_night_sky,
    "street_plan": paint_street_plan,
    "transit_map": paint_transit_map,
    "bauhaus": paint_bauhaus,
}


def draw_image(painter, seed):
    """The image a painter draws from a seed, at the final size."""
    canvas = PAINTERS[painter](random.Random(seed), WIDTH * SUPERSAMPLE, HEIGHT * SUPERSAMPLE)  # nosec B311  # repeatable demo art, no secret
    return canvas.reduce(SUPERSAMPLE)


def render_jpeg(painter, seed):
    buffer = io.BytesIO()
    draw_image(painter, seed).save(
        buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True
    )
    return buffer.getvalue()
