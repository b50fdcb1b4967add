"""The settings as a person deploying Newsroom meets them: read from the environment."""

import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def run_django(code, tmp_path, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "NEWSROOM_", "DATABASE_URL"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings", NEWSROOM_VAR_DIR=str(tmp_path), **env
    )
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
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
