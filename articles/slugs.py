"""Slugs made from text of any length: each fits its column and is not taken yet."""

from itertools import chain, count


def fit_slug(base, suffix, max_length):
    """`base` cut short enough that `suffix` fits after it within `max_length`."""
    return base[: max_length - len(suffix)].rstrip("-_") + suffix


def unique_slug(model, base, separator="-", first=2):
    """`base`, or `base` numbered (-2, -3, … by default), cut to fit the model's slug column.

    Cut before it is compared: two long texts alike in their first hundred characters make the
    same slug once cut, and the number must tell them apart after that.
    """
    max_length = model._meta.get_field("slug").max_length
    suffixes = chain([""], (f"{separator}{number}" for number in count(first)))
    for suffix in suffixes:
        slug = fit_slug(base, suffix, max_length)
        if not model._default_manager.filter(slug=slug).exists():
            return slug
    raise AssertionError("unreachable: the numbers never run out")
