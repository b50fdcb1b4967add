"""Picking or uploading an article's lead image in the article form itself.

The form shows the chosen image as a thumbnail with its credit and licence. A dialog
(static/admin/newsroom/lead-image.js) offers the images the user may use, a search, and an
upload with the image form's own rules; it talks to the views below, which answer with pieces of
HTML rendered here, so the rules and the markup live on the server. Without the script the
admin's own autocomplete box stays, and the article form still refuses an image the user may
not use, whoever posts it.
"""

from django import forms
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse

from .. import permissions
from ..images.forms import ImageForm
from ..images.orphans import delete_orphans_beside
from ..images.renditions import make_renditions
from ..models import Image

CHOICES_PER_PAGE = 24


class LeadImageUploadForm(ImageForm):
    """The image form with the fields a picture needs: its rules, fewer boxes."""

    class Meta(ImageForm.Meta):
        fields = ["file", "alt_text", "caption", "credit", "licence", "copyright_notice"]
        labels = {"file": "Picture file"}

    def __init__(self, *args, **kwargs):
        # Ids of its own: the dialog shares its page with the article form.
        kwargs.setdefault("auto_id", "lead-image-%s")
        super().__init__(*args, **kwargs)


class LeadImageWidget(forms.Widget):
    """The chosen image as a card, a button that opens the dialog, and the admin's autocomplete
    box (the way in without the script). The image shown is looked up among those the field
    offers, so a forged id shows nothing."""

    template_name = "admin/articles/lead_image/field.html"

    def __init__(self, picker):
        self.picker = picker
        super().__init__(picker.attrs)

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.picker = self.picker.__deepcopy__(memo)
        return copy

    @property
    def media(self):
        return self.picker.media + forms.Media(
            css={"all": ["admin/newsroom/lead-image.css"]},
            js=["admin/newsroom/lead-image.js"],
        )

    @property
    def choices(self):
        return self.picker.choices

    @choices.setter
    def choices(self, value):
        self.picker.choices = value

    @property
    def is_hidden(self):
        return False

    def id_for_label(self, id_):
        return self.picker.id_for_label(id_)

    def value_from_datadict(self, data, files, name):
        return self.picker.value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return self.picker.value_omitted_from_data(data, files, name)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["picker"] = self.picker.render(name, value, attrs)
        context["image"] = self.chosen_image(value)
        context["urls"] = {
            "dialog": reverse("admin:articles_article_lead_image_dialog"),
            "choices": reverse("admin:articles_article_lead_image_choices"),
            "upload": reverse("admin:articles_article_lead_image_upload"),
            "card": reverse("admin:articles_article_lead_image_card"),
        }
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # By the site's templates, not the form renderer's (which reads only the apps' own).
        return render_to_string(self.template_name, self.get_context(name, value, attrs))

    def chosen_image(self, value):
        queryset = getattr(self.choices, "queryset", None)
        if queryset is None or value in (None, ""):
            return None
        try:
            pk = Image._meta.pk.to_python(value)
            Image._meta.pk.run_validators(pk)
        except (ValidationError, TypeError, ValueError):
            return None
        return queryset.filter(pk=pk).first()


def search_images(images, query):
    """Images whose caption, alt text or credit holds every word of `query`."""
    for word in query.split()[:10]:
        images = images.filter(
            Q(caption__icontains=word) | Q(alt_text__icontains=word) | Q(credit__icontains=word)
        )
    return images


