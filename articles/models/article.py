import uuid
from datetime import timedelta
from html import unescape

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, Prefetch
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from ..html import clean_body
from .author import Author
from .fields import WebAddressField
from .image import Image
from .section import Section


class ArticleQuerySet(models.QuerySet):
    def published(self, until=None):
        """What readers may see: published, the publication time has come and the expiry (if the
        article has one) has not.

        With `until`, only what was out by then (never later than now). A listing's later pages
        ask for the articles published before the last one shown: bounding the range there rather
        than at now lets the database start reading the index at that article, not at the newest.
        """
        now = timezone.now()
        until = now if until is None else min(until, now)
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=until).exclude(
            expires_at__lte=now
        )

    def scheduled(self):
        """Published for a time still to come: what published() will show, by itself, then."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())

    def expiring(self):
        """Out now with an expiry still to come: what published() will stop showing, by itself."""
        now = timezone.now()
        return self.filter(
            status=Article.Status.PUBLISHED, published_at__lte=now, expires_at__gt=now
        )

    def expired(self):
        """Out once, until their expiry passed: published, but no longer shown."""
        now = timezone.now()
        return self.filter(
            status=Article.Status.PUBLISHED, published_at__lte=now, expires_at__lte=now
        )

    def hidden_ids(self):
        """The ids of what readers may not see: exactly what published() leaves out.

        Drafts, articles in review or taken down, scheduled and expired ones are a small share of
        the newsroom: the parts of the published index either side of the published range, and
        the expiry index's range of what has come down, each read from the index alone. So
        "published" can be counted, or searched, as "all but these".
        """
        published = Article.Status.PUBLISHED
        ids = self.order_by().values("pk")
        return ids.filter(status__lt=published).union(
            ids.filter(status__gt=published),
            ids.scheduled(),
            ids.expired(),
            ids.filter(status=published, published_at__isnull=True),
            all=True,
        )

    def published_exists(self, pk):
        """Exists(): whether the article whose primary key is `pk` (an OuterRef) is published.

        Asked of the articles one at a time, by their key: for "does this tag, author or
        correction have an article out?" it reads the few articles concerned, not the published.
        """
        return Exists(self.published().filter(pk=pk))

    def tagged(self, tag, until=None):
        """The articles with `tag`, newest first, in the order of their links (ArticleTag).

        See _through_links(): the tag's page and feed read the tag's own links in order, however
        few or old its articles are among the rest.
        """
        return self._through_links("tagged_items", "content_object", until, tag=tag)

    def written_by(self, author, until=None):
        """The articles with `author` in their byline, newest first, in the order of the
        bylines: like tagged(), for an author's page and feed."""
        return self._through_links("bylines", "article", until, author=author)

    def _through_links(self, links, article_field, until, **owner):
        """The articles that the `links` (a related name) of one `owner` lead to, newest first.

        Each link holds a copy of its article's publication time, and the links' index (owner,
        publication time, article) keeps them in that order: the database reads the owner's
        links from `until` (default now) backwards and stops at a page. Walking the published
        index instead, a tag whose articles are all years old was found only after every newer
        article had been read. Which articles readers may see is still published()'s to say, asked
        of each article by its key; the links' times only put them in order.

        `listed_at` and `listed_pk` name that order, as they do on every listing's articles.
        """
        joined = {f"{links}__{name}": value for name, value in owner.items()}
        joined[f"{links}__published_at__lte"] = until or timezone.now()
        # One filter() call, so that the annotations below share its join to the owner's links.
        return (
            self.filter(**joined)
            .annotate(
                listed_at=F(f"{links}__published_at"), listed_pk=F(f"{links}__{article_field}")
            )
            .order_by("-listed_at", "-listed_pk")
        )

    def for_listing(self):
        """Everything a card shows, in a fixed number of queries."""
        return self.select_related("section", "lead_image").prefetch_related(
            Prefetch("bylines", queryset=Byline.objects.select_related("author"))
        )

    def for_feed(self):
        """A card's needs plus what a feed item carries: tags as categories, and corrections.

        The tags come through their links (see Article.tag_list): prefetching taggit's `tags`
        builds a fresh queryset per article just to hold its results, a millisecond an article.
        """
        tags = ArticleTag.objects.select_related("tag").order_by("tag__name", "pk")
        return self.for_listing().prefetch_related(
            Prefetch("tagged_items", queryset=tags), "corrections"
        )

    def for_page(self):
        return self.for_feed().prefetch_related("references")


