"""Painters of places: a skyline, the harbour's water and its shops, a stage, the night sky."""

import math

from PIL import Image as PILImage
from PIL import ImageDraw, ImageFilter

from .brushes import glow, gradient, mix, rgb, rgba


def paint_skyline(rng, w, h):
    """Dusk over the river: two rows of buildings, a setting sun and a line of barrier piers."""
    u = w / 1600
    horizon = round(h * rng.uniform(0.6, 0.66))
    t = horizon / h
    img = gradient(
        w, h,
        [(0, "#131c3a"), (t * 0.55, "#4d4475"), (t, "#f3a36f"), (t + 0.001, "#2a3458"),
         (1, "#0a1024")],
    )
    sun_x = w * rng.uniform(0.3, 0.7)
    glow(img, sun_x, horizon, 420 * u, "#ffb77e", 0.75)
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
        draw.line((cx - length / 2, y, cx + length / 2, y), fill=rgba("#ffc58a", 90),
                  width=max(1, round(3 * u)))
    for _ in range(160):
        x = rng.uniform(0, w)
        y = horizon + rng.uniform(4, 140) * u
        draw.line((x, y, x + rng.uniform(6, 24) * u, y), fill=rgba("#ffd27a", 70),
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
                     fill=rgba("#ff5a4e", 60))
        draw.ellipse((px - 6 * u, pier_y - 73 * u, px + 6 * u, pier_y - 61 * u), fill="#ff6b5e")
    return img


def paint_underwater(rng, w, h):
    """Looking along the harbour bed: shafts of light, a meadow of seagrass, a few fish."""
    u = w / 1600
    img = gradient(w, h, [(0, "#86d8d2"), (0.3, "#2f94a3"), (1, "#082b3b")])
    glow(img, w * rng.uniform(0.3, 0.7), -80 * u, 700 * u, "#d8fff6", 0.45)
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


def paint_shopfronts(rng, w, h):
    """A row of small shops along a canal, their awnings striped, reflected in the water."""
    u = w / 1600
    img = gradient(w, h, [(0, "#fbe9d0"), (0.5, "#f5cfae"), (1, "#f0b993")])
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
    water = PILImage.new("RGB", mirror.size, rgb("#1f4e66"))
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
    img = gradient(w, h, [(0, "#12070c"), (0.7, "#2b1119"), (1, "#12070a")])
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
    glow(img, cx, h * 0.82, 420 * u, "#ffd9a0", 0.55)
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
    dark, light = rgb("#5a0f1c"), rgb("#b3283c")
    step = max(2, round(4 * u))
    for x in range(0, w, step):
        shade = 0.5 + 0.5 * math.sin(x / period * 2 * math.pi)
        fold_draw.rectangle((x, 0, x + step, h), fill=mix(dark, light, shade ** 1.5))
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


def paint_night_sky(rng, w, h):
    """A clear night over a hill with an observatory dome, the city glowing below."""
    u = w / 1600
    img = gradient(w, h, [(0, "#02050d"), (0.55, "#0d1830"), (0.85, "#2f2d4c"),
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
    img.paste(rgb("#b9c3ff"), (0, 0, w, h), band.point(lambda v: v * 0.4))
    glow(img, w * rng.uniform(0.7, 0.9), h * 1.02, 560 * u, "#ff9e5e", 0.4)
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