class LeadImagePicking:
    """For the article admin: the lead image field as a card and a dialog, and the dialog's
    views. Each view answers only a user who may write articles, with the images that user may
    see (articles.permissions.images_for); an upload also needs the right to add images."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "lead_image" and field is not None:
            picker = field.widget
            if isinstance(picker, RelatedFieldWidgetWrapper):
                # Without its "add" and "change" links, which open a pop-up window.
                picker = picker.widget
            field.widget = LeadImageWidget(picker)
        return field

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("lead-image/", view(self.lead_image_dialog),
                 name="articles_article_lead_image_dialog"),
            path("lead-image/choices/", view(self.lead_image_choices),
                 name="articles_article_lead_image_choices"),
            path("lead-image/card/", view(self.lead_image_card),
                 name="articles_article_lead_image_card"),
            path("lead-image/upload/", view(self.lead_image_upload),
                 name="articles_article_lead_image_upload"),
            *super().get_urls(),
        ]

    def _check_may_pick(self, request):
        may_write = self.has_add_permission(request) or self.has_change_permission(request)
        if not (may_write and request.user.has_perm("articles.view_image")):
            raise PermissionDenied

    def _may_upload(self, request):
        return request.user.has_perm("articles.add_image")

    def _choices_context(self, request):
        query = request.GET.get("q", "").strip()[:200]
        try:
            page = max(1, int(request.GET.get("page", "1")))
        except ValueError:
            page = 1
        page = min(page, 1000)
        images = search_images(permissions.images_for(request.user), query)
        start = (page - 1) * CHOICES_PER_PAGE
        shown = list(images.order_by("-uploaded_at", "-pk")[start:start + CHOICES_PER_PAGE + 1])
        return {
            "query": query,
            "images": shown[:CHOICES_PER_PAGE],
            "next_page": page + 1 if len(shown) > CHOICES_PER_PAGE else None,
            "chosen": request.GET.get("chosen", ""),
        }

    def lead_image_dialog(self, request):
        """What the dialog holds when it opens: the search, the first images, the upload."""
        self._check_may_pick(request)
        context = {
            **self._choices_context(request),
            "upload_form": LeadImageUploadForm() if self._may_upload(request) else None,
            "upload_url": reverse("admin:articles_article_lead_image_upload"),
        }
        return TemplateResponse(request, "admin/articles/lead_image/dialog.html", context)

    def lead_image_choices(self, request):
        self._check_may_pick(request)
        return TemplateResponse(
            request, "admin/articles/lead_image/choices.html", self._choices_context(request)
        )

    def lead_image_card(self, request):
        """The card of one image the user may use, shown in the form once it is picked."""
        self._check_may_pick(request)
        # Asked of the images this user may see: another's is as absent as a missing one.
        image = _visible_image(request.user, request.GET.get("id"))
        return TemplateResponse(
            request, "admin/articles/lead_image/card.html", {"image": image}
        )

    def lead_image_upload(self, request):
        """Upload an image from the dialog. 201 with its card once stored; otherwise 200 with
        the form again: its errors, a photo already in the library, or details to check."""
        self._check_may_pick(request)
        if not self._may_upload(request):
            raise PermissionDenied
        if request.method != "POST":
            form = LeadImageUploadForm()
        else:
            form_class = type("LeadImageUploadForm", (LeadImageUploadForm,), {"user": request.user})
            form = form_class(request.POST, request.FILES)
            if form.is_valid():
                # As the image admin saves one: the row, its renditions and the log, or none.
                with transaction.atomic():
                    image = form.save(commit=False)
                    image.uploaded_by = request.user
                    image.save()
                    make_renditions(image)
                    self.log_addition(request, image, [{"added": {}}])
                form.forget_pending()
                delete_orphans_beside(image)
                return TemplateResponse(
                    request, "admin/articles/lead_image/card.html",
                    {"image": image}, status=201,
                )
        return TemplateResponse(request, "admin/articles/lead_image/upload.html", {
            "upload_form": form,
            "upload_url": reverse("admin:articles_article_lead_image_upload"),
        })


def _visible_image(user, value):
    try:
        pk = Image._meta.pk.to_python(value)
        Image._meta.pk.run_validators(pk)
    except (ValidationError, TypeError, ValueError):
        raise Http404("No such picture.") from None
    image = permissions.images_for(user).filter(pk=pk).first()
    if image is None:
        raise Http404("No such picture.")
    return image
