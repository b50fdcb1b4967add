"""Security headers on every kind of response, and the admin's login throttling."""

import base64
import hashlib
import re
import shutil
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import django_prose_editor
import pytest
import reversion
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import Article, ShareLink

pytestmark = pytest.mark.django_db

PROJECT = Path(__file__).resolve().parent.parent

HEADER_NAMES = [
    "Content-Security-Policy",
    "Content-Security-Policy-Report-Only",
    "Cross-Origin-Opener-Policy",
    "Permissions-Policy",
    "Referrer-Policy",
    "Strict-Transport-Security",
    "X-Content-Type-Options",
    "X-Frame-Options",
]

TIPTAP_STYLE_HASH = "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"
ERROR_PAGE_STYLE_HASH = "'sha256-9DZSdEVtbD3i1LVaGa7/NorAsQbDZORrsTPXjzgFsIM='"

SITE_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": f"'self' {ERROR_PAGE_STYLE_HASH} {TIPTAP_STYLE_HASH}",
    "img-src": "'self'",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# Whatever an uploaded file holds, it never runs as a page (newsroom/media.py).
MEDIA_POLICY = {"default-src": "'none'", "sandbox": ""}

OTHER_HEADERS = {
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": (
        "accelerometer=(), browsing-topics=(), camera=(), display-capture=(), geolocation=(), "
        "gyroscope=(), hid=(), interest-cohort=(), magnetometer=(), microphone=(), midi=(), "
        "payment=(), serial=(), usb=()"
    ),
    "Referrer-Policy": "same-origin",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}


def policy(header):
    """A Content-Security-Policy as {directive: its sources}, refusing a directive given twice."""
    directives = {}
    for part in header.split(";"):
        name, _, sources = part.strip().partition(" ")
        assert name not in directives, f"{name} twice in {header}"
        directives[name] = sources
    return directives


def security_headers(response):
    found = {name: response[name] for name in HEADER_NAMES if response.has_header(name)}
    if "Content-Security-Policy" in found:
        found["Content-Security-Policy"] = policy(found["Content-Security-Policy"])
    return found


def expected(csp=SITE_POLICY, **changes):
    return {"Content-Security-Policy": csp, **OTHER_HEADERS, **changes}


@pytest.fixture(autouse=True)
def production_https(settings):
    """HSTS as a production server sends it (tests/test_settings.py checks the defaults)."""
    settings.SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = False


def https_client():
    """A browser on the site over HTTPS, which the TLS-terminating proxy in front tells us."""
    return Client(headers={"X-Forwarded-Proto": "https"})


