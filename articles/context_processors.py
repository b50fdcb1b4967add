from django.conf import settings

from .models import Section


def site(request):
    """The site's name and the sections for the navigation, on every public page."""
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "site_description": settings.NEWSROOM_SITE_DESCRIPTION,
        "language_code": settings.LANGUAGE_CODE,
        "navigation_sections": Section.objects.all(),
    }
