"""The demo newsroom: a small, fictional Harbour City Courier that `make run` loads.

Everything is keyed by slug, so loading twice adds nothing. The images are drawn at load time
from a fixed seed per article, so every load draws the same ones. The article bodies live in
bodies/, next to this package's modules; one article arrives through the wire importer, as a real
one would.

- images: the painters that draw the illustrations;
- content: the sections, authors and articles;
- loader: writing whatever is missing to the database.
"""

from .content import ARTICLES, AUTHORS, SECTIONS, WIRE_ARTICLE
from .images import PAINTERS, draw_image, render_jpeg
from .loader import LoadResult, demo_article_slugs, load_demo

__all__ = [
    "ARTICLES",
    "AUTHORS",
    "PAINTERS",
    "SECTIONS",
    "WIRE_ARTICLE",
    "LoadResult",
    "demo_article_slugs",
    "draw_image",
    "load_demo",
    "render_jpeg",
]