@pytest.fixture(autouse=True)
def behind_a_tls_proxy(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


@pytest.fixture
def https():
    """A reader's browser."""
    return https_client()


@pytest.fixture
def static_root(settings, tmp_path):
    """Static files collected where WhiteNoise serves them from with DEBUG off."""
    root = tmp_path / "static"
    (root / "css").mkdir(parents=True)
    shutil.copy(PROJECT / "static" / "css" / "site.css", root / "css" / "site.css")
    settings.STATIC_ROOT = root
    return root


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("chief", "chief@courier.example", "x")


# Every kind of response.


def test_the_home_page_has_the_headers_fresh_and_from_the_cache(https, make_article):
    make_article()
    first = https.get("/")
    again = https.get("/")
    assert (first["X-Cache"], again["X-Cache"]) == ("miss", "hit")
    assert security_headers(first) == expected()
    assert security_headers(again) == expected()


def test_an_article_has_the_headers(https, make_article):
    response = https.get(make_article().get_absolute_url())
    assert response.status_code == 200
    assert security_headers(response) == expected()


def test_a_feed_has_the_headers(https, make_article):
    make_article()
    response = https.get(reverse("articles:feed_rss"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    assert security_headers(response) == expected()


def test_a_static_file_from_whitenoise_has_the_headers(https, static_root):
    response = https.get("/static/css/site.css")
    assert response.status_code == 200
    # Served by WhiteNoise, before any view: there is none for static files with DEBUG off.
    assert type(response).__module__.startswith("whitenoise")
    assert b"".join(response.streaming_content) == (static_root / "css" / "site.css").read_bytes()
    assert security_headers(response) == expected()


def test_the_admin_login_page_has_the_headers(https):
    response = https.get(reverse("admin:login"))
    assert response.status_code == 200
    assert security_headers(response) == expected()


def test_a_media_file_keeps_its_own_stricter_policy(https, image):
    response = https.get(image.file.url)
    assert response.status_code == 200
    assert security_headers(response) == expected(csp=MEDIA_POLICY)


def test_a_page_not_found_has_the_headers(https, db):
    response = https.get("/no-such-section/")
    assert response.status_code == 404
    assert security_headers(response) == expected()


def test_a_share_link_keeps_its_own_referrer_policy(https, make_article, superuser):
    draft = make_article(status=Article.Status.DRAFT, published_at=None)
    link = ShareLink.objects.create(article=draft, created_by=superuser)
    response = https.get(link.get_absolute_url())
    assert response.status_code == 200
    assert security_headers(response) == expected(**{"Referrer-Policy": "no-referrer"})


def test_hsts_only_over_https(client, make_article):
    make_article()
    for path in ["/", reverse("admin:login")]:
        response = client.get(path)
        assert not response.has_header("Strict-Transport-Security"), path
        headers = expected()
        del headers["Strict-Transport-Security"]
        assert security_headers(response) == headers, path


def test_no_script_runs_inline_unless_it_carries_the_nonce():
    directives = django_settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    for name in ("default-src", "script-src", "script-src-elem", "script-src-attr"):
        assert "'unsafe-inline'" not in (directives.get(name) or []), name
        assert "'unsafe-eval'" not in (directives.get(name) or []), name
    assert "'unsafe-inline'" not in str(directives.get("style-src"))


def test_the_style_hashes_match_what_they_allow():
    error_page = (PROJECT / "templates" / "500.html").read_text()
    (error_style,) = re.findall(r"<style>(.*?)</style>", error_page, re.S)
    editor_js = (
        Path(django_prose_editor.__file__).parent / "static/django_prose_editor/editor.js"
    ).read_text()
    # Tiptap's base CSS, which it puts in a <style> element of its own.
    tiptap_base = r"`(\.ProseMirror \{\n  position: relative;\n\}.*?)`"
    (tiptap_css,) = re.findall(tiptap_base, editor_js, re.S)
    assert csp_hash(error_style) == ERROR_PAGE_STYLE_HASH
    assert csp_hash(tiptap_css) == TIPTAP_STYLE_HASH
    assert django_settings.CSP_STYLE_HASHES == [ERROR_PAGE_STYLE_HASH, TIPTAP_STYLE_HASH]


def csp_hash(text):
    return f"'sha256-{base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()}'"


# The admin: its one inline script runs by a nonce made for the request.


class ScriptsAndStyles(HTMLParser):
    """A page's <script> elements without a src, and any inline style."""

    def __init__(self):
        super().__init__()
        self.inline_scripts = []
        self.inline_styles = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and "src" not in attrs:
            self.inline_scripts.append(attrs)
        if tag == "style" or "style" in attrs:
            self.inline_styles.append((tag, attrs))
        self.inline_styles.extend((tag, name) for name in attrs if name.startswith("on"))


def read_scripts(response):
    parser = ScriptsAndStyles()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def desk(superuser):
    client = https_client()
    client.force_login(superuser)
    return client


@pytest.fixture
def article(make_article, image):
    article = make_article(lead_image=image)
    with reversion.create_revision():
        article.save()
    with reversion.create_revision():
        article.headline = "A new headline"
        article.save()
    return article


def test_the_article_form_gives_its_import_map_the_nonce_of_the_request(desk):
    nonces = set()
    for _ in range(2):
        response = desk.get(reverse("admin:articles_article_add"))
        assert response.status_code == 200
        csp = policy(response["Content-Security-Policy"])
        (nonce,) = re.fullmatch(r"'self' 'nonce-([A-Za-z0-9+/=]+)'", csp["script-src"]).groups()
        assert {**csp, "script-src": "'self'"} == SITE_POLICY
        inline = read_scripts(response).inline_scripts
        assert {"type": "importmap", "nonce": nonce} in inline
        nonces.add(nonce)
    assert len(nonces) == 2, "each request has a nonce of its own"


def test_the_admin_pages_have_no_inline_script_or_style_but_by_the_nonce(desk, article):
    (older, newer) = Version.objects.get_for_object(article).order_by("pk")
    pages = [
        reverse("admin:index"),
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_add"),
        reverse("admin:articles_article_change", args=[article.pk]),
        reverse("admin:articles_article_history", args=[article.pk]),
        reverse("admin:articles_article_compare", args=[article.pk])
        + f"?from={older.revision_id}&to={newer.revision_id}",
        reverse("admin:articles_article_revision", args=[article.pk, older.pk]),
        reverse("admin:articles_image_changelist"),
        reverse("admin:articles_image_add"),
        reverse("admin:articles_image_change", args=[article.lead_image.pk]),
        reverse("admin:articles_section_changelist"),
        reverse("admin:articles_author_changelist"),
        reverse("admin:password_change"),
    ]
    for path in pages:
        response = desk.get(path)
        assert response.status_code == 200, path
        found = read_scripts(response)
        nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
        for attrs in found.inline_scripts:
            # A data block never runs; anything else must carry this request's nonce.
            runs = attrs.get("type") not in ("application/json", "application/ld+json")
            assert not runs or (nonce and attrs.get("nonce") == nonce[1]), (path, attrs)
        assert found.inline_styles == [], path
        assert "javascript:" not in response.content.decode(), path


def test_readers_pages_need_no_nonce_so_the_cache_stores_none(https, make_article):
    article = make_article()
    for path in ["/", article.get_absolute_url()]:
        for response in (https.get(path), https.get(path)):
            assert "nonce" not in response["Content-Security-Policy"], path
            assert read_scripts(response).inline_styles == [], path
            for attrs in read_scripts(response).inline_scripts:
                assert attrs.get("type") == "application/ld+json", (path, attrs)


def test_cookies_are_http_only_and_same_site(client, superuser):
    client.get(reverse("admin:login"))
    response = client.post(
        reverse("admin:login"), {"username": "chief", "password": "x", "next": "/admin/"}
    )
    assert response.status_code == 302
    for name in (django_settings.SESSION_COOKIE_NAME, django_settings.CSRF_COOKIE_NAME):
        cookie = response.cookies[name]
        assert cookie["httponly"] is True, name
        assert cookie["samesite"] == "Lax", name


# Login throttling.

PASSWORD = "a-long-and-proper-password"
LOGIN_ERROR = re.compile(r'<p class="errornote">\s*(.*?)\s*</p>', re.S)


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("harbour.editor", password=PASSWORD, is_staff=True)


def log_in(client, username, password, **headers):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        headers=headers,
    )


def login_error(response):
    assert response.status_code == 200
    (error,) = LOGIN_ERROR.findall(response.content.decode())
    return error


def is_logged_in(client):
    return client.get(reverse("admin:index")).status_code == 200


def assert_locked_out(response):
    assert response.status_code == 429
    text = response.content.decode()
    assert "Too many failed logins" in text
    assert "paused for 15 minutes" in text
    assert 'id="login-form"' not in text


@pytest.mark.usefixtures("login_throttling")
class TestLoginThrottling:
    def test_a_wrong_password_and_an_unknown_name_get_the_same_answer(self, client, staff):
        wrong_password = login_error(log_in(client, staff.username, "not-the-password"))
        unknown_name = login_error(log_in(client, "no.such.person", "not-the-password"))
        assert wrong_password == unknown_name
        assert wrong_password.startswith("Please enter the correct username and password")

    def test_five_failures_lock_the_name_out_even_with_the_right_password(self, client, staff):
        for _ in range(4):
            login_error(log_in(client, staff.username, "guess"))
        assert_locked_out(log_in(client, staff.username, "guess"))

        assert_locked_out(log_in(client, staff.username, PASSWORD))
        assert not is_logged_in(client)

    def test_a_lockout_does_not_tell_whether_the_account_exists(self, staff):
        answers = []
        for username in (staff.username, "no.such.person"):
            client = Client()
            for _ in range(4):
                login_error(log_in(client, username, "guess"))
            answers.append(log_in(client, username, "guess"))
            answers.append(log_in(client, username, PASSWORD))
        for answer in answers:
            assert_locked_out(answer)
        assert len({answer.content for answer in answers}) == 1
        assert staff.username.encode() not in answers[0].content

    def test_a_success_starts_the_count_again(self, client, staff):
        for _ in range(4):
            login_error(log_in(client, staff.username, "guess"))
        assert log_in(client, staff.username, PASSWORD).status_code == 302
        client.logout()
        for _ in range(4):
            login_error(log_in(client, staff.username, "guess"))
        assert log_in(client, staff.username, PASSWORD).status_code == 302
        assert is_logged_in(client)

    def test_the_lockout_ends_after_the_cool_off_time(self, client, staff):
        for _ in range(5):
            log_in(client, staff.username, "guess")
        assert_locked_out(log_in(client, staff.username, PASSWORD))
        AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
        assert log_in(client, staff.username, PASSWORD).status_code == 302

    def test_the_lockout_is_for_one_name_from_one_address(self, staff, django_user_model):
        django_user_model.objects.create_user("colleague", password=PASSWORD, is_staff=True)
        attacker = Client(REMOTE_ADDR="192.0.2.66")
        for _ in range(5):
            log_in(attacker, staff.username, "guess")
        assert_locked_out(log_in(attacker, staff.username, PASSWORD))
        # The same person from the newsroom's own address, and a colleague, log in as ever.
        elsewhere = Client(REMOTE_ADDR="198.51.100.7")
        assert log_in(elsewhere, staff.username, PASSWORD).status_code == 302
        assert log_in(attacker, "colleague", PASSWORD).status_code == 302

    def test_behind_a_proxy_the_address_comes_from_its_header(self, settings, staff):
        settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_REAL_IP", "REMOTE_ADDR"]
        proxy = Client(REMOTE_ADDR="10.0.0.2")
        for _ in range(5):
            log_in(proxy, staff.username, "guess", **{"X-Real-IP": "203.0.113.9"})
        assert_locked_out(log_in(proxy, staff.username, PASSWORD, **{"X-Real-IP": "203.0.113.9"}))
        # Another reader behind the same proxy is not locked out with the first.
        response = log_in(proxy, staff.username, PASSWORD, **{"X-Real-IP": "203.0.113.10"})
        assert response.status_code == 302
