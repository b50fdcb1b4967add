"""The article list as a desk reads it: who wrote each story and what kind it is, who last
edited it and when, who has it open now, how many stories are at each step, and the desk's own
sets of stories behind its "See all" links.

Every column reads what the page's rows need in a fixed number of queries, whatever the rows.
"""

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import CharField, Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from reversion.models import Revision, Version

from .. import desk, permissions, presence
from ..models import Article, Byline
from .common import format_time


def status_tabs(request):
    """The list's steps as tabs, each with the number of stories at it, shown without a click and
    counted among those this person may see: a writer's counts are of their own stories, never
    of a colleague's drafts. The numbers stay whole whatever the list is filtered by."""
    mine = permissions.articles_for(request.user).order_by()
    counts = dict(mine.values_list("status").annotate(count=Count("pk")))
    current = request.GET.get("status__exact")
    only_status = set(request.GET) <= {"status__exact"}
    tabs = [{
        "title": "All", "count": sum(counts.values()), "query": "?",
        "current": not request.GET,
    }]
    for status, title in Article.Status.choices:
        tabs.append({
            "title": title,
            "count": counts.get(status, 0),
            "query": f"?status__exact={status}",
            "current": only_status and current == status,
        })
    return tabs


class DeskFilter(admin.SimpleListFilter):
    """The desk's sections (articles.desk), each the whole set its "See all" link shows."""

    title = "desk section"
    parameter_name = "desk"

    def lookups(self, request, model_admin):
        return [(section.key, section.title) for section in desk.SECTIONS]

    def queryset(self, request, queryset):
        section = desk.SECTIONS_BY_KEY.get(self.value())
        if section is None:
            return queryset
        return queryset.filter(pk__in=section.articles(request.user).values("pk"))


class ArticleChangeList(ChangeList):
    """The list's rows with their bylines, their latest revision and their open forms: one
    query each for the whole page."""

    def get_queryset(self, request, exclude_parameters=None):
        articles = super().get_queryset(request, exclude_parameters)
        bylines = Byline.objects.select_related("author")
        articles = articles.annotate(last_revision=_latest_revision()).prefetch_related(
            Prefetch("bylines", queryset=bylines)
        )
        return presence.with_presences(articles)

    def get_results(self, request):
        super().get_results(request)
        rows = list(self.result_list)
        revisions = Revision.objects.select_related("user").in_bulk(
            {row.last_revision for row in rows if row.last_revision}
        )
        for row in rows:
            row.last_edit = revisions.get(row.last_revision)
        self.result_list = rows


def _latest_revision():
    """The id of the latest revision that saved the article (from django-reversion, which keeps
    who saved each one and when, through the admin's forms and actions and the wire importer
    alike)."""
    versions = Version.objects.get_for_model(Article).filter(
        object_id=Cast(OuterRef("pk"), CharField())
    )
    return Subquery(versions.order_by("-pk").values("revision")[:1])


class ArticleListColumns:
    """For the article admin: the columns the list adds to Django's, and the status tabs."""

    change_list_template = "admin/articles/article/change_list.html"

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    def changelist_view(self, request, extra_context=None):
        extra_context = {"status_tabs": status_tabs(request), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    @admin.display(description="Byline")
    def byline(self, obj):
        return ", ".join(author.name for author in obj.byline_authors) or "—"

    @admin.display(description="Label", ordering="label")
    def label_name(self, obj):
        return obj.get_label_display()

    @admin.display(description="Last edited")
    def last_edited(self, obj):
        revision = getattr(obj, "last_edit", None)
        if revision is None:
            return "—"
        who = revision.user
        name = (who.get_full_name() or who.get_username()) if who else "someone"
        return format_html(
            '{}<span class="edited-at">{}</span>', name, format_time(revision.date_created)
        )

    @admin.display(description="Open now")
    def open_by(self, obj):
        people = getattr(obj, "open_now", [])
        if not people:
            return ""
        return format_html_join(
            "", '<span class="open-by">{} since {}</span>',
            (
                (presence.person(entry.user), timezone.localtime(entry.since).strftime("%H:%M"))
                for entry in people
            ),
        )
