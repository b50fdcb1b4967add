"""Security glue the libraries do not provide: the Permissions-Policy header, and the page a
member of staff gets when too many failed logins have locked the admin's door for a while."""

from django.conf import settings
from django.contrib import admin
from django.shortcuts import render


class PermissionsPolicyMiddleware:
    """Tell browsers that no page of the site may use the camera, the microphone, location…

    It sits before WhiteNoise in MIDDLEWARE, so static files carry the header as well, and after
    the page cache, which keeps it with each page it stores.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.value = ", ".join(f"{feature}=()" for feature in settings.NEWSROOM_PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        if self.value:
            response.headers.setdefault("Permissions-Policy", self.value)
        return response


def login_locked_out(request, original_response=None, credentials=None):
    """The admin's answer once a name has failed to log in too often from one address.

    It is the same whether or not an account of that name exists, and names none: it tells the
    person how long to wait, not which part of what they typed was wrong.
    """
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {
        **admin.site.each_context(request),
        "title": "Too many failed logins",
        "minutes": minutes,
    }
    return render(
        request, "admin/login_locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )
