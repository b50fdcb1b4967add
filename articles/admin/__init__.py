"""The newsroom's admin: one module per part of the newsroom."""

from . import article, author, image, section, tag  # noqa: F401  (each registers its admin)
