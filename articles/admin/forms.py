"""The article form and the tag picker it uses: the admin's own, shaped by who is editing."""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.urls import reverse
from django.utils import formats, timezone

from ..models import Article
from ..permissions import images_for, is_editor, statuses_for
from ..publishing import check_publishable
from ..tagging import clean_tag_names


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

    class Meta:
        model = Article
        fields = [
            "label", "headline", "slug", "standfirst", "body", "section", "lead_image", "tags",
            "status", "published_at",
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
        if not is_editor(self.user) and any(key.startswith("published_at") for key in self.data):
            raise forms.ValidationError(
                "Only an editor may set the publication time.", code="permission"
            )
        self.check_not_changed_since_loaded()
        if cleaned_data.get("status") == Article.Status.PUBLISHED:
            try:
                check_publishable(Article(lead_image=cleaned_data.get("lead_image")))
            except forms.ValidationError as error:
                self.add_error(None, error)
        return cleaned_data

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
