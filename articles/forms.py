from django import forms
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.urls import reverse

from .images import check_image_upload
from .models import Article, Image
from .tagging import clean_tag_names


class ImageForm(forms.ModelForm):
    class Meta:
        model = Image
        fields = [
            "file", "alt_text", "caption", "credit", "credit_url", "licence", "source_url",
        ]
        widgets = {
            "alt_text": forms.Textarea(attrs={"rows": 2}),
            "caption": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # An unchanged image on an edit is already stored and was checked when it arrived.
        if upload and "file" in self.changed_data:
            check_image_upload(upload)
        return upload


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
