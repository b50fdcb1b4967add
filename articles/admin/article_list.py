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
from django.utils.html import format_html_join
from reversion.models import Revision, Version

from .. import desk, permissions, presence
from ..models import Article, Byline
from .common import format_time


class StatusFilter(admin.ChoicesFieldListFilter):
    """The status filter with the number of stories at each step, shown without a click and
    counted among those this person may see: a writer's counts are of their own stories, never
    of a colleague's drafts."""

    def __init__(self, field, request, *args, **kwargs):
        self.user = request.user
        super().__init__(field, request, *args, **kwargs)

    def choices(self, changelist):
        if changelist.add_facets:  # Django's own counts, of the list as it is now filtered
            yield from super().choices(changelist)
            return
        mine = permissions.articles_for(self.user).order_by()
        counts = dict(mine.values_list("status").annotate(count=Count("pk")))
        yield {
            "selected": self.lookup_val is None,
            "query_string": changelist.get_query_string(
                remove=[self.lookup_kwarg, self.lookup_kwarg_isnull]
            ),
            "display": f"All ({sum(counts.values())})",
        }
        for status, title in self.field.flatchoices:
            yield {
                "selected": self.lookup_val is not None and status in self.lookup_val,
                "query_string": changelist.get_query_string(
                    {self.lookup_kwarg: status}, [self.lookup_kwarg_isnull]
                ),
                "display": f"{title} ({counts.get(status, 0)})",
            }


class DeskFilter(admin.SimpleListFilter):
    """The desk's sections (articles.desk), each the whole set its "See all" link shows."""

    title = "on the desk"
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
    """For the article admin: the columns the list adds to Django's."""

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

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
        return f"{name}, {format_time(revision.date_created)}"

    @admin.display(description="Open now")
    def open_by(self, obj):
        people = getattr(obj, "open_by", [])
        if not people:
            return ""
        return format_html_join(
            "", '<span class="open-by">{} since {}</span>',
            (
                (presence.person(entry.user), timezone.localtime(entry.since).strftime("%H:%M"))
                for entry in people
            ),
        )
