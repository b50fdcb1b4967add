"""Painters of charts and maps: bars, sound rings, a street plan, a transit map, a Bauhaus grid."""

import math

from PIL import Image as PILImage
from PIL import ImageDraw

from .brushes import glow, gradient, rgb, rgba


def paint_bar_chart(rng, w, h):
    """A rising bar chart over a night-blue ground, its last bar picked out in gold."""
    u = w / 1600
    img = gradient(w, h, [(0, "#0c2230"), (1, "#174257")])
    glow(img, w * 0.85, h * 0.15, 520 * u, "#2bb3a3", 0.35)
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


def paint_sound_rings(rng, w, h):
    """Rings of colour spreading from a stage on a barge, under strings of festival lights."""
    u = w / 1600
    img = gradient(w, h, [(0, "#190d30"), (0.75, "#3b1d5e"), (0.76, "#120a24"),
                           (1, "#0b0617")])
    source = (w * rng.uniform(0.16, 0.26), h * 0.74)
    glow(img, source[0], source[1], 500 * u, "#f25f5c", 0.35)
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
                      source[1] + radius), start, end, fill=rgba(colour, alpha),
                     width=round(width))
            start = end + rng.uniform(3, 14)
        radius += width + rng.uniform(28, 60) * u
    water = h * 0.755
    draw.rectangle((0, water, w, h), fill=(11, 6, 23, 235))
    for _ in range(220):
        x = rng.uniform(0, w)
        y = rng.uniform(water + 6 * u, h)
        draw.line((x, y, x + rng.uniform(10, 70) * u, y),
                  fill=rgba(rng.choice(palette), rng.randint(40, 110)),
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
        draw.ellipse((x - 18 * u, y - 18 * u, x + 18 * u, y + 18 * u), fill=rgba(colour, 45))
        draw.ellipse((x - 6 * u, y - 6 * u, x + 6 * u, y + 6 * u), fill=colour)
        x += 56 * u
    return img


def paint_street_plan(rng, w, h):
    """A street plan of the city centre, one street picked out, trees and people along it."""
    u = w / 1600
    img = PILImage.new("RGB", (w, h), rgb("#efe6d8"))
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
    img = PILImage.new("RGB", (w, h), rgb("#f7f4ee"))
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
    img = PILImage.new("RGB", (w, h), rgb("#f1e9da"))
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
            tile = PILImage.new("RGB", (cell, cell), rgb(ground))
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
