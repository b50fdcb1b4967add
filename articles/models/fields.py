from django.core.validators import URLValidator
from django.db import models


class WebAddressField(models.URLField):
    """A link readers may follow: http or https only, and a typed bare domain means https."""

    default_validators = [URLValidator(schemes=["http", "https"])]

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})

# Section pages live at the top of the site (/business/), so a section may not take a path the
# site already uses.
