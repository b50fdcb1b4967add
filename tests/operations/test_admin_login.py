"""The admin login that `make run` and a first deployment print: the ensure_admin command."""

import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Author

STRONG_PASSWORD = "tidal-lighthouse-pollack-1896"


def run(command, *args):
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def no_admin_env(monkeypatch):
    monkeypatch.delenv("NEWSROOM_ADMIN_USER", raising=False)
    monkeypatch.delenv("NEWSROOM_ADMIN_PASSWORD", raising=False)


PASSWORD_LINE = re.compile(r"user: admin  password: (\S+)$")


@pytest.mark.django_db
@pytest.mark.usefixtures("no_admin_env")
class TestEnsureAdmin:
    def test_first_run_creates_a_superuser_and_prints_a_working_password(self):
        output = run("ensure_admin")

        assert output.startswith("Admin login: http://127.0.0.1:8000/admin/  user: admin")
        password = PASSWORD_LINE.search(output.strip())[1]
        user = get_user_model().objects.get(username="admin")
        assert user.is_superuser and user.is_staff and user.is_active
        assert authenticate(username="admin", password=password) == user
        assert not Author.objects.filter(user=user).exists()

    def test_later_runs_print_no_password_and_keep_it(self):
        password = PASSWORD_LINE.search(run("ensure_admin").strip())[1]

        output = run("ensure_admin")

        assert password not in output
        assert "password as printed when the account was created" in output
        assert "NEWSROOM_ADMIN_PASSWORD" in output
        assert authenticate(username="admin", password=password) is not None
        assert get_user_model().objects.count() == 1

    def test_password_from_the_environment_is_set_but_not_printed(self, monkeypatch):
        first = PASSWORD_LINE.search(run("ensure_admin").strip())[1]
        monkeypatch.setenv("NEWSROOM_ADMIN_PASSWORD", STRONG_PASSWORD)

        output = run("ensure_admin")

        assert STRONG_PASSWORD not in output
        assert "changed" in output
        assert authenticate(username="admin", password=STRONG_PASSWORD) is not None
        assert authenticate(username="admin", password=first) is None

    def test_new_account_takes_its_name_and_password_from_the_environment(self, monkeypatch):
        monkeypatch.setenv("NEWSROOM_ADMIN_USER", "editor-in-chief")
        monkeypatch.setenv("NEWSROOM_ADMIN_PASSWORD", STRONG_PASSWORD)

        output = run("ensure_admin")

        assert "user: editor-in-chief" in output
        assert STRONG_PASSWORD not in output
        user = authenticate(username="editor-in-chief", password=STRONG_PASSWORD)
        assert user is not None and user.is_superuser

    def test_weak_password_from_the_environment_is_refused(self, monkeypatch):
        monkeypatch.setenv("NEWSROOM_ADMIN_PASSWORD", "admin")

        with pytest.raises(CommandError, match="too weak"):
            run("ensure_admin")
        assert not get_user_model().objects.exists()

    def test_an_existing_staff_account_is_made_a_superuser(self):
        get_user_model().objects.create_user("admin", password=STRONG_PASSWORD)

        output = run("ensure_admin")

        user = get_user_model().objects.get(username="admin")
        assert user.is_superuser and user.is_staff
        assert "made an active superuser" in output
        assert authenticate(username="admin", password=STRONG_PASSWORD) == user
