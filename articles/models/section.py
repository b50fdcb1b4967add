from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

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