class Article(models.Model):
    class Label(models.TextChoices):
        """What kind of work the article is, shown above its headline wherever it goes."""

        NEWS = "news", "News"
        ANALYSIS = "analysis", "Analysis"
        OPINION = "opinion", "Opinion"
        REVIEW = "review", "Review"
        EXPLAINER = "explainer", "Explainer"
        SPONSORED = "sponsored", "Sponsored"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"

    uuid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    headline = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The last part of the article's web address. Filled in from the headline.",
    )
    standfirst = models.TextField(
        blank=True,
        max_length=500,
        help_text="One or two sentences under the headline that say what the story is about.",
    )
    body = ProseEditorField(
        blank=True,
        extensions={
            "Bold": True,
            "Italic": True,
            "Heading": {"levels": [2, 3]},
            "BulletList": True,
            "OrderedList": True,
            "ListItem": True,
            "Blockquote": True,
            "HardBreak": True,
            "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
        },
        sanitize=clean_body,
    )
    label = models.CharField(
        max_length=20,
        choices=Label.choices,
        default=Label.NEWS,
        help_text="The kind of work: readers see it above the headline. Sponsored stories are "
        "paid for by an advertiser and are marked so everywhere.",
    )
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="articles")
    authors = models.ManyToManyField(
        Author, through="Byline", related_name="articles", blank=True
    )
    lead_image = models.ForeignKey(
        Image,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
        help_text="The picture at the top of the story and on its cards.",
    )
    tags = TaggableManager(
        through="ArticleTag", blank=True, help_text="A comma-separated list of tags."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        help_text="When readers may see the story. A time in the future schedules it; "
        "left empty, publishing fills in the current time.",
    )
    expires_at = models.DateTimeField(
        "expires at",
        null=True,
        blank=True,
        help_text="When readers stop seeing the story: it comes down by itself at this time, "
        "for embargoed partner content or a time-limited offer. Leave empty to keep it up.",
    )
    first_published_at = models.DateTimeField(
        null=True, blank=True, editable=False,
        help_text="When readers first could see the story; it never changes afterwards.",
    )
    updated_at = models.DateTimeField(
        null=True, blank=True, editable=False,
        help_text="The last substantive update: a correction, or a change an editor marked so.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False,
        on_delete=models.SET_NULL, related_name="+",
        help_text="Who started the article: a writer may edit their own drafts.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Every save, however small; the edit-conflict check compares it.
    modified_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [
            # What readers see, in the order they see it: published(), newest first. The index
            # is read backwards, so it needs no sort. The section and lead image at the end are
            # what every listing joins on: a page deep in a listing skips its thousands of
            # earlier articles in the index alone, without reading their rows.
            models.Index(
                fields=["status", "published_at", "id", "section", "lead_image"],
                name="article_published_idx",
            ),
            # A section's page and feed.
            models.Index(
                fields=["section", "status", "published_at", "id", "lead_image"],
                name="article_section_published_idx",
            ),
            # The sitemap index's newest change: the few articles updated after the newest was
            # published, found (with their publication time) in the index alone.
            models.Index(
                fields=["status", "updated_at", "published_at"], name="article_updated_idx"
            ),
            # The news sitemap: articles first published in the last two days.
            models.Index(
                F("status"), Coalesce("first_published_at", "published_at"),
                name="article_first_published_idx",
            ),
            # The articles that have come down, and the next to come down (articles.caching),
            # from the index alone: only articles given an expiry are in its range.
            models.Index(
                fields=["status", "expires_at", "published_at"], name="article_expiry_idx"
            ),
        ]
        permissions = [("publish_article", "Can publish, schedule and unpublish articles")]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        self.body = clean_body(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        day = timezone.localdate(self.published_at or self.created_at or timezone.now())
        return reverse(
            "articles:article",
            kwargs={
                "section": self.section.slug,
                "year": day.year,
                "month": f"{day.month:02d}",
                "day": f"{day.day:02d}",
                "slug": self.slug,
            },
        )

    @property
    def is_published(self):
        """The instance mirror of ArticleQuerySet.published()."""
        now = timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
            and (self.expires_at is None or self.expires_at > now)
        )

    @property
    def is_scheduled(self):
        """The instance mirror of ArticleQuerySet.scheduled()."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def is_expired(self):
        """The instance mirror of ArticleQuerySet.expired()."""
        now = timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
            and self.expires_at is not None
            and self.expires_at <= now
        )

    @property
    def guid(self):
        """The feed id: stable for the article's life, whatever happens to its address."""
        return f"urn:uuid:{self.uuid}"

    @property
    def byline_authors(self):
        return [byline.author for byline in self.bylines.all()]

    @property
    def tag_list(self):
        """The article's tags by name, from the links for_feed() reads with the articles."""
        return [item.tag for item in self.tagged_items.all()]

    @property
    def summary(self):
        """The standfirst, or the opening of the body when there is none."""
        # strip_tags leaves entities such as &amp; in place; the summary is plain text.
        return self.standfirst or Truncator(unescape(strip_tags(self.body))).words(40)

    @property
    def was_updated(self):
        """Whether readers should be told the article changed since it was published."""
        return bool(
            self.updated_at and self.published_at
            and self.updated_at - self.published_at > timedelta(minutes=1)
        )


class Byline(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines")
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")
    # The article's own, copied: the author's page and feed read their bylines in this order
    # (ArticleQuerySet.written_by). Every save of the article keeps it in step (articles.saving).
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="unique_byline")
        ]
        # The other way round: an author's articles, newest first, from the index alone.
        indexes = [
            models.Index(
                fields=["author", "published_at", "article"], name="byline_author_published_idx"
            )
        ]

    def __str__(self):
        return str(self.author)

    def save(self, *args, **kwargs):
        # A new byline takes its article's time: the admin's byline rows and the importer save it
        # with the article in hand, so this reads nothing.
        self.published_at = self.article.published_at
        super().save(*args, **kwargs)


