"""The article form's own short navigation: jump links to its parts, so that corrections and
share links are a click away rather than at the bottom of a long form."""

from django.urls import reverse

# The article's parts edited on its page (inline formsets, by prefix), as the links name them.
PART_LINKS = {
    "bylines": "Byline",
    "references": "Sources",
    "corrections": "Corrections",
    "share_links": "Share links",
}


class FormNavigation:
    """For the article admin: `article_parts`, the links of the form's navigation, in the
    change form's context (shown by admin/articles/article/form_navigation.html)."""

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # A story shown read-only has no boxes to jump to, only its parts below.
        fields = context["adminform"].form.fields if "adminform" in context else {}
        links = []
        if "headline" in fields:
            links.append(("Text", "#id_headline", None))
        if "lead_image" in fields:
            links.append(("Picture", "#lead-image-picker", None))
        for formset in context.get("inline_admin_formsets", []):
            prefix = formset.formset.prefix
            if prefix in PART_LINKS:
                count = len(formset.formset.initial_forms)
                links.append((PART_LINKS[prefix], f"#{prefix}-group", count))
        if obj is not None and obj.pk:
            history = reverse("admin:articles_article_history", args=[obj.pk])
            links.append(("History", history, None))
        context["article_parts"] = links
        return super().render_change_form(request, context, add, change, form_url, obj)
