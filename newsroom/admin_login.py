"""The site's superuser, made sure to exist with a password someone knows (`ensure_admin`).

The account is named by NEWSROOM_ADMIN_USER (default "admin"). A new account gets
NEWSROOM_ADMIN_PASSWORD, or a generated password that is shown once; on later runs
NEWSROOM_ADMIN_PASSWORD, if set, replaces the password. An existing account of that name is made
an active superuser.
"""

import os
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

DEFAULT_USERNAME = "admin"


class WeakPassword(Exception):
    """NEWSROOM_ADMIN_PASSWORD fails the site's password rules; the message says which."""


@dataclass
class AdminLogin:
    """What ensure_admin did, for the person who ran it: how to log in, and what changed."""

    username: str
    created: bool
    generated_password: str  # "" unless a new account was given a generated password
    password_from_environment: bool
    promoted: bool  # an existing account was made an active superuser

    def summary(self, url):
        login = f"Admin login: {url}  user: {self.username}"
        if self.generated_password:
            lines = [f"{login}  password: {self.generated_password}"]
        elif self.created:
            lines = [f"{login}  password: as set in NEWSROOM_ADMIN_PASSWORD"]
        elif self.password_from_environment:
            lines = [f"{login}  password: changed to NEWSROOM_ADMIN_PASSWORD"]
        else:
            lines = [
                f"{login} (password as printed when the account was created; "
                "set NEWSROOM_ADMIN_PASSWORD to change it)"
            ]
        if self.promoted:
            lines.append(f"The existing account “{self.username}” was made an active superuser.")
        return "\n".join(lines)


def ensure_admin():
    """Create or update the superuser named by the environment. Returns an AdminLogin.

    Raises WeakPassword, and changes nothing, if NEWSROOM_ADMIN_PASSWORD is too weak.
    """
    username = os.environ.get("NEWSROOM_ADMIN_USER", "").strip() or DEFAULT_USERNAME
    password = os.environ.get("NEWSROOM_ADMIN_PASSWORD", "")
    User = get_user_model()

    with transaction.atomic():
        user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
        created = user is None
        if created:
            user = User(**{User.USERNAME_FIELD: username})
        generated = created and not password
        if generated:
            password = secrets.token_urlsafe(12)
        elif password:
            _check(password, user)
        promoted = not created and not (user.is_superuser and user.is_staff and user.is_active)
        user.is_staff = user.is_superuser = user.is_active = True
        if password:
            user.set_password(password)
        user.save()

    return AdminLogin(
        username=username,
        created=created,
        generated_password=password if generated else "",
        password_from_environment=bool(password) and not generated,
        promoted=promoted,
    )


def _check(password, user):
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise WeakPassword(
            "NEWSROOM_ADMIN_PASSWORD is too weak: " + " ".join(error.messages)
        ) from None
