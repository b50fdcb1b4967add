import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.text import Truncator

from .fields import WebAddressField


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
    # (Uploads arrive here already renamed after their content; see articles.images.uploads.)
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in {"jpg", "jpeg", "png", "webp", "gif", "avif"}:
        extension = "img"
    return timezone.now().strftime(f"images/%Y/%m/{uuid.uuid4().hex}.{extension}")


def _focal_field(help_text):
    return models.FloatField(
        default=0.5,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=help_text,
    )


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
    copyright_notice = models.CharField(
        max_length=300,
        blank=True,
        help_text="The owner's own copyright line, e.g. “© 2026 Ana Ruiz”, if they give one. "
        "Feeds carry it.",
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
    # The subject of the image, which crops for cards and thumbnails keep in view.
    focal_x = _focal_field("0 is the left edge, 1 the right edge, 0.5 the middle.")
    focal_y = _focal_field("0 is the top, 1 the bottom, 0.5 the middle.")
    # The sizes made from the file, by name ("16x9-640.webp"): where each is stored and its
    # size. Kept on the row so that a page showing many images needs no query for them.
    renditions = models.JSONField(default=dict, blank=True, editable=False)
    # What the picture shows, as a digest of its decoded pixels: the same photo uploaded twice
    # has the same one, whatever its name (see articles.images.duplicates).
    pixel_digest = models.CharField(max_length=64, blank=True, editable=False, db_index=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        label = self.caption or self.alt_text
        return f"{Truncator(label).chars(60)} ({self.credit})"

    @property
    def licence_url(self):
        return LICENCE_URLS.get(self.licence, "")

    @property
    def copyright_line(self):
        """Who holds the rights, in a line: the owner's own notice, or one made from the credit."""
        if self.copyright_notice:
            return self.copyright_notice
        if self.licence == Licence.PUBLIC_DOMAIN:
            return f"Public domain ({self.credit})"
        if self.licence == Licence.CC0:
            return f"No rights reserved ({self.credit}, {self.get_licence_display()})"
        return f"© {self.credit}"
