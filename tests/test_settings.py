"""The settings as a person deploying Newsroom meets them: read from the environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def run_django(code, tmp_path, **env):
    """Run `code` in a fresh Python with these variables, after reading the settings as a server
    does first. The apps are not loaded: no test here needs them, and loading them costs most of
    the start."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "NEWSROOM_", "DATABASE_URL"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings", NEWSROOM_VAR_DIR=str(tmp_path), **env
    )
    return subprocess.run(
        [sys.executable, "-c", f"from django.conf import settings; settings.DEBUG; {code}"],
        cwd=PROJECT, env=environment, capture_output=True, text=True, timeout=60,
    )


def test_production_without_a_secret_key_refuses_to_start(tmp_path):
    result = run_django("print('started')", tmp_path, DJANGO_DEBUG="false")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off" in result.stderr
    assert "started" not in result.stdout


def test_production_with_a_secret_key_starts_with_debug_off(tmp_path):
    result = run_django(
        "from django.conf import settings; print(settings.DEBUG, settings.ALLOWED_HOSTS)",
        tmp_path,
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="a-real-secret-from-the-environment",
        DJANGO_ALLOWED_HOSTS="news.example.org, www.news.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False ['news.example.org', 'www.news.example.org']"


def test_the_embedded_database_is_in_wal_mode_with_immediate_transactions(tmp_path):
    result = run_django(
        "from django.db import connection; cursor = connection.cursor();"
        "print(cursor.execute('PRAGMA journal_mode').fetchone()[0],"
        " cursor.execute('PRAGMA busy_timeout').fetchone()[0],"
        " connection.transaction_mode)",
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "20000", "IMMEDIATE"]
    assert (tmp_path / "newsroom.sqlite3").exists()


def test_database_url_chooses_the_database(tmp_path):
    result = run_django(
        "from django.db import connection; print(connection.settings_dict['NAME'])",
        tmp_path,
        DATABASE_URL=f"sqlite:///{tmp_path}/elsewhere.sqlite3",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{tmp_path}/elsewhere.sqlite3"


PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "k3v-9Qz_Lr0wX8pT2mN5bY7cJ4hG6fD1sA0eU3iO9uPq2Wl8Rt5Ey7Nm4Bv6Cx1Zz",
    "DJANGO_ALLOWED_HOSTS": "news.example.org",
}


def run_manage(*arguments, tmp_path, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "NEWSROOM_", "DATABASE_URL", "REDIS_URL"))
    }
    environment.update(NEWSROOM_VAR_DIR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=PROJECT, env=environment, capture_output=True, text=True, timeout=120,
    )


DEPLOY_CHECK = ["check", "--deploy", "--fail-level", "WARNING"]


