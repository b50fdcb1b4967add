"""An article's state in comparable terms: as saving an admin form writes it, and as the database
holds it."""

import json


def inline_rows(form, prefix, keys):
    """The rows an inline formset saves from this form: not deleted, and not an empty extra."""
    try:
        total = int(form.get(f"{prefix}-TOTAL_FORMS") or 0)
    except ValueError:
        total = 0
    rows = []
    for index in range(total):
        start = f"{prefix}-{index}-"
        if form.get(start + "DELETE"):
            continue
        values = [form.get(start + key, "") or "" for key in keys]
        if not form.get(start + "id") and not values[0].strip():
            continue
        rows.append(values)
    return rows


def posted_state(form):
    """What saving this article form writes, in the terms of stored_state()."""
    from articles.html import clean_body, strip_control_characters
    from articles.tagging import clean_tag_names

    def text(name):
        return strip_control_characters(form.get(name, "") or "").strip()

    bylines = [
        [int(author), int(position or 0)]
        for author, position in inline_rows(form, "bylines", ["author", "position"])
    ]
    references = [
        [title.strip(), url.strip(), int(position or 0)]
        for title, url, position in inline_rows(form, "references", ["title", "url", "position"])
    ]
    return normal_state({
        "headline": text("headline"),
        "standfirst": text("standfirst"),
        "body": clean_body((form.get("body", "") or "").strip()),
        "tags": [name.casefold() for name in clean_tag_names(form.get_all("tags"))],
        "bylines": bylines,
        "references": references,
    })


def normal_state(state):
    return {
        **state,
        "tags": sorted(state["tags"]),
        "bylines": sorted([list(row) for row in state["bylines"]]),
        "references": sorted([list(row) for row in state["references"]]),
    }


def stored_state(article):
    """An article as the database has it, in the terms of posted_state()."""
    return normal_state({
        "headline": article.headline,
        "standfirst": article.standfirst,
        "body": article.body,
        "tags": [item.tag.name.casefold() for item in article.tagged_items.all()],
        "bylines": [[byline.author_id, byline.position] for byline in article.bylines.all()],
        "references": [
            [reference.title, reference.url, reference.position]
            for reference in article.references.all()
        ],
    })


def state_difference(state, expected):
    """The parts of an article's state that differ, as one short line."""
    if state is None:
        return "missing from the database"
    if expected is None:
        return "in the database, though no save that wrote it was acknowledged or sent"
    parts = []
    for key in ("headline", "standfirst", "body", "tags", "bylines", "references"):
        if state.get(key) != expected.get(key):
            parts.append(f"{key}: {short(state.get(key))} ≠ {short(expected.get(key))}")
    return "; ".join(parts) or "no difference"


def short(value, limit=60):
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"
