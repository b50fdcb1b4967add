import uuid
from datetime import timedelta
from html import unescape

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from .html import clean_body, strip_control_characters


class WebAddressField(models.URLField):
    """A link readers may follow: http or https only, and a typed bare domain means https."""

    default_validators = [URLValidator(schemes=["http", "https"])]

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})

# Section pages live at the top of the site (/business/), so a section may not take a path the
# site already uses.
RESERVED_SECTION_SLUGS = {
    "admin", "authors", "feed", "feeds", "media", "search", "static", "tags",
    "sitemap.xml", "robots.txt", "corrections", "preview", "healthz",
}


def validate_section_slug(value):
    if value in RESERVED_SECTION_SLUGS:
        raise ValidationError(
            "“%(slug)s” is already a page of the site; choose another slug.",
            params={"slug": value},
        )


class Section(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(
        max_length=100,
        unique=True,
        validators=[validate_section_slug],
        help_text="The section's web address, e.g. “city” for /city/.",
    )
    description = models.TextField(
        blank=True, help_text="One or two sentences shown at the top of the section page."
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order in the site navigation: lower numbers come first."
    )

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:section", kwargs={"slug": self.slug})


class Author(models.Model):
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    bio = models.TextField(blank=True, help_text="A short biography shown on the author's page.")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author",
        help_text="Optional: the staff account of this author, if they have one.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})


class Licence(models.TextChoices):
    CC_BY = "cc-by-4.0", "CC BY 4.0"
    CC_BY_SA = "cc-by-sa-4.0", "CC BY-SA 4.0"
    CC_BY_ND = "cc-by-nd-4.0", "CC BY-ND 4.0"
    CC0 = "cc0-1.0", "CC0 1.0"
    PUBLIC_DOMAIN = "public-domain", "Public domain"
    ALL_RIGHTS_RESERVED = "all-rights-reserved", "All rights reserved"
    USED_WITH_PERMISSION = "used-with-permission", "Used with permission"
    HANDOUT = "handout", "Handout"


LICENCE_URLS = {
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/",
    Licence.CC_BY_ND: "https://creativecommons.org/licenses/by-nd/4.0/",
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
    Licence.PUBLIC_DOMAIN: "https://creativecommons.org/publicdomain/mark/1.0/",
}


def image_upload_to(instance, filename):
    # Never trust the uploaded name: store under a generated one, keeping only a known extension.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in {"jpg", "jpeg", "png", "webp", "gif"}:
        extension = "img"
    return timezone.now().strftime(f"images/%Y/%m/{uuid.uuid4().hex}.{extension}")


class Image(models.Model):
    file = models.ImageField(
        upload_to=image_upload_to, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    alt_text = models.CharField(
        max_length=300,
        help_text="What the picture shows, for readers who cannot see it. Required.",
    )
    caption = models.TextField(blank=True, help_text="Shown under the picture.")
    credit = models.CharField(
        max_length=200,
        help_text="Who made or owns the picture, as printed, e.g. “Ana Ruiz / Courier”.",
    )
    credit_url = WebAddressField(
        "credit URL", blank=True, help_text="Optional link for the credit."
    )
    licence = models.CharField(
        max_length=30,
        choices=Licence.choices,
        help_text="The terms under which we publish the picture.",
    )
    source_url = WebAddressField(
        "source URL",
        blank=True,
        help_text="Where the picture came from, if it was published elsewhere first.",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        label = self.caption or self.alt_text
        return f"{Truncator(label).chars(60)} ({self.credit})"

    @property
    def licence_url(self):
        return LICENCE_URLS.get(self.licence, "")


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What readers may see: published, and the publication time has come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def for_listing(self):
        """Everything a card shows, in a fixed number of queries."""
        return self.select_related("section", "lead_image").prefetch_related(
            Prefetch("bylines", queryset=Byline.objects.select_related("author"))
        )

    def for_feed(self):
        """A card's needs plus the tags, which a feed item carries as categories."""
        return self.for_listing().prefetch_related("tags")

    def for_page(self):
        return self.for_feed().prefetch_related("references")


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "-published_at"], name="article_published_idx")]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        self.headline = strip_control_characters(self.headline)
        self.standfirst = strip_control_characters(self.standfirst)
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
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def guid(self):
        """The feed id: stable for the article's life, whatever happens to its address."""
        return f"urn:uuid:{self.uuid}"

    @property
    def byline_authors(self):
        return [byline.author for byline in self.bylines.all()]

    @property
    def summary(self):
        """The standfirst, or the opening of the body when there is none."""
        # strip_tags leaves entities such as &amp; in place; the summary is plain text.
        return self.standfirst or Truncator(unescape(strip_tags(self.body))).words(40)

    @property
    def was_updated(self):
        return bool(
            self.published_at and self.updated_at - self.published_at > timedelta(minutes=1)
        )


class Byline(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines")
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="unique_byline")
        ]

    def __str__(self):
        return str(self.author)


class ArticleTag(TaggedItemBase):
    content_object = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tag", "content_object"], name="unique_article_tag")
        ]


class Reference(models.Model):
    """A source the story cites."""

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