def test_the_deployment_checklist_passes_in_production(tmp_path):
    result = run_manage(*DEPLOY_CHECK, tmp_path=tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_the_deployment_checklist_still_catches_a_weak_secret_key(tmp_path):
    weak_key = {**PRODUCTION, "DJANGO_SECRET_KEY": "short"}
    result = run_manage(*DEPLOY_CHECK, tmp_path=tmp_path, **weak_key)
    assert result.returncode != 0
    assert "security.W009" in result.stderr


SECURITY_SETTINGS = (
    "from django.conf import settings as s; import json; print(json.dumps({name: getattr(s, name,"
    " None) for name in ['SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS',"
    " 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_HSTS_PRELOAD', 'SECURE_PROXY_SSL_HEADER',"
    " 'SESSION_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'SESSION_COOKIE_SAMESITE',"
    " 'CSRF_COOKIE_SECURE', 'CSRF_COOKIE_HTTPONLY', 'CSRF_COOKIE_SAMESITE',"
    " 'AXES_IPWARE_META_PRECEDENCE_ORDER', 'AXES_IPWARE_PROXY_COUNT']}))"
)


def security_settings(tmp_path, **env):
    result = run_django(SECURITY_SETTINGS, tmp_path, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_is_https_only_with_secure_cookies(tmp_path):
    assert security_settings(tmp_path, **PRODUCTION) == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": False,
        "SECURE_PROXY_SSL_HEADER": None,
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SAMESITE": "Lax",
        "AXES_IPWARE_META_PRECEDENCE_ORDER": ["REMOTE_ADDR"],
        "AXES_IPWARE_PROXY_COUNT": None,
    }


def test_behind_a_proxy_its_headers_say_https_and_who_the_client_is(tmp_path):
    found = security_settings(
        tmp_path,
        **PRODUCTION,
        DJANGO_SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto: https",
        NEWSROOM_CLIENT_IP_HEADER="X-Forwarded-For",
        NEWSROOM_PROXY_COUNT="1",
        DJANGO_SECURE_HSTS_SECONDS="600",
    )
    assert found["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert found["AXES_IPWARE_META_PRECEDENCE_ORDER"] == ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    assert found["AXES_IPWARE_PROXY_COUNT"] == 1
    assert found["SECURE_HSTS_SECONDS"] == 600


def test_a_production_server_on_loopback_alone_does_not_redirect_to_https(tmp_path):
    # `make serve` and the benchmark: DEBUG off, plain HTTP on 127.0.0.1, no certificate.
    found = security_settings(
        tmp_path, DJANGO_DEBUG="false", DJANGO_SECRET_KEY=PRODUCTION["DJANGO_SECRET_KEY"]
    )
    assert found["SECURE_SSL_REDIRECT"] is False
    assert found["SECURE_HSTS_SECONDS"] == 31536000


def test_development_sends_no_hsts_and_plain_cookies(tmp_path):
    found = security_settings(tmp_path)
    assert found["SECURE_SSL_REDIRECT"] is False
    assert found["SECURE_HSTS_SECONDS"] == 0
    assert found["SESSION_COOKIE_SECURE"] is False


def test_a_share_link_default_longer_than_the_limit_refuses_to_start(tmp_path):
    result = run_django(
        "print('started')", tmp_path,
        NEWSROOM_SHARE_LINK_HOURS="1000", NEWSROOM_SHARE_LINK_MAX_DAYS="28",
    )
    assert result.returncode != 0
    assert (
        "NEWSROOM_SHARE_LINK_HOURS must be at least 1 and at most NEWSROOM_SHARE_LINK_MAX_DAYS "
        "× 24 (672)."
    ) in result.stderr
    assert "started" not in result.stdout


def test_share_links_work_at_most_four_weeks_unless_configured(tmp_path):
    code = "from django.conf import settings as s; print(s.NEWSROOM_SHARE_LINK_MAX_DAYS)"
    assert run_django(code, tmp_path).stdout.split() == ["28"]
    assert run_django(
        code, tmp_path, NEWSROOM_SHARE_LINK_MAX_DAYS="7"
    ).stdout.split() == ["7"]


def test_staff_sessions_last_ten_hours_unless_configured(tmp_path):
    code = "from django.conf import settings as s; print(s.SESSION_COOKIE_AGE)"
    assert run_django(code, tmp_path).stdout.split() == ["36000"]
    assert run_django(code, tmp_path, NEWSROOM_SESSION_HOURS="2").stdout.split() == ["7200"]

    result = run_django(code, tmp_path, NEWSROOM_SESSION_HOURS="0")
    assert result.returncode != 0
    assert "NEWSROOM_SESSION_HOURS must be at least 1." in result.stderr


def test_tasks_wait_in_the_database_for_the_worker_unless_configured(tmp_path):
    code = "from django.conf import settings as s; print(s.TASKS['default']['BACKEND'])"
    assert run_django(code, tmp_path).stdout.split() == ["django_tasks_db.DatabaseBackend"]
    assert run_django(code, tmp_path, NEWSROOM_TASKS="immediate").stdout.split() == [
        "django_tasks.backends.immediate.ImmediateBackend"
    ]

    result = run_django(code, tmp_path, NEWSROOM_TASKS="celery")
    assert result.returncode != 0
    assert "NEWSROOM_TASKS must be one of: database, immediate." in result.stderr


def test_email_goes_to_the_local_catcher_when_debugging_and_as_configured_in_production(
    tmp_path,
):
    code = (
        "from django.conf import settings as s; import json; print(json.dumps([s.EMAIL_HOST, "
        "s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_HOST_PASSWORD, s.EMAIL_USE_TLS, "
        "s.DEFAULT_FROM_EMAIL]))"
    )
    assert json.loads(run_django(code, tmp_path).stdout) == [
        "127.0.0.1", 1025, "", "", False, "newsroom@localhost"
    ]
    production = {"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "k" * 50}
    assert json.loads(run_django(code, tmp_path, **production).stdout) == [
        "localhost", 25, "", "", False, "newsroom@localhost"
    ]
    assert json.loads(run_django(
        code, tmp_path, **production, DJANGO_EMAIL_HOST="smtp.example.org",
        DJANGO_EMAIL_PORT="587", DJANGO_EMAIL_HOST_USER="desk",
        DJANGO_EMAIL_HOST_PASSWORD="s3cret", DJANGO_EMAIL_USE_TLS="true",
        DJANGO_DEFAULT_FROM_EMAIL="The Courier <desk@courier.example>",
    ).stdout) == [
        "smtp.example.org", 587, "desk", "s3cret", True, "The Courier <desk@courier.example>"
    ]
