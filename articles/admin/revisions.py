"""Comparing two saved versions of an article: what changed in its words and its sources."""

import difflib
import re

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import BadRequest
from django.shortcuts import get_object_or_404, render
from django.utils import formats, timezone
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from reversion.models import Revision
from taggit.models import Tag

from ..models import Article, ArticleTag, Author, Byline, Reference

# A version's id in a compare link: digits, few enough for any database's integer.
REVISION_ID = re.compile(r"[0-9]{1,18}")


def snapshot(revision, article):
    """The article as one revision saved it: its text and the lists that travel with it."""
    versions = revision.version_set.select_related("content_type")
    by_model = {}
    for version in versions:
        by_model.setdefault(version.content_type.model_class(), []).append(version.field_dict)
    article_fields = next(
        (fields for fields in by_model.get(Article, []) if fields["id"] == article.pk), None
    )
    if article_fields is None:
        return None

    def parts(model):
        own = [fields for fields in by_model.get(model, []) if _points_at(fields, article.pk)]
        return sorted(own, key=lambda fields: (fields.get("position", 0), fields["id"]))

    tag_names = dict(
        Tag.objects.filter(pk__in=[fields["tag_id"] for fields in parts(ArticleTag)])
        .values_list("pk", "name")
    )
    author_names = dict(
        Author.objects.filter(pk__in=[fields["author_id"] for fields in parts(Byline)])
        .values_list("pk", "name")
    )
    return {
        "Headline": article_fields["headline"],
        "Standfirst": article_fields["standfirst"],
        "Body": _readable_text(article_fields["body"]),
        "Status": Article.Status(article_fields["status"]).label,
        "Publication time": _format_time(article_fields["published_at"]),
        "Byline": "\n".join(author_names.get(fields["author_id"], "?") for fields in parts(Byline)),
        "References": "\n".join(_describe_reference(fields) for fields in parts(Reference)),
        "Tags": "\n".join(sorted(tag_names.get(f["tag_id"], "?") for f in parts(ArticleTag))),
    }


def _format_time(value):
    if not value:
        return ""
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def _points_at(fields, article_pk):
    # The library stores foreign keys under their column names.
    return fields.get("article_id", fields.get("content_object_id")) == article_pk


def _describe_reference(fields):
    details = [fields["title"], fields.get("publisher", ""), fields.get("url", "")]
    return " — ".join(detail for detail in details if detail)


def _readable_text(html):
    """The body as paragraphs of text, so a comparison shows words rather than markup."""
    text = re.sub(r"</(p|h2|h3|li|blockquote)>", "\n", html or "")
    return strip_tags(text).strip()


def word_diff(old, new):
    """Both texts with removed words marked <del> and added words <ins>, escaped."""
    old_words = re.split(r"(\s+)", old)
    new_words = re.split(r"(\s+)", new)
    old_marked, new_marked = [], []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for operation, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        removed = escape("".join(old_words[a_start:a_end]))
        added = escape("".join(new_words[b_start:b_end]))
        if operation == "equal":
            old_marked.append(removed)
            new_marked.append(added)
            continue
        if removed:
            old_marked.append(f"<del>{removed}</del>")
        if added:
            new_marked.append(f"<ins>{added}</ins>")
    # Every piece was escaped above; only our own <del>/<ins> marks are markup.
    return mark_safe("".join(old_marked)), mark_safe("".join(new_marked))  # noqa: S308  # nosec B308, B703  # all escaped above


def _chosen_revision_ids(request):
    """The two revisions a compare link names in ?from= and ?to=: a 400 for what is not an id."""
    values = [request.GET.get(parameter, "") for parameter in ("from", "to")]
    for parameter, value in zip(("from", "to"), values, strict=True):
        if not REVISION_ID.fullmatch(value):
            raise BadRequest(f"{parameter}: not a version of this article.")
    return [int(value) for value in values]


def compare_view(model_admin, request, article):
    revisions = Revision.objects.filter(
        version__object_id=str(article.pk),
        version__content_type=ContentType.objects.get_for_model(Article),
    )
    older, newer = (get_object_or_404(revisions, pk=pk) for pk in _chosen_revision_ids(request))
    if older.date_created > newer.date_created:
        older, newer = newer, older
    before, after = snapshot(older, article), snapshot(newer, article)
    rows = []
    for label in before:
        old_html, new_html = word_diff(before[label], after[label])
        rows.append(
            {"label": label, "old": old_html, "new": new_html,
             "changed": before[label] != after[label]}
        )
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "original": article,
        "title": f"Compare versions of “{article.headline}”",
        "older": older,
        "newer": newer,
        "rows": rows,
    }
    return render(request, "admin/articles/article/compare.html", context)
