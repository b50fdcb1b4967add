"""The site as a wheel: built from the source tree, installed where the source tree is not, and run
there by its `newsroom` command — checked, migrated, its static files collected, and served.

The wheel is built offline, with the setuptools that requirements-test.txt pins, from a copy of
the source tree, so that the build leaves nothing behind in it. It is installed into a folder of
its own that only PYTHONPATH names, and run from another, as a site would be; its dependencies
are this virtualenv's.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
APPS = ("articles", "newsroom")
NOT_SOURCES = shutil.ignore_patterns(
    ".git", ".venv", "node_modules", "var", "build", "dist", "*.egg-info", "__pycache__",
    ".pytest_cache", ".ruff_cache",
)
SECRET_KEY = "w7Kp-2qLz9Xv_4mRt8Nb1Jc6Hd3Fs0Ga5Ye2Ui7Oo9Pl4Kk1Mm8Nn3Bb6Vv0Cc5Xx"


def run(arguments, **options):
    result = subprocess.run(  # nosec B603 # this Python, pip and the installed site's command
        arguments, capture_output=True, text=True, timeout=180, **options
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """The wheel, built from a copy of the source tree."""
    root = tmp_path_factory.mktemp("build")
    shutil.copytree(PROJECT, root / "source", ignore=NOT_SOURCES)
    run([
        sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
        "--disable-pip-version-check", "--quiet", "--wheel-dir", str(root / "dist"),
        str(root / "source"),
    ])
    (built,) = (root / "dist").glob("newsroom-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory):
    """The folder the wheel is installed into: the site's packages and its `newsroom` command."""
    target = tmp_path_factory.mktemp("installed")
    run([
        sys.executable, "-m", "pip", "install", "--no-deps", "--no-index",
        "--disable-pip-version-check", "--quiet", "--target", str(target), str(wheel),
    ])
    return target


def source_files(folder):
    return {
        path.relative_to(PROJECT).as_posix()
        for path in (PROJECT / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_the_wheel_holds_the_apps_with_every_file_and_the_sites_templates_and_static_files(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())

    # Every module and every other file under the apps: migrations, templates in app folders,
    # the demo's article bodies, the benchmark's script...
    for app in APPS:
        missing = source_files(app) - names
        assert not missing, f"not in the wheel: {sorted(missing)}"
    assert any(re.search(r"/migrations/0001_initial\.py$", name) for name in names)
    assert any(re.search(r"/demo/bodies/[^/]+\.html$", name) for name in names)
    # The top-level templates/ and static/, inside the newsroom package.
    for folder in ("templates", "static"):
        shipped = {f"newsroom/site_files/{name}" for name in source_files(folder)}
        assert shipped and not shipped - names, f"not in the wheel: {sorted(shipped - names)}"
    assert "newsroom/site_files/templates/base.html" in names
    assert "newsroom/site_files/static/css/site.css" in names
    # Nothing else at the top, no tests, nothing compiled.
    assert {name.split("/")[0] for name in names} == {*APPS, "newsroom-0.1.0.dist-info"}
    assert not [name for name in names if name.endswith((".pyc", ".pyo"))]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url):
    # Straight to the server, whatever proxy the environment names.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=10) as response:  # nosec B310 # a loopback http:// URL
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_for(url, server, log, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"The server stopped at start: {log.read_text()[-2000:]}")
        try:
            return get(url)
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"The server did not answer {url} in {seconds} s: {log.read_text()[-2000:]}")


def test_the_installed_site_checks_migrates_collects_its_static_files_and_serves(
    installed, tmp_path
):
    site = tmp_path / "site"  # where the site is run from: its data goes to var/ here
    site.mkdir()
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "NEWSROOM_", "DATABASE_URL", "REDIS_URL", "PYTHON"))
    }
    environment.update(
        PYTHONPATH=str(installed), DJANGO_DEBUG="false", DJANGO_SECRET_KEY=SECRET_KEY,
        WEB_CONCURRENCY="1",
    )
    newsroom = [str(installed / "bin" / "newsroom")]

    # The site runs from the installed copy, not from the source tree.
    imported = "import articles, newsroom; print(newsroom.__file__, articles.__file__)"
    where = run([sys.executable, "-c", imported], cwd=site, env=environment).stdout.split()
    assert all(Path(path).is_relative_to(installed) for path in where), where

    assert "System check identified no issues" in run(
        [*newsroom, "check"], cwd=site, env=environment
    ).stdout
    run([*newsroom, "migrate", "--noinput"], cwd=site, env=environment)
    run([*newsroom, "collectstatic", "--noinput", "-v0"], cwd=site, env=environment)
    assert (site / "var" / "newsroom.sqlite3").is_file()
    assert (site / "var" / "staticfiles" / "staticfiles.json").is_file()
    assert not (installed / "var").exists()

    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        server = subprocess.Popen(  # nosec B603 # the installed site's own command
            [*newsroom, "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=site, env=environment, stdout=output, stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        status, body = wait_for(f"{base}/healthz", server, log)
        assert status == 200, body
        assert json.loads(body)["status"] == "ok"

        status, body = get(f"{base}/")
        assert status == 200, body
        # The page's style sheet: the site's own static file, collected under its hashed name.
        (stylesheet,) = set(re.findall(r'href="(/static/css/site\.[0-9a-f]+\.css)"', body.decode()))
        status, body = get(f"{base}{stylesheet}")
        assert status == 200 and body
        status, body = get(f"{base}/static/img/logo.png")
        assert status == 200
        assert body == (PROJECT / "static" / "img" / "logo.png").read_bytes()
    finally:
        server.terminate()  # gunicorn's master: it stops its workers itself
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
