from django import forms

from .images import check_image_upload
from .models import Image


class ImageForm(forms.ModelForm):
    class Meta:
        model = Image
        fields = [
            "file", "alt_text", "caption", "credit", "credit_url", "licence", "source_url",
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # An unchanged image on an edit is already stored and was checked when it arrived.
        if upload and "file" in self.changed_data:
            check_image_upload(upload)
        return upload
