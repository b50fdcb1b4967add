"""Browser tests: Playwright driving the system's Chromium against the live test server."""

import os
import shutil
import threading
import time
from pathlib import Path

import pytest
from django.core.handlers.wsgi import WSGIHandler

from articles import demo

CHROMIUM = os.environ.get("NEWSROOM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
WIDTHS = {"phone": PHONE, "desktop": DESKTOP}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session", autouse=True)
def allow_sync_database_calls_from_the_browser_thread():
    # Playwright's sync API runs an event loop in the test's thread; Django would otherwise
    # refuse the ORM calls the tests make there. Only the browser tests set this.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        message = f"Chromium is missing at {CHROMIUM}: install it with `apt-get install chromium`."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


class RequestsInFlight:
    """How many requests the live server is answering. A page being closed still sends what it
    sends on leaving (the form's presence and working copy); the database is emptied after each
    test only once the server has answered them, or SQLite refuses to empty a table in use."""

    def __init__(self):
        self.count = 0
        self.lock = threading.Lock()

    def counting(self, handle):
        def counted(handler, environ, start_response):
            with self.lock:
                self.count += 1
            try:
                return handle(handler, environ, start_response)
            finally:
                with self.lock:
                    self.count -= 1

        return counted

    def wait_for_quiet(self, settle=0.3, limit=10):
        quiet_since, deadline = None, time.monotonic() + limit
        while time.monotonic() < deadline:
            now = time.monotonic()
            if self.count:
                quiet_since = None
            elif quiet_since is None:
                quiet_since = now
            elif now - quiet_since >= settle:
                return
            time.sleep(0.05)


@pytest.fixture(scope="session")
def requests_in_flight():
    in_flight = RequestsInFlight()
    with pytest.MonkeyPatch.context() as patcher:
        patcher.setattr(WSGIHandler, "__call__", in_flight.counting(WSGIHandler.__call__))
        yield in_flight


@pytest.fixture
def open_page(browser, requests_in_flight):
    """Open a fresh page at a named width (`phone` or `desktop`); closed after the test, and the
    server left to answer what the closing pages sent."""
    contexts = []

    def open_page(width="desktop"):
        context = browser.new_context(viewport=WIDTHS[width])
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()
    requests_in_flight.wait_for_quiet()


@pytest.fixture
def screenshot():
    """Save a full-page screenshot into var/screenshots/ for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def screenshot(page, name):
        page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)

    return screenshot


@pytest.fixture
def newsroom(
    transactional_db, settings, tmp_path, draw_demo_images_once, login_throttling, live_server
):
    """The demo newsroom, served by the live test server as in production (DEBUG off, logins
    throttled)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DEBUG = False
    demo.load_demo()
    return live_server
