"""Seeing a story as readers will: the form's preview while it is written, and where to find the
story once it is saved.

The form's current data is posted to preview_view while the editor types (static/admin/newsroom/
preview.js). The same form checks it, with the same rules as a save, and the unsaved article it
makes is drawn by the readers' own article template in a frame beside the form. Nothing is
written: no save, no revision, no change to the content version, and the page is never cached
(it lives under /admin/, which the page cache leaves alone, and says no-store).

It is the editors' preview of a draft on the site (articles.views.ArticleView), made from the
form rather than from the stored article; the template says "Preview" on both.
"""

from functools import reduce
from operator import or_

from csp.constants import SELF
from csp.decorators import csp_replace
from django.contrib.admin.utils import unquote
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.db.models import Q
from django.http import HttpResponseNotAllowed
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html
from django.views.decorators.clickjacking import xframe_options_sameorigin
from taggit.models import Tag

from ..context_processors import section_feed_links, site_feed_links
from ..models import ArticleTag, Byline, Reference
from .common import format_time

# The parts of the form the page shows, by the name the article's template reads them by.
PARTS = {Byline: "bylines", Reference: "references"}


# Framed by the article's own change page, and by no other page or site.
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": [SELF]})
def preview_view(model_admin, request, object_id=None):
    """The story as the form in `request.POST` would make it; `object_id` None for a new one.

    Only someone who may change the article may preview it (a new one: whoever may add one). An
    article the user may not change is refused by its id, whatever the post holds.
    """
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    stored = None
    if object_id is None:
        if not model_admin.has_add_permission(request):
            raise PermissionDenied
    else:
        stored = model_admin.get_object(request, unquote(object_id))
        if stored is None or not model_admin.has_change_permission(request, stored):
            raise PermissionDenied
    form_class = model_admin.get_form(request, stored, change=stored is not None)
    form = _without_conflict_check(form_class)(request.POST, request.FILES, instance=stored)
    form_valid = form.is_valid()
    article = form.instance
    formsets = [
        (inline, form_set(**model_admin.get_formset_kwargs(
            request, article, inline, form_set.get_default_prefix()
        )))
        for form_set, inline in model_admin.get_formsets_with_inlines(request, stored)
        if inline.model in PARTS
    ]
    problems = [] if form_valid else _form_problems(form)
    for inline, formset in formsets:
        if not formset.is_valid():
            problems += _formset_problems(inline, formset)
    if problems:
        response = render(
            request, "admin/articles/article/preview_problems.html",
            {"problems": problems}, status=400,
        )
    else:
        _show_unsaved_parts(article, stored, form, formsets)
        response = render(request, "articles/article_detail.html", {
            "article": article,
            "object": article,
            "section": article.section,
            "feeds": site_feed_links() + section_feed_links(article.section),
            "preview": True,
        })
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex"
    return response


def _without_conflict_check(form_class):
    # Someone else's save since the form was opened stops a save, not a look: the editor sees
    # their own version here, and the conflict when they save.
    return type(form_class.__name__, (form_class,), {
        "check_not_changed_since_loaded": lambda self: None,
    })


def _form_problems(form):
    problems = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = (field.label if field else None) or name.replace("_", " ").capitalize()
        problems += [(label if name != NON_FIELD_ERRORS else "", error) for error in errors]
    return problems


def _formset_problems(inline, formset):
    label = str(inline.verbose_name_plural).capitalize()
    problems = [(label, error) for error in formset.non_form_errors()]
    for form in formset.forms:
        for errors in form.errors.values():
            problems += [(label, error) for error in errors]
    return problems


def _show_unsaved_parts(article, stored, form, formsets):
    """Give the unsaved article its byline, references and tags as the form holds them.

    The template reads them through the article's related managers, which answer from the
    article's prefetched results when it has them: those are set to the form's parts here,
    unsaved. Corrections are shown as stored. A related manager needs a primary key even then;
    a new article is given 0, which no stored article has, and is never saved.
    """
    if article.pk is None:
        article.pk = 0
    cache = {"corrections": list(stored.corrections.all()) if stored else []}
    for inline, formset in formsets:
        kept = [
            each.instance for each in formset.forms
            if each.cleaned_data and not each.cleaned_data.get("DELETE")
        ]
        cache[PARTS[inline.model]] = sorted(
            kept, key=lambda part: (part.position, part.pk is None, part.pk or 0)
        )
    cache["tagged_items"] = [
        ArticleTag(tag=tag) for tag in _tags_named(form.cleaned_data.get("tags") or [])
    ]
    article._prefetched_objects_cache = cache


def _tags_named(names):
    """The tags of these names, as saving would find or make them, by name."""
    if not names:
        return []
    found = {
        tag.name.casefold(): tag
        for tag in Tag.objects.filter(reduce(or_, (Q(name__iexact=name) for name in names)))
    }
    tags = [found.get(name.casefold()) or Tag(name=name, slug=Tag().slugify(name))
            for name in names]
    return sorted(tags, key=lambda tag: tag.name)


def where_readers_see_it(article):
    """The words and link for the message after a save: where the story is, or will be."""
    url = article.get_absolute_url()
    if article.is_published:
        until = (
            format_html(" until {}", format_time(article.expires_at)) if article.expires_at
            else ""
        )
        return format_html(' Readers can see it now{}: <a href="{}">View live</a>', until, url)
    if article.is_scheduled:
        return format_html(
            ' It goes live on {}: <a href="{}">Preview it</a>',
            format_time(article.published_at), url,
        )
    return ""
