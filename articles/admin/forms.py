"""The admin's own forms: the article form and its tag picker, shaped by who is editing, and
the share link's form, which keeps a link within its longest life."""

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import formats, timezone

from ..models import Article, ShareLink
from ..models.editorial import share_link_lifetime
from ..permissions import images_for, is_editor, statuses_for
from ..publishing import check_publishable
from ..tagging import clean_tag_names
from .common import format_time
from .review import clean_review_step, review_note_field


class TagAutocompleteWidget(AutocompleteSelectMultiple):
    """The admin's own autocomplete, keyed by tag name so an editor can also type a new tag."""

    def __init__(self, admin_site, attrs=None):
        attrs = {"data-tags": "true", "data-token-separators": '[","]', **(attrs or {})}
        super().__init__(Article._meta.get_field("tags"), admin_site, attrs=attrs)

    def get_url(self):
        return reverse(f"{self.admin_site.name}:articles_article_tag_autocomplete")

    def format_value(self, value):
        return [getattr(tag, "name", tag) for tag in value or []]

    def optgroups(self, name, value, attrs=None):
        options = [
            self.create_option(name, tag, tag, True, index) for index, tag in enumerate(value)
        ]
        return [(None, options, 0)]


class TagNamesField(forms.Field):
    """A list of tag names, existing or new, as the autocomplete sends them."""

    def to_python(self, value):
        return clean_tag_names(value or [])

    def has_changed(self, initial, data):
        initial_names = {getattr(tag, "name", tag).casefold() for tag in initial or []}
        try:
            names = self.to_python(data)
        except forms.ValidationError:
            return True
        return initial_names != {name.casefold() for name in names}


class ArticleForm(forms.ModelForm):
    """The article form, shaped by who is using it (`user` is set by the admin).

    It refuses what the user may not do rather than ignoring it, and refuses to overwrite a
    version someone else saved after this form was opened.
    """

    user = None

    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)
    substantive_update = forms.BooleanField(
        required=False,
        label="Tell readers the story was updated",
        help_text="For a change in substance: the page then shows “Updated” with today’s time "
        "and feed readers see the story again. Not for a typo.",
    )
    # The note for the review conversation, and the step the post takes (see admin/review.py).
    review_note = review_note_field()
    review_step = None

    class Meta:
        model = Article
        fields = [
            "label", "headline", "slug", "standfirst", "body", "section", "lead_image", "tags",
            "status", "published_at", "expires_at",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "status" in self.fields:
            allowed = statuses_for(self.user)
            self.fields["status"].choices = [
                (status.value, status.label) for status in allowed
            ]
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.modified_at.isoformat()
        if not is_editor(self.user):
            del self.fields["substantive_update"]
        if "lead_image" in self.fields:
            # An image this user may not see cannot be picked by posting its id either.
            self.fields["lead_image"].queryset = images_for(self.user)

    def clean(self):
        cleaned_data = super().clean()
        for field, what in (("published_at", "publication"), ("expires_at", "expiry")):
            if not is_editor(self.user) and any(key.startswith(field) for key in self.data):
                raise forms.ValidationError(
                    f"Only an editor may set the {what} time.", code="permission"
                )
        self.check_not_changed_since_loaded()
        self.check_expiry_after_publication()
        clean_review_step(self, cleaned_data)
        if cleaned_data.get("status") == Article.Status.PUBLISHED:
            try:
                check_publishable(Article(lead_image=cleaned_data.get("lead_image")))
            except forms.ValidationError as error:
                self.add_error(None, error)
        return cleaned_data

    def check_expiry_after_publication(self):
        expires_at = self.cleaned_data.get("expires_at")
        if expires_at is None or "expires_at" in self._errors:
            return
        published_at = self.cleaned_data.get("published_at")
        if published_at is not None and expires_at <= published_at:
            self.add_error("expires_at", forms.ValidationError(
                "The story must come down after it goes up: choose a time after its publication "
                "time (%(published)s).",
                code="expiry_before_publication",
                params={"published": format_time(published_at)},
            ))
        elif published_at is None and expires_at <= timezone.now():
            self.add_error("expires_at", forms.ValidationError(
                "This time has passed: choose one in the future, or leave it empty to keep the "
                "story up.",
                code="expiry_passed",
            ))

    def check_not_changed_since_loaded(self):
        if not self.instance.pk:
            return
        saved = Article.objects.filter(pk=self.instance.pk).values_list("modified_at", flat=True)
        saved = saved.first()
        loaded = self.cleaned_data.get("loaded_version") or ""
        if saved is None or loaded == saved.isoformat():
            return
        # Saving again after reading this message overwrites, knowingly: the form now carries
        # the newer version's stamp.
        data = self.data.copy()
        data[self.add_prefix("loaded_version")] = saved.isoformat()
        self.data = data
        when = formats.date_format(timezone.localtime(saved), "DATETIME_FORMAT")
        raise forms.ValidationError(
            "Someone else saved this article at %(when)s, after you opened it. Your version is "
            "still below and nothing was saved. Compare it with theirs in the history, then "
            "save again to replace theirs with yours.",
            code="conflict",
            params={"when": when},
        )


class ShareLinkForm(forms.ModelForm):
    revoke = forms.BooleanField(required=False, help_text="The link stops working at once.")
    user = None  # who is making the link: set by ShareLinkInline

    class Meta:
        model = ShareLink
        fields = ["note", "expires_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        expires_at = self.fields["expires_at"]
        expires_at.help_text = (
            "When the link stops working: at most "
            f"{settings.NEWSROOM_SHARE_LINK_MAX_DAYS} days after it is made."
        )
        # The split date and time boxes have no <label> of their own.
        date, time = expires_at.widget.widgets
        date.attrs["aria-label"] = "Expiry date"
        time.attrs["aria-label"] = "Expiry time"

    def clean_expires_at(self):
        expires_at = self.cleaned_data["expires_at"]
        # A time is checked when it is set, so an expired link can still be revoked. "Set" is
        # judged against the stored time, not the form's hidden initial value a post could forge;
        # the form shows whole seconds.
        stored = self.instance.expires_at if self.instance.pk else None
        if stored and expires_at == stored.replace(microsecond=0):
            return stored
        now = timezone.now()
        latest = (self.instance.created_at or now) + share_link_lifetime()
        days = settings.NEWSROOM_SHARE_LINK_MAX_DAYS
        if latest <= now:
            raise ValidationError(
                f"This link is more than {days} days old, the longest a share link works. "
                "Add a new link instead."
            )
        if expires_at <= now:
            revoke = " To close the link now, tick “Revoke”." if self.instance.pk else ""
            raise ValidationError(f"This time has passed: choose one in the future.{revoke}")
        if expires_at > latest:
            raise ValidationError(
                f"A share link works for at most {days} days after it is made: choose a time "
                f"no later than {format_time(latest)}."
            )
        return expires_at

    def save(self, commit=True):
        if self.instance.pk is None:
            self.instance.created_by = self.user  # named on the preview: "Shared by …"
        if self.cleaned_data.get("revoke") and self.instance.revoked_at is None:
            self.instance.revoked_at = timezone.now()
        return super().save(commit)