class ArticleTagQuerySet(models.QuerySet):
    def shown(self):
        """The links to articles readers may see: all but those to Article's hidden_ids().

        Read from the links' index, a tag's shown articles are counted, or found to exist,
        without reading the published articles themselves.
        """
        return self.exclude(content_object__in=Article.objects.hidden_ids())


class ArticleTag(TaggedItemBase):
    content_object = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="tagged_items"
    )
    # The article's own, copied: the tag's page and feed read its links in this order
    # (ArticleQuerySet.tagged). Every save of the article keeps it in step (articles.saving).
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ArticleTagQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tag", "content_object"], name="unique_article_tag")
        ]
        indexes = [
            # The other way round: an article's tags, and the tag list's and sitemap's counts of
            # published articles per tag, from the index alone.
            models.Index(fields=["content_object", "tag"], name="articletag_article_tag_idx"),
            # A tag's articles, newest first.
            models.Index(
                fields=["tag", "published_at", "content_object"],
                name="articletag_tag_published_idx",
            ),
        ]

    def save(self, *args, **kwargs):
        # A new link takes its article's time: taggit's add() and set() save it with the article
        # in hand, so this reads nothing.
        self.published_at = self.content_object.published_at
        super().save(*args, **kwargs)


class Reference(models.Model):
    """A source the article cites."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="references")
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")
    title = models.CharField(max_length=300)
    publisher = models.CharField(
        max_length=200, blank=True, help_text="The outlet or body that published it."
    )
    url = WebAddressField(
        "URL", max_length=500, blank=True,
        help_text="A web address starting with http:// or https://.",
    )
    date = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title
