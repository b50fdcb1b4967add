"""The image form: an upload checked, cleaned and kept while the editor finishes the form.

Used by the image admin; what it checks and keeps is in `uploads`, what it fills in from the
photo itself in `details`.
"""

from django import forms
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from ..models import Image
from .details import read_photo_details
from .duplicates import duplicates_of, pixel_digest
from .thumbnails import thumbnail
from .uploads import (
    ACCEPT_ATTRIBUTE,
    check_image_upload,
    cleaned_copy,
    discard_pending,
    keep_pending,
    open_pending,
    read_pending,
)


class ImageFileField(forms.FileField):
    """An image upload judged by its content alone.

    The uploaded name is never kept, so it is not checked either: a long or odd name is no
    reason to refuse a good image (Django's image field would refuse both).
    """

    def __init__(self, *args, **kwargs):
        kwargs.pop("max_length", None)
        super().__init__(*args, **kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "accept": ACCEPT_ATTRIBUTE}


class ImageForm(forms.ModelForm):
    """The image form. An upload is checked, then kept only as a cleaned copy.

    When the file carries its own credit, caption or licence and those boxes are empty, the form
    fills them in and comes back once for the editor to check. While the form has errors, a good
    upload waits in storage (named by a signed token in the form) so nobody uploads it twice.
    """

    # Required, but asked for only after the photo's own details have had a chance to fill them.
    REQUIRED_FIELDS = ["alt_text", "credit", "licence"]
    # Filled in from the photo, these bring the form back for the editor to check; the owner's
    # copyright line, which readers do not see on the page, is taken as it is.
    CHECKED_FIELDS = ["alt_text", "caption", "credit", "licence"]

    pending_upload = forms.CharField(widget=forms.HiddenInput, required=False)
    # Shown as a box to tick only when the upload is a photo already in the library.
    upload_anyway = forms.BooleanField(
        required=False, widget=forms.HiddenInput, label="Upload it anyway",
        help_text="Keep a second copy of the same photo, e.g. with another credit or caption.",
    )
    user = None  # who is uploading: duplicates are looked for among the images they may see

    class Meta:
        model = Image
        fields = [
            "file", "alt_text", "caption", "credit", "credit_url", "licence",
            "copyright_notice", "source_url", "focal_x", "focal_y",
        ]
        field_classes = {"file": ImageFileField}
        widgets = {
            "alt_text": forms.Textarea(attrs={"rows": 2}),
            "caption": forms.Textarea(attrs={"rows": 3}),
            "focal_x": forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "1"}),
            "focal_y": forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "1"}),
        }
        labels = {"focal_x": "Focal point across", "focal_y": "Focal point down"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A focal point left empty is the middle (or stays where it was).
        # (An image shown read-only has none of these fields.)
        for name in [*self.REQUIRED_FIELDS, "file", "focal_x", "focal_y"]:
            if name in self.fields:
                self.fields[name].required = False
        if "file" in self.fields:
            # Without the "clear" box: an image always has its file.
            self.fields["file"].widget.is_required = True
        self.received = None  # the cleaned copy of a file uploaded with this post
        self.received_name = ""
        self.filled_in = []  # fields filled in from the photo without stopping the save
        self.details = None  # what that file says about itself
        self.pending = None  # (stored name, shown name) of an image from an earlier post
        self.duplicates = []  # images in the library with the same pixels as a new file
        if self.is_bound:
            self.pending = read_pending(self.data.get(self.add_prefix("pending_upload")))
        if self.pending:
            self._describe_pending()

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and "file" in self.changed_data:
            check_image_upload(upload)
            self.details = read_photo_details(upload)
            self.received = cleaned_copy(upload)
            self.received_name = upload.name
            self._look_for_duplicates(self.received, upload)
            return self.received
        if self.pending:
            waiting = open_pending(self.pending[0])
            self._look_for_duplicates(waiting)
            return waiting
        if not self.instance.file:
            raise forms.ValidationError("Choose a picture to upload.", code="required")
        return upload

    def _look_for_duplicates(self, new_file, original=None):
        """Note the digest of a new file, and the images in the library with its pixels.

        The image keeps the digest of the copy we store. The library is searched for that (an
        image uploaded here from the same photo) and for the photo's own pixels as sent (an
        image stored as it came, or a download of one of ours).
        """
        self.instance.pixel_digest = pixel_digest(new_file)
        if self.user is None:
            return
        digests = {self.instance.pixel_digest}
        if original is not None:
            digests.add(pixel_digest(original))
        self.duplicates = list(
            duplicates_of(digests, self.user, exclude=self.instance)[:3]
        )

    def _refuse_duplicate_once(self, cleaned_data):
        if not self.duplicates or cleaned_data.get("upload_anyway"):
            return
        self.fields["upload_anyway"].widget = forms.CheckboxInput()
        self._set_help_text("upload_anyway", format_html(
            "{} Or use the picture already in the library: {}",
            self.fields["upload_anyway"].help_text,
            format_html_join("", '<a href="{}" class="duplicate-of">{} {}</a>', (
                (reverse("admin:articles_image_change", args=[image.pk]), thumbnail(image, 48),
                 str(image))
                for image in self.duplicates
            )),
        ))
        first = self.duplicates[0]
        self.add_error("file", forms.ValidationError(
            "This photo is already in the library: “%(existing)s”, credit %(credit)s. Use that "
            "picture, or tick “Upload it anyway” to keep a second copy.",
            code="duplicate",
            params={"existing": first.caption or first.alt_text, "credit": first.credit},
        ))

    def clean_focal_x(self):
        return self._focal_point("focal_x")

    def clean_focal_y(self):
        return self._focal_point("focal_y")

    def _focal_point(self, name):
        value = self.cleaned_data.get(name)
        return getattr(self.instance, name) if value is None else value

    def clean(self):
        cleaned_data = super().clean()
        self._refuse_duplicate_once(cleaned_data)
        self.filled_in = self._fill_in_from_photo(cleaned_data) if self.details else []
        for name in self.REQUIRED_FIELDS:
            if not cleaned_data.get(name) and name not in self.errors:
                self.add_error(name, forms.ValidationError(
                    self.fields[name].error_messages["required"], code="required"
                ))
        if any(name in self.CHECKED_FIELDS for name in self.filled_in):
            names = [str(self.fields[name].label).lower() for name in self.filled_in]
            listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
            self.add_error(None, forms.ValidationError(
                "We filled in the %(fields)s from the photo's own details. Check them, then "
                "save again.", code="filled_in", params={"fields": listed},
            ))
        return cleaned_data

    def _fill_in_from_photo(self, cleaned_data):
        """Put what the file says into the empty boxes; the names of those filled."""
        filled = []
        data = self.data.copy()
        for name, value in self.details.form_values().items():
            if name not in self.fields or cleaned_data.get(name) or name in self.errors:
                continue
            cleaned_data[name] = value
            data[self.add_prefix(name)] = value
            self._set_help_text(name, format_html(
                "<strong>Filled in from the photo — check it.</strong> {}",
                self.fields[name].help_text,
            ))
            filled.append(name)
        self.data = data
        return filled

    def full_clean(self):
        super().full_clean()
        if self.is_bound and self._errors and self.received is not None:
            # The image itself was fine: keep it while the editor sees to the rest.
            if self.pending:
                discard_pending(self.pending[0])
            data = self.data.copy()
            data[self.add_prefix("pending_upload")] = keep_pending(
                self.received, self.received_name
            )
            self.data = data
            self.pending = read_pending(data[self.add_prefix("pending_upload")])
            self._describe_pending()

    def _describe_pending(self):
        name, shown = self.pending
        self._set_help_text("file", format_html(
            '<img src="{}" alt="" class="pending-preview" width="320" data-focal-point-preview> '
            "We have your picture “{}”: it is kept while you finish the form. Choose a file "
            "only to replace it.",
            default_storage.url(name), shown,
        ))

    def _set_help_text(self, name, text):
        # The bound field, made while cleaning, keeps its own copy.
        self.fields[name].help_text = text
        self[name].help_text = text

    def forget_pending(self):
        """After a save: the waiting copy has been stored for good."""
        if self.pending:
            discard_pending(self.pending[0])
            self.pending = None
