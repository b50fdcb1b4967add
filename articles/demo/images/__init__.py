"""The demo's images: illustrations drawn with Pillow, one painter per kind of image.

Each painter draws one kind of illustration on a canvas twice the final size; shrinking it at
the end smooths every edge. Painters take a seeded random generator, so a seed is an image.
The painters of places are in scenes, those of charts and maps in diagrams; both draw with
brushes.
"""

import io
import random

from .diagrams import (
    paint_bar_chart,
    paint_bauhaus,
    paint_sound_rings,
    paint_street_plan,
    paint_transit_map,
)
from .scenes import (
    paint_night_sky,
    paint_shopfronts,
    paint_skyline,
    paint_stage,
    paint_underwater,
)

WIDTH, HEIGHT = 1600, 900
SUPERSAMPLE = 2
JPEG_QUALITY = 82


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
