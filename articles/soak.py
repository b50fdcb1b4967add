"""`make soak`: the site as it runs in production, under readers, an editor and crashes.

Against a synthetic newsroom in var/soak/ (built once by seed_demo, then reused), with gunicorn
started as `make serve` starts it, on a loopback port:

1. Load. Many readers at once (a thread each, one connection each) fetch article pages, tag
   pages, the home page and feeds, RSS and Atom, for a few minutes; every feed must parse
   cleanly. Meanwhile an editor signs in to the admin over HTTP and every few seconds publishes
   a new story or edits a published one through its form, as a browser would post it; the very
   next request for the home page, the article and the site's feed must show the new headline.
   Counted: requests, latency, every status other than 2xx/3xx, connection errors, feeds that do
   not parse, changes not visible on the next request, and "database is locked" in the server's
   log.
2. Crash. The editor saves articles (new ones with bylines, tags and sources, and edits of
   existing ones) and uploads pictures through the admin, while the whole server — master and
   workers — is killed with SIGKILL at random moments and started again. Every save answered
   with a redirect is recorded with what it wrote. Then, with the server stopped: each
   acknowledged save is in the database exactly, no article is half-written, SQLite's integrity
   and foreign key checks pass, and every picture's file and renditions are on disk.

Each phase prints a report; both are written to var/soak/report.json. Any failure makes the
command exit non-zero. The servers are stopped by their own process group, whatever happens.
"""

import contextlib
import ctypes
import hashlib
import http.client
import io
import json
import os
import random
import re
import secrets
import signal
import sqlite3
import subprocess  # nosec B404 # gunicorn and manage.py only, never a shell
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from html import unescape
from html.parser import HTMLParser
from http.cookies import CookieError, SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.management import call_command
from django.db import connection

from . import bench
from .bench import percentile

HOST = bench.HOST
REQUEST_TIMEOUT = 30  # seconds: gunicorn's own limit for one request
START_TIMEOUT = 60  # seconds a server gets to answer /healthz
EDITOR_USERNAME = "soak-editor"
USER_AGENT = "newsroom-soak"
# What a reader may get: 2xx, or a redirect.
OK_STATUSES = range(200, 400)
LOCKED = "database is locked"

# What readers ask for, and how often (shares of their requests).
READER_MIX = {
    "article": 0.48,
    "tag": 0.14,
    "home": 0.10,
    "section": 0.06,
    "rss": 0.07,
    "atom": 0.07,
    "tag_rss": 0.03,
    "tag_atom": 0.02,
    "section_rss": 0.03,
}
FEED_KINDS = {"rss", "atom", "tag_rss", "tag_atom", "section_rss"}
HOT_ARTICLES = 60  # the newest stories, which get most of the article requests
HOT_SHARE = 0.8

# The crash phase's mix of saves.
SAVE_MIX = {"create": 0.42, "edit": 0.43, "image": 0.15}
PICTURE_SIZE = (800, 450)


class SoakError(Exception):
    """The soak cannot go on; the message says why."""


# Figures.


def latency_summary(seconds):
    """Count, p50, p95, p99 and maximum of request times given in seconds, in milliseconds."""
    if not seconds:
        return {"count": 0, "p50_ms": None, "p95_ms": None, "p99_ms": None, "max_ms": None}
    ms = [value * 1000 for value in seconds]
    return {
        "count": len(ms),
        "p50_ms": round(percentile(ms, 50), 1),
        "p95_ms": round(percentile(ms, 95), 1),
        "p99_ms": round(percentile(ms, 99), 1),
        "max_ms": round(max(ms), 1),
    }


def log_lines(path, start=0):
    try:
        with open(path, "rb") as log:
            log.seek(start)
            return log.read().decode(errors="replace").splitlines()
    except OSError:
        return []


def server_log_summary(path, start=0):
    """What the server's log says of trouble, from byte `start` on."""
    lines = log_lines(path, start)
    locked = [line for line in lines if LOCKED in line.lower()]
    return {
        "log": str(path),
        "database_locked": len(locked),
        "tracebacks": sum(1 for line in lines if line.startswith("Traceback")),
        "server_errors": sum(1 for line in lines if "Internal Server Error" in line),
        "worker_timeouts": sum(1 for line in lines if "WORKER TIMEOUT" in line),
        "first_locked": locked[:3],
    }


# Forms, as a browser reads and sends them.


class FormReader(HTMLParser):
    """Every <form> of a page with what a browser would send for it: (name, value) pairs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {"attrs": attrs, "fields": []}
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        name = attrs.get("name")
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if not name or "disabled" in attrs:
                return
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._form["fields"].append([name, attrs.get("value") or "on"])
                return
            self._form["fields"].append([name, attrs.get("value") or ""])
        elif tag == "select":
            self._select = {
                "name": name, "multiple": "multiple" in attrs, "options": [],
                "disabled": "disabled" in attrs,
            }
        elif tag == "option" and self._select is not None:
            self._select["options"].append(
                {"value": attrs.get("value"), "selected": "selected" in attrs, "text": ""}
            )
        elif tag == "textarea":
            self._textarea = {"name": name, "text": [], "disabled": "disabled" in attrs}

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["text"].append(data)
        elif self._select is not None and self._select["options"]:
            self._select["options"][-1]["text"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            select, self._select = self._select, None
            if self._form is None or not select["name"] or select["disabled"]:
                return
            chosen = [option for option in select["options"] if option["selected"]]
            if not select["multiple"] and not chosen:
                chosen = select["options"][:1]
            for option in chosen:
                value = option["value"] if option["value"] is not None else option["text"].strip()
                self._form["fields"].append([select["name"], value])
        elif tag == "textarea" and self._textarea is not None:
            area, self._textarea = self._textarea, None
            if self._form is None or not area["name"] or area["disabled"]:
                return
            text = "".join(area["text"])
            # A browser drops the newline that opens a textarea's content.
            if text.startswith("\r\n"):
                text = text[2:]
            elif text.startswith("\n"):
                text = text[1:]
            self._form["fields"].append([area["name"], text])


class Form:
    """A form's fields as (name, value) pairs, in page order, to change and send."""

    def __init__(self, fields, action=""):
        self.fields = [list(field) for field in fields]
        self.action = action

    def get(self, name, default=None):
        for field_name, value in self.fields:
            if field_name == name:
                return value
        return default

    def get_all(self, name):
        return [value for field_name, value in self.fields if field_name == name]

    def set(self, name, value):
        """Replace every value of `name`; a list gives several (a multiple select)."""
        values = value if isinstance(value, list | tuple) else [value]
        positions = [index for index, field in enumerate(self.fields) if field[0] == name]
        self.fields = [field for field in self.fields if field[0] != name]
        at = positions[0] if positions else len(self.fields)
        for offset, item in enumerate(values):
            self.fields.insert(at + offset, [name, "" if item is None else str(item)])

    def remove(self, pattern):
        """Drop the fields whose names match the regular expression."""
        matcher = re.compile(pattern)
        self.fields = [field for field in self.fields if not matcher.match(field[0])]

    def encoded(self):
        return urlencode([(name, value) for name, value in self.fields])


def find_form(html, form_id):
    """The form with this id on the page, or SoakError."""
    reader = FormReader()
    reader.feed(html.decode("utf-8", "replace") if isinstance(html, bytes) else html)
    reader.close()
    for form in reader.forms:
        if form["attrs"].get("id") == form_id:
            return Form(form["fields"], form["attrs"].get("action") or "")
    raise SoakError(f"The page has no form {form_id!r}.")


ERROR_LIST = re.compile(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', re.S)
ERROR_NOTE = re.compile(r'<p class="errornote">(.*?)</p>', re.S)


def form_errors(html):
    """The errors a re-shown admin form lists, as one line."""
    text = html.decode("utf-8", "replace") if isinstance(html, bytes) else html
    found = [*ERROR_NOTE.findall(text), *ERROR_LIST.findall(text)]
    cleaned = [" ".join(unescape(re.sub(r"<[^>]+>", " ", item)).split()) for item in found]
    return "; ".join(item for item in cleaned if item)[:300] or "no error shown"


def multipart(fields, files):
    """A multipart/form-data body and its Content-Type. files: {name: (filename, type, bytes)}."""
    boundary = f"----soak{uuid.uuid4().hex}"
    parts = []
    for name, value in fields:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + str(value).encode()
            + b"\r\n"
        )
    for name, (filename, content_type, data) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
            + data
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


# HTTP.


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    seconds: float

    def header(self, name):
        return self.headers.get(name)


CONNECTION_ERRORS = (OSError, http.client.HTTPException)


class Client:
    """One connection to the server, kept open while the server allows, with its own cookies."""

    def __init__(self, port, timeout=REQUEST_TIMEOUT):
        self.port = port
        self.timeout = timeout
        self.cookies = {}
        self._connection = None

    def request(self, method, path, body=None, headers=None):
        if self._connection is None:
            self._connection = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        sent = {"User-Agent": USER_AGENT, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        started = time.perf_counter()
        try:
            self._connection.request(method, path, body=body, headers=sent)
            answer = self._connection.getresponse()
            data = answer.read()
        except BaseException:
            self.close()
            raise
        seconds = time.perf_counter() - started
        self._keep_cookies(answer.headers.get_all("Set-Cookie") or [])
        return Response(answer.status, answer.headers, data, seconds)

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def post(self, path, body, content_type, headers=None):
        return self.request(
            "POST", path, body=body, headers={"Content-Type": content_type, **(headers or {})}
        )

    def _keep_cookies(self, lines):
        for line in lines:
            jar = SimpleCookie()
            try:
                jar.load(line)
            except CookieError:
                continue
            for name, morsel in jar.items():
                if morsel.value == "" or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def close(self):
        if self._connection is not None:
            with contextlib.suppress(Exception):
                self._connection.close()
            self._connection = None


def describe_error(error):
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


# The server.


PR_SET_CHILD_SUBREAPER = 36


def become_subreaper():
    """Adopt the server's workers when their master is killed, so they can be reaped here.

    Without it they would be left as zombies for the system's first process, which in a
    container may never reap them. Returns whether it worked (Linux only).
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def group_members(pgid):
    """[(pid, state)] of the processes in a process group, from /proc."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        if len(fields) > 2 and int(fields[2]) == pgid:
            members.append((int(entry.name), fields[0]))
    return members


def reap_group(pgid, timeout=15):
    """Wait until no process of the group is running, reaping the ones that are ours."""
    deadline = time.monotonic() + timeout
    while True:
        running = []
        for pid, state in group_members(pgid):
            if state in ("Z", "X"):
                with contextlib.suppress(ChildProcessError, OSError):
                    os.waitpid(pid, os.WNOHANG)
            else:
                running.append(pid)
        if not running:
            return
        if time.monotonic() > deadline:
            raise SoakError(f"Processes {running} of the server's group did not stop.")
        time.sleep(0.05)


class SoakServer(bench.Server):
    """gunicorn as `make serve` runs it, in a process group of its own, so that the master and
    its workers can be killed at once. Its output is added to one log over all its starts."""

    def __init__(self, label, log_dir, **environment):
        super().__init__(label, log_dir, **environment)
        self.starts = 0
        self.kills = 0
        self.start_seconds = []
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.log_path.write_bytes(b"")

    ready_path = "/healthz"
    start_timeout = START_TIMEOUT
    error = SoakError
    log_mode = "ab"
    popen_options = {"stdin": subprocess.DEVNULL, "start_new_session": True}

    def before_start(self, log):
        log.write(f"[soak] start {self.starts} at {_now()}\n".encode())
        log.flush()

    def start(self):
        started = time.monotonic()
        self.starts += 1
        super().start()
        self.start_seconds.append(time.monotonic() - started)
        return self

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def kill(self):
        """SIGKILL to the master and its workers at once: a crash, not a shutdown."""
        if self.process is None:
            return
        pgid = self.process.pid
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)
        self.process.wait()
        self.kills += 1
        with open(self.log_path, "ab") as log:
            log.write(f"[soak] killed at {_now()}\n".encode())
        reap_group(pgid)

    def stop(self):
        """Stop the server as a service manager would; then anything left of its group."""
        if self.process is None:
            return
        pgid = self.process.pid
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)
        self.process.wait()
        with contextlib.suppress(SoakError):
            reap_group(pgid)

    def log_tail(self, lines=20):
        return " | ".join(super().log_tail(lines).splitlines())


def _now():
    return datetime.now(UTC).isoformat(timespec="seconds")


# The editor, in the admin over HTTP.


class Editor:
    """A staff member at work in the admin: signs in, opens forms, posts them."""

    def __init__(self, port, username, password):
        self.client = Client(port)
        self.username = username
        self.password = password
        self.logins = 0

    def login(self):
        page = self.client.get("/admin/login/?next=/admin/")
        if page.status != 200:
            raise SoakError(f"The login page answered {page.status}.")
        form = find_form(page.body, "login-form")
        form.set("username", self.username)
        form.set("password", self.password)
        answer = self.client.post(
            "/admin/login/?next=/admin/", form.encoded(), "application/x-www-form-urlencoded"
        )
        if answer.status != 302 or "/login/" in (answer.header("Location") or ""):
            raise SoakError(f"The editor could not sign in ({answer.status}): "
                            f"{form_errors(answer.body)}")
        self.logins += 1

    def open(self, path, form_id):
        """The form on an admin page, signing in first if the session is gone."""
        page = self.client.get(path)
        if page.status == 302 and "/login/" in (page.header("Location") or ""):
            self.login()
            page = self.client.get(path)
        if page.status != 200:
            raise SoakError(f"GET {path} answered {page.status}.")
        return find_form(page.body, form_id)

    def clone(self):
        """The same editor, signed in, on a connection of its own."""
        other = Editor(self.client.port, self.username, self.password)
        other.client.cookies = dict(self.client.cookies)
        return other

    def submit(self, path, form, files=None):
        if files:
            body, content_type = multipart(form.fields, files)
        else:
            body, content_type = form.encoded(), "application/x-www-form-urlencoded"
        return self.client.post(form.action or path, body, content_type)

    def close(self):
        self.client.close()


ARTICLE_ADD = "/admin/articles/article/add/"
IMAGE_ADD = "/admin/articles/image/add/"


def article_change(pk):
    return f"/admin/articles/article/{pk}/change/"


def fill_new_article(form, story):
    """The add form filled in: the story's fields, its byline and its sources."""
    for name in ("headline", "slug", "standfirst", "body", "section", "status", "label"):
        form.set(name, story[name])
    form.set("tags", story["tags"])
    form.set("lead_image", story.get("lead_image") or "")
    form.set("published_at_0", "")
    form.set("published_at_1", "")
    form.remove(r"^(bylines|references)-\d+-")
    form.set("bylines-TOTAL_FORMS", len(story["bylines"]))
    for index, (author, position) in enumerate(story["bylines"]):
        form.set(f"bylines-{index}-author", author)
        form.set(f"bylines-{index}-position", position)
    form.set("references-TOTAL_FORMS", len(story["references"]))
    for index, (title, url, position) in enumerate(story["references"]):
        form.set(f"references-{index}-title", title)
        form.set(f"references-{index}-url", url)
        form.set(f"references-{index}-position", position)
    form.set("_save", "Save")
    return form


def inline_rows(form, prefix, keys):
    """The rows an inline formset saves from this form: not deleted, and not an empty extra."""
    try:
        total = int(form.get(f"{prefix}-TOTAL_FORMS") or 0)
    except ValueError:
        total = 0
    rows = []
    for index in range(total):
        start = f"{prefix}-{index}-"
        if form.get(start + "DELETE"):
            continue
        values = [form.get(start + key, "") or "" for key in keys]
        if not form.get(start + "id") and not values[0].strip():
            continue
        rows.append(values)
    return rows


def posted_state(form):
    """What saving this article form writes, in the terms of stored_state()."""
    from .html import clean_body, strip_control_characters
    from .tagging import clean_tag_names

    def text(name):
        return strip_control_characters(form.get(name, "") or "").strip()

    bylines = [
        [int(author), int(position or 0)]
        for author, position in inline_rows(form, "bylines", ["author", "position"])
    ]
    references = [
        [title.strip(), url.strip(), int(position or 0)]
        for title, url, position in inline_rows(form, "references", ["title", "url", "position"])
    ]
    return normal_state({
        "headline": text("headline"),
        "standfirst": text("standfirst"),
        "body": clean_body((form.get("body", "") or "").strip()),
        "tags": [name.casefold() for name in clean_tag_names(form.get_all("tags"))],
        "bylines": bylines,
        "references": references,
    })


def normal_state(state):
    return {
        **state,
        "tags": sorted(state["tags"]),
        "bylines": sorted([list(row) for row in state["bylines"]]),
        "references": sorted([list(row) for row in state["references"]]),
    }


def stored_state(article):
    """An article as the database has it, in the terms of posted_state()."""
    return normal_state({
        "headline": article.headline,
        "standfirst": article.standfirst,
        "body": article.body,
        "tags": [item.tag.name.casefold() for item in article.tagged_items.all()],
        "bylines": [[byline.author_id, byline.position] for byline in article.bylines.all()],
        "references": [
            [reference.title, reference.url, reference.position]
            for reference in article.references.all()
        ],
    })


def state_difference(state, expected):
    """The parts of an article's state that differ, as one short line."""
    if state is None:
        return "missing from the database"
    if expected is None:
        return "in the database, though no save that wrote it was acknowledged or sent"
    parts = []
    for key in ("headline", "standfirst", "body", "tags", "bylines", "references"):
        if state.get(key) != expected.get(key):
            parts.append(f"{key}: {_short(state.get(key))} ≠ {_short(expected.get(key))}")
    return "; ".join(parts) or "no difference"


def _short(value, limit=60):
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# The crash check.


def sqlite_checks(path):
    """PRAGMA integrity_check and foreign_key_check on the database file."""
    database = sqlite3.connect(str(path), timeout=30)
    try:
        integrity = [row[0] for row in database.execute("PRAGMA integrity_check")]
        foreign = [list(row) for row in database.execute("PRAGMA foreign_key_check")]
    finally:
        database.close()
    return {"integrity": integrity, "foreign_key_problems": foreign}


def article_candidates(writes, baseline):
    """The states an article may be in after its writes, in order; None means absent.

    From the last acknowledged write on, that write's state or any later one that was sent and
    not answered; with none acknowledged, its state before the run or any unanswered write's.
    """
    sent = [write for write in writes if write["outcome"] in ("acknowledged", "lost")]
    acknowledged = [index for index, write in enumerate(sent) if write["outcome"] == "acknowledged"]
    if acknowledged:
        return [write["expected"] for write in sent[acknowledged[-1]:]]
    return [baseline] + [write["expected"] for write in sent]


def check_articles(saves, baselines, slug_prefix):
    """Violations among the articles the run wrote: [(what, detail)].

    `saves` are the crash phase's records; `baselines` the state before the run of each existing
    article it edited ({article id: state}); every article whose slug starts with `slug_prefix`
    was created in the run and is checked, whichever saves were answered.
    """
    from .models import Article

    writes = {}
    for save in saves:
        if save["outcome"] == "error":  # failed before anything was posted
            continue
        if save["kind"] == "create":
            writes.setdefault(("slug", save["slug"]), []).append(save)
        elif save["kind"] == "edit":
            key = ("slug", save["slug"]) if save.get("created_in_run") else ("id", save["article"])
            writes.setdefault(key, []).append(save)
    violations = []
    articles = Article.objects.prefetch_related("bylines", "references", "tagged_items__tag")
    created = {article.slug: article for article in articles.filter(slug__startswith=slug_prefix)}
    existing_ids = [key[1] for key in writes if key[0] == "id"]
    existing = {article.pk: article for article in articles.filter(pk__in=existing_ids)}
    for slug in sorted(set(created) - {key[1] for key in writes if key[0] == "slug"}):
        violations.append((f"article {slug}", "in the database, though the run never saved it"))
    for key, article_writes in writes.items():
        article = created.get(key[1]) if key[0] == "slug" else existing.get(key[1])
        state = stored_state(article) if article is not None else None
        baseline = None if key[0] == "slug" else baselines.get(key[1])
        candidates = article_candidates(article_writes, baseline)
        if state in candidates:
            continue
        acknowledged = [write for write in article_writes if write["outcome"] == "acknowledged"]
        reference = acknowledged[-1]["expected"] if acknowledged else candidates[-1]
        label = key[1] if key[0] == "slug" else f"#{key[1]}"
        saves_made = ", ".join(
            f"{write['number']} {write['outcome']}" for write in article_writes
        )
        violations.append(
            (f"article {label} (saves {saves_made})", state_difference(state, reference))
        )
    return violations


def lost_saves_written(saves):
    """Of the new articles and pictures whose save was sent but never answered, how many the
    database has (the commit beat the kill) and how many it has not."""
    from .models import Article, Image

    written = missing = 0
    for save in saves:
        if save["outcome"] != "lost" or save["kind"] not in ("create", "image"):
            continue
        if save["kind"] == "create":
            found = Article.objects.filter(slug=save["slug"]).exists()
        else:
            found = Image.objects.filter(alt_text=save["expected"]["alt_text"]).exists()
        written, missing = (written + 1, missing) if found else (written, missing + 1)
    return {"written": written, "not_written": missing}


def image_problems(image, storage):
    """What is wrong with a picture's files: its original missing, renditions not recorded or a
    recorded rendition not on disk."""
    from .images.renditions import rendition_names

    problems = []
    if not image.file or not storage.exists(image.file.name):
        problems.append(f"file {image.file.name or '(none)'} missing")
    names = rendition_names(image)
    if not names:
        problems.append("no renditions recorded")
    missing = [name for name in names if not storage.exists(name)]
    if missing:
        problems.append(f"{len(missing)} rendition file(s) missing, e.g. {missing[0]}")
    return problems


def check_images(saves):
    """Violations among pictures: every Image row's files, and every acknowledged upload."""
    from django.core.files.storage import default_storage

    from .models import Image

    violations = []
    by_alt = {}
    for image in Image.objects.all():
        by_alt.setdefault(image.alt_text, []).append(image)
        problems = image_problems(image, default_storage)
        if problems:
            violations.append((f"image #{image.pk}", "; ".join(problems)))
    for save in saves:
        if save["kind"] != "image" or save["outcome"] == "error":
            continue
        found = by_alt.get(save["expected"]["alt_text"], [])
        if len(found) > 1:
            violations.append((f"upload {save['number']}", f"stored {len(found)} times"))
        elif not found and save["outcome"] == "acknowledged":
            violations.append((f"upload {save['number']}", "acknowledged but not in the database"))
        elif found:
            stored = {key: getattr(found[0], key) for key in save["expected"]}
            if stored != save["expected"]:
                violations.append((f"upload {save['number']}",
                                   f"stored as {_short(stored)}, sent {_short(save['expected'])}"))
    return violations


def orphan_files(media_root):
    """Files under the pictures' folder that no Image row names (left by a crash mid-save)."""
    from .images.renditions import rendition_names
    from .models import Image

    named = set()
    for image in Image.objects.all():
        named.add(image.file.name)
        named.update(rendition_names(image))
    root = Path(media_root)
    folder = root / "images"
    if not folder.exists():
        return 0
    return sum(
        1 for path in folder.rglob("*")
        if path.is_file() and str(path.relative_to(root)) not in named
    )


# The newsroom: the pages readers ask for, the cast an editor picks from.


@dataclass
class Newsroom:
    hot_articles: list
    articles: list
    tags: list
    sections: list
    section_ids: list
    authors: list
    tag_names: list
    edit_pool: list


def read_newsroom(rng):
    from django.db.models import Count
    from taggit.models import Tag

    from .models import Article, ArticleTag, Author, Section

    published = Article.objects.published().select_related("section").order_by(
        "-published_at", "-pk"
    )
    newest = list(published[:HOT_ARTICLES])
    ids = list(published.values_list("pk", flat=True)[: 5_000])
    sample = rng.sample(ids, min(len(ids), 1_500))
    others = list(Article.objects.filter(pk__in=sample).select_related("section"))
    top_tags = (
        ArticleTag.objects.filter(content_object__in=Article.objects.published())
        .values("tag").annotate(count=Count("pk")).order_by("-count", "tag")[:80]
    )
    tags = list(Tag.objects.filter(pk__in=[row["tag"] for row in top_tags]))
    sections = list(Section.objects.order_by("position", "pk"))
    authors = list(Author.objects.values_list("pk", flat=True))
    if not newest or not tags or not sections or len(authors) < 4:
        raise SoakError("The newsroom is too small to soak: seed it with more articles.")
    edit_pool = [article.pk for article in rng.sample(others, min(len(others), 40))]
    return Newsroom(
        hot_articles=[article.get_absolute_url() for article in newest],
        articles=[article.get_absolute_url() for article in others],
        tags=[tag.slug for tag in tags],
        sections=[section.slug for section in sections],
        section_ids=[section.pk for section in sections],
        authors=authors,
        tag_names=[tag.name for tag in tags],
        edit_pool=edit_pool,
    )


def reader_path(rng, newsroom, kinds, weights):
    kind = rng.choices(kinds, weights)[0]
    if kind == "article":
        pool = newsroom.hot_articles if rng.random() < HOT_SHARE else newsroom.articles
        return kind, rng.choice(pool)
    if kind == "home":
        return kind, "/"
    if kind == "rss":
        return kind, "/feed/rss/"
    if kind == "atom":
        return kind, "/feed/atom/"
    if kind in ("tag", "tag_rss", "tag_atom"):
        slug = rng.choice(newsroom.tags)
        suffix = {"tag": "", "tag_rss": "feed/rss/", "tag_atom": "feed/atom/"}[kind]
        return kind, f"/tags/{slug}/{suffix}"
    slug = rng.choice(newsroom.sections)
    return kind, f"/{slug}/" + ("feed/rss/" if kind == "section_rss" else "")


# Phase 1: load.


class LoadStats:
    """What the readers saw, added to from many threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = []
        self.by_kind = {}
        self.statuses = Counter()
        self.cache = Counter()
        self.bad_statuses = Counter()
        self.bad_examples = []
        self.errors = Counter()
        self.error_examples = []
        self.feeds_fetched = 0
        self.feed_failures = 0
        self.feed_failure_examples = []
        self.parsed = {}

    def record(self, kind, path, response):
        with self.lock:
            self.latencies.append(response.seconds)
            self.by_kind.setdefault(kind, []).append(response.seconds)
            self.statuses[response.status] += 1
            self.cache[response.header("X-Cache") or "none"] += 1
            if response.status not in OK_STATUSES:
                self.bad_statuses[response.status] += 1
                if len(self.bad_examples) < 10:
                    self.bad_examples.append(f"{response.status} GET {path}")

    def error(self, kind, path, error):
        with self.lock:
            self.errors[type(error).__name__] += 1
            if len(self.error_examples) < 10:
                self.error_examples.append(f"GET {path}: {describe_error(error)}")

    def check_feed(self, path, body):
        """Parse a feed as a feed reader would; the same bytes are parsed only once."""
        import feedparser

        digest = hashlib.sha256(body).hexdigest()
        result = self.parsed.get(digest)
        if result is None:
            parsed = feedparser.parse(body)
            problem = None
            if parsed.bozo:
                problem = describe_error(parsed.bozo_exception)
            elif not parsed.entries:
                problem = "no entries"
            result = self.parsed.setdefault(digest, problem or "")
        with self.lock:
            self.feeds_fetched += 1
            if result:
                self.feed_failures += 1
                if len(self.feed_failure_examples) < 10:
                    self.feed_failure_examples.append(f"{path}: {result}")


def reader(port, newsroom, stats, deadline, stop, seed):
    rng = random.Random(seed)  # nosec B311 # repeatable test load, no secret
    kinds, weights = list(READER_MIX), list(READER_MIX.values())
    client = Client(port)
    try:
        while not stop.is_set() and time.monotonic() < deadline:
            kind, path = reader_path(rng, newsroom, kinds, weights)
            try:
                response = client.get(path)
            except CONNECTION_ERRORS as error:
                stats.error(kind, path, error)
                time.sleep(0.2)
                continue
            stats.record(kind, path, response)
            if kind in FEED_KINDS and response.status == 200:
                stats.check_feed(path, response.body)
    finally:
        client.close()


def shows(body, text):
    """Whether a page or feed shows the text, as HTML or XML escapes it or as it is."""
    from xml.sax.saxutils import escape as xml_escape  # nosec B406 # escaping text we write, no parsing

    from django.utils.html import escape as html_escape

    forms = {text, str(html_escape(text)), xml_escape(text)}
    return any(form.encode() in body for form in forms)


def check_visible(client, page, path, text):
    """Whether the next request for a page shows the text."""
    try:
        response = client.get(path)
    except CONNECTION_ERRORS as error:
        return {"page": page, "path": path, "visible": False, "status": None,
                "error": describe_error(error)}
    visible = response.status == 200 and shows(response.body, text)
    return {"page": page, "path": path, "visible": visible, "status": response.status,
            "x_cache": response.header("X-Cache"), "ms": round(response.seconds * 1000, 1)}


class LoadEditor:
    """A change every few seconds — a story published or a published one edited through the
    admin — each checked on the next request for its pages.

    Each change runs in its own thread, on its own connection with the editor's session, so a
    slow server does not stretch the cadence; at most MAX_IN_FLIGHT run at once (a change due
    while that many are still at work is skipped and counted). An edit takes one of the newest
    EDIT_FROM stories that no other change is editing, so that it is still on the home page and
    in the feed when it is checked (EDIT_FROM + MAX_IN_FLIGHT stays within the home page's
    twelve stories and the feed's twenty).
    """

    MAX_IN_FLIGHT = 4
    EDIT_FROM = 6

    def __init__(self, port, editor, newsroom, run_id, seed):
        self.port = port
        self.editor = editor
        self.newsroom = newsroom
        self.run_id = run_id
        self.seed = seed
        self.lock = threading.Lock()
        self.editing = set()
        self.changes = []
        self.save_seconds = []
        self.skipped = 0
        self.crashed = None

    def run(self, deadline, interval, stop):
        threads = []
        try:
            number = 0
            next_at = time.monotonic() + min(interval, 2)
            while not stop.is_set():
                if stop.wait(max(0.0, next_at - time.monotonic())):
                    break
                if time.monotonic() >= deadline:
                    break
                next_at += interval
                threads = [thread for thread in threads if thread.is_alive()]
                if len(threads) >= self.MAX_IN_FLIGHT:
                    self.skipped += 1
                    continue
                number += 1
                thread = threading.Thread(
                    target=self.change, args=(number, "publish" if number % 2 else "edit"),
                    name=f"soak-change-{number}", daemon=True,
                )
                thread.start()
                threads.append(thread)
        except Exception as error:  # reported with the phase, never lost in a thread
            self.crashed = describe_error(error)
        finally:
            for thread in threads:
                thread.join(timeout=5 * REQUEST_TIMEOUT)

    def change(self, number, action):
        rng = random.Random(self.seed * 10_007 + number)  # nosec B311 # repeatable test load, no secret
        editor = self.editor.clone()
        record = {"number": number, "action": action, "token": f"{self.run_id}{number:03d}",
                  "at": _now(), "checks": []}
        try:
            self.make_change(record, editor, rng)
        except Exception as error:  # one change's failure is reported, and the rest go on
            record.update(saved=False, error=describe_error(error))
        finally:
            editor.close()
            with self.lock:
                self.editing.discard(record.get("article"))
                self.changes.append(record)
            connection.close()

    def make_change(self, record, editor, rng):
        from .models import Article

        token, number = record["token"], record["number"]
        if record["action"] == "publish":
            headline = f"Harbour ferry timetable changes from Monday, soak {token}"
            slug = f"soak-{self.run_id}-live-{number:03d}"
            path = ARTICLE_ADD
            form = editor.open(path, "article_form")
            fill_new_article(form, {
                "headline": headline, "slug": slug, "label": "news",
                "standfirst": f"The winter timetable starts a week early (soak {token}).",
                "body": f"<p>The ferry moves to its winter timetable, soak {token}.</p>",
                "section": rng.choice(self.newsroom.section_ids),
                "status": "published",
                "tags": ["soak test", rng.choice(self.newsroom.tag_names)],
                "bylines": [[rng.choice(self.newsroom.authors), 0]],
                "references": [["Ferry timetable", "https://example.org/ferry", 0]],
            })
        else:
            newest = list(
                Article.objects.published().order_by("-published_at", "-pk")
                .values_list("pk", flat=True)[: self.EDIT_FROM + self.MAX_IN_FLIGHT]
            )
            with self.lock:
                free = [pk for pk in newest if pk not in self.editing][: self.EDIT_FROM]
                pk = rng.choice(free)
                self.editing.add(pk)
            record["article"] = pk
            path = article_change(pk)
            form = editor.open(path, "article_form")
            base = re.sub(r" \(edited, soak \w+\)$", "", form.get("headline", ""))
            headline = f"{base} (edited, soak {token})"
            form.set("headline", headline)
            form.set("standfirst", f"Updated in the newsroom, soak {token}.")
            form.set("_save", "Save")
        record["headline"] = headline
        response = editor.submit(path, form)
        record["status"] = response.status
        record["save_ms"] = round(response.seconds * 1000, 1)
        self.save_seconds.append(response.seconds)
        if response.status != 302:
            record.update(saved=False, error=form_errors(response.body))
            return
        record["saved"] = True
        articles = Article.objects.select_related("section")
        article = articles.get(slug=slug) if record["action"] == "publish" else articles.get(pk=pk)
        reader_client = Client(self.port)
        try:
            record["checks"] = [
                check_visible(reader_client, "home", "/", headline),
                check_visible(reader_client, "article", article.get_absolute_url(), headline),
                check_visible(reader_client, "feed", "/feed/rss/", headline),
            ]
        finally:
            reader_client.close()


def run_load(server, credentials, newsroom, seconds, readers, interval, run_id, seed, log=print):
    """Readers and an editor against one server for `seconds`; the figures and failures."""
    log_start = server.log_path.stat().st_size if server.log_path.exists() else 0
    editor = Editor(server.port, *credentials)
    editor.login()
    stats = LoadStats()
    stop = threading.Event()
    started = time.monotonic()
    deadline = started + seconds
    threads = [
        threading.Thread(
            target=reader, args=(server.port, newsroom, stats, deadline, stop, seed * 1000 + n),
            name=f"soak-reader-{n}", daemon=True,
        )
        for n in range(readers)
    ]
    cpu_before = time.process_time()
    load_editor = LoadEditor(server.port, editor, newsroom, run_id, seed)
    editor_thread = threading.Thread(
        target=load_editor.run, args=(deadline, interval, stop), name="soak-editor", daemon=True
    )
    try:
        for thread in threads:
            thread.start()
        editor_thread.start()
        last = started
        while any(thread.is_alive() for thread in threads):
            time.sleep(1)
            if time.monotonic() - last >= 30:
                last = time.monotonic()
                with stats.lock:
                    done = len(stats.latencies)
                log(f"  {last - started:.0f} s: {done:,} requests, "
                    f"{len(load_editor.changes)} editor changes")
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=REQUEST_TIMEOUT + 5)
        editor_thread.join(timeout=6 * REQUEST_TIMEOUT)
        editor.close()
    elapsed = time.monotonic() - started
    results = summarise_load(stats, load_editor, elapsed, server, log_start, readers, interval)
    results["client_cpu_s"] = round(time.process_time() - cpu_before, 1)
    return results


def summarise_load(stats, load_editor, elapsed, server, log_start, readers, interval):
    server_log = server_log_summary(server.log_path, log_start)
    changes = sorted(load_editor.changes, key=lambda change: change["number"])
    checks = [check for change in changes for check in change.get("checks", [])]
    not_visible = [
        f"{change['action']} {change.get('token')}: {check['page']} {check['path']} "
        f"({check.get('status')}, X-Cache {check.get('x_cache')})"
        for change in changes for check in change.get("checks", []) if not check["visible"]
    ]
    failed_saves = [
        f"{change['action']} {change.get('token')}: {change.get('status')} "
        f"{change.get('error', '')}".strip()
        for change in changes if not change.get("saved")
    ]
    total = len(stats.latencies)
    results = {
        "seconds": round(elapsed, 1),
        "readers": readers,
        "requests": total,
        "requests_per_second": round(total / elapsed, 1) if elapsed else 0.0,
        "latency": latency_summary(stats.latencies),
        "by_kind": {kind: latency_summary(times) for kind, times in stats.by_kind.items()},
        "statuses": {str(status): count for status, count in sorted(stats.statuses.items())},
        "x_cache": dict(stats.cache),
        "bad_statuses": {
            str(status): count for status, count in sorted(stats.bad_statuses.items())
        },
        "bad_examples": stats.bad_examples,
        "server_errors": sum(count for status, count in stats.bad_statuses.items()
                             if status >= 500),
        "connection_errors": dict(stats.errors),
        "connection_error_examples": stats.error_examples,
        "feeds_fetched": stats.feeds_fetched,
        "feed_bodies_parsed": len(stats.parsed),
        "feed_failures": stats.feed_failures,
        "feed_failure_examples": stats.feed_failure_examples,
        "editor": {
            "interval_s": interval,
            "changes": len(changes),
            "skipped": load_editor.skipped,
            "published": sum(1 for change in changes if change["action"] == "publish"),
            "edited": sum(1 for change in changes if change["action"] == "edit"),
            "failed_saves": failed_saves,
            "save_latency": latency_summary(load_editor.save_seconds),
            "checks": len(checks),
            "not_visible": not_visible,
            "crashed": load_editor.crashed,
            "log": changes,
        },
        "server": {**server_log, "workers": bench.workers(), "starts": server.starts},
        "load_after": [round(load, 2) for load in os.getloadavg()],
    }
    results["failures"] = load_failures(results)
    return results


def load_failures(results):
    """Each reason the load phase failed, as one line."""
    failures = []
    if results["server_errors"]:
        failures.append(f"{results['server_errors']} responses 5xx")
    other = sum(results["bad_statuses"].values()) - results["server_errors"]
    if other:
        failures.append(f"{other} responses other than 2xx/3xx (not 5xx)")
    errors = sum(results["connection_errors"].values())
    if errors:
        failures.append(f"{errors} requests failed without a response")
    if results["server"]["database_locked"]:
        failures.append(f"{results['server']['database_locked']} \"database is locked\" in the "
                        "server log")
    if results["feed_failures"]:
        failures.append(f"{results['feed_failures']} feed fetches did not parse cleanly")
    editor = results["editor"]
    if editor["not_visible"]:
        failures.append(f"{len(editor['not_visible'])} changes not visible on the next request")
    if editor["failed_saves"]:
        failures.append(f"{len(editor['failed_saves'])} editor saves not acknowledged")
    if editor["crashed"]:
        failures.append(f"the editor stopped: {editor['crashed']}")
    if not editor["changes"]:
        failures.append("the editor made no change")
    if not results["requests"]:
        failures.append("no requests were answered")
    return failures


# Phase 2: crash.


def jpeg_bytes(rng, size=PICTURE_SIZE):
    """A photograph-like JPEG: a gradient with noise, so it compresses as a photo does."""
    import PIL.Image

    base = PIL.Image.linear_gradient("L").resize(size).convert("RGB")
    tint = PIL.Image.new("RGB", size, tuple(rng.randrange(40, 220) for _ in range(3)))
    noise = PIL.Image.effect_noise(size, 40).convert("RGB")
    picture = PIL.Image.blend(PIL.Image.blend(base, tint, 0.5), noise, 0.2)
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


class CrashRun:
    """Saves through the admin while the server is killed at random moments."""

    def __init__(self, server, credentials, newsroom, run_id, rng, kill_share, log=print):
        self.server = server
        self.credentials = credentials
        self.editor = None  # signs in once the server has its port
        self.newsroom = newsroom
        self.run_id = run_id
        self.rng = rng
        self.kill_share = kill_share
        self.log = log
        self.saves = []
        self.baselines = {}
        self.created = {}  # slug → article id, for stories whose creation was acknowledged
        self.images = []  # ids of pictures whose upload was acknowledged
        self.unexpected_deaths = 0
        self.typical = {"create": 0.4, "edit": 0.4, "image": 2.0}  # seconds, then measured

    # The server's life.

    def ensure_running(self):
        if self.server.alive():
            return
        self.server.start()

    def kill_now(self):
        if self.server.alive():
            self.server.kill()

    def arm(self, kind):
        """Maybe kill the server at a random moment in or just after the coming request."""
        if self.rng.random() >= self.kill_share:
            return None
        delay = self.rng.uniform(0, 1.3 * self.typical[kind])
        timer = threading.Timer(delay, self.kill_now)
        timer.daemon = True
        timer.start()
        return timer

    def after(self, timer):
        """Let an armed kill happen, then bring the server back if it is down."""
        if timer is not None:
            timer.join()
        elif not self.server.alive():
            self.unexpected_deaths += 1
            self.log(f"  the server stopped without being killed: {self.server.log_tail(3)}")
        if not self.server.alive():
            self.server.start()

    def with_server(self, action, attempts=6):
        """Run an action that needs the server, restarting it after a failed connection."""
        for attempt in range(attempts):
            try:
                self.ensure_running()
                return action()
            except CONNECTION_ERRORS:
                if attempt == attempts - 1:
                    raise
                if self.server.alive():
                    time.sleep(0.5)
                else:
                    self.unexpected_deaths += 1
        return None

    # Saves.

    def run(self, count):
        from .models import Article

        self.ensure_running()
        self.editor = Editor(self.server.port, *self.credentials)
        self.with_server(self.editor.login)
        kinds, weights = list(SAVE_MIX), list(SAVE_MIX.values())
        for number in range(1, count + 1):
            kind = self.rng.choices(kinds, weights)[0]
            if kind == "edit" and not self.edit_targets():
                kind = "create"
            timer = None
            try:
                save, timer = self.save(number, kind)
            except (SoakError, *CONNECTION_ERRORS) as error:
                save = {"number": number, "kind": kind, "outcome": "error",
                        "error": describe_error(error), "expected": None}
            self.saves.append(save)
            # An armed kill happens, in the request or just after it; the server comes back.
            self.after(timer)
            if save["outcome"] == "acknowledged":
                self.remember(save, Article)
            if number % 25 == 0:
                acknowledged = sum(1 for s in self.saves if s["outcome"] == "acknowledged")
                self.log(f"  {number} saves, {acknowledged} acknowledged, "
                         f"{self.server.kills} kills")
        # The end, too, is a crash: whatever the last save left is what is checked.
        if self.server.alive():
            self.server.kill()

    def edit_targets(self):
        return list(self.created.items()) + [(None, pk) for pk in self.newsroom.edit_pool]

    def save(self, number, kind):
        """Post one save; (its record, the timer of the kill armed for it or None)."""
        from .models import Article

        token = f"{self.run_id}{number:03d}"
        files = None
        record = {"number": number, "kind": kind, "token": token}
        if kind == "image":
            path = IMAGE_ADD
            form = self.with_server(lambda: self.editor.open(path, "image_form"))
            details = {
                "alt_text": f"A harbour crane at dusk, soak picture {token}",
                "caption": f"The crane over the east quay (soak {token}).",
                "credit": "Soak Photographer / Courier",
                "licence": "cc-by-4.0",
            }
            for name, value in details.items():
                form.set(name, value)
            form.set("_save", "Save")
            files = {"file": (f"crane-{token}.jpg", "image/jpeg", jpeg_bytes(self.rng))}
            record["expected"] = details
        elif kind == "create":
            path = ARTICLE_ADD
            form = self.with_server(lambda: self.editor.open(path, "article_form"))
            slug = f"soak-{self.run_id}-crash-{number:03d}"
            fill_new_article(form, new_story(self.rng, self.newsroom, token, slug, self.images))
            record["slug"] = slug
            record["expected"] = posted_state(form)
        else:
            slug, pk = self.rng.choice(self.edit_targets())
            path = article_change(pk)
            if slug is None and pk not in self.baselines:
                article = Article.objects.prefetch_related(
                    "bylines", "references", "tagged_items__tag"
                ).get(pk=pk)
                self.baselines[pk] = stored_state(article)
            form = self.with_server(lambda: self.editor.open(path, "article_form"))
            edit_story(form, token, self.rng, self.newsroom)
            record.update(slug=slug, article=pk, created_in_run=slug is not None)
            record["expected"] = posted_state(form)

        timer = self.arm(kind)
        record["kill_armed"] = timer is not None
        try:
            response = self.editor.submit(path, form, files)
        except CONNECTION_ERRORS as error:
            record.update(outcome="lost", error=describe_error(error))
            return record, timer
        record["status"] = response.status
        record["ms"] = round(response.seconds * 1000, 1)
        if response.status == 302 and "/login/" not in (response.header("Location") or ""):
            record["outcome"] = "acknowledged"
            self.typical[kind] = 0.7 * self.typical[kind] + 0.3 * response.seconds
        else:
            record["outcome"] = "refused"
            record["error"] = (form_errors(response.body) if response.status == 200
                               else f"answered {response.status}")
        return record, timer

    def remember(self, record, Article):
        """Note what an acknowledged save made, for later saves to use."""
        from .models import Image

        if record["kind"] == "create":
            pk = Article.objects.filter(slug=record["slug"]).values_list("pk", flat=True).first()
            if pk is not None:
                self.created[record["slug"]] = pk
        elif record["kind"] == "image":
            pk = (Image.objects.filter(alt_text=record["expected"]["alt_text"])
                  .values_list("pk", flat=True).first())
            if pk is not None:
                self.images.append(pk)


def new_story(rng, newsroom, token, slug, images=()):
    """A new story as an editor fills in the add form: one to three authors, tags old and new,
    up to three sources, published or a draft, now and then with a recent picture."""
    authors = rng.sample(newsroom.authors, rng.randint(1, 3))
    tags = [f"soak {token}", *rng.sample(newsroom.tag_names, rng.randint(1, 3))]
    references = [
        [f"Harbour board paper {token}-{index}", f"https://example.org/papers/{token}-{index}",
         index]
        for index in range(rng.randint(0, 3))
    ]
    lead_image = rng.choice(list(images)[-5:]) if images and rng.random() < 0.4 else ""
    return {
        "headline": f"Night trams return to the harbour line, soak {token}",
        "slug": slug,
        "label": rng.choice(["news", "analysis", "explainer"]),
        "standfirst": f"From Friday the number 4 tram runs all night (soak {token}).",
        "body": f"<p>Trams will run <strong>all night</strong> from Friday, soak {token}.</p>"
                "<p>The council agreed the trial at its last meeting.</p>",
        "section": rng.choice(newsroom.section_ids),
        "status": rng.choice(["published", "published", "draft"]),
        "tags": tags,
        "bylines": [[author, position] for position, author in enumerate(authors)],
        "references": references,
        "lead_image": lead_image,
    }


def edit_story(form, token, rng, newsroom):
    """An article's change form edited: new words, tags, another first author and, half the
    time, a new source in the empty extra row."""
    base = re.sub(r" \(rev \w+\)$", "", form.get("headline", ""))
    form.set("headline", f"{base[:150]} (rev {token})")
    form.set("standfirst", f"Revised in the newsroom (soak {token}).")
    form.set("body", f"<p>The story as it now stands, soak {token}.</p>")
    form.set("tags", form.get_all("tags")[:1] + [f"soak {token}", rng.choice(newsroom.tag_names)])
    rows = int(form.get("bylines-TOTAL_FORMS") or 0)
    on_byline = {form.get(f"bylines-{index}-author") for index in range(rows)}
    free = [pk for pk in newsroom.authors if str(pk) not in on_byline]
    if rows and form.get("bylines-0-author") and free:
        form.set("bylines-0-author", rng.choice(free))
    total = int(form.get("references-TOTAL_FORMS") or 0)
    if total and not form.get(f"references-{total - 1}-id") and rng.random() < 0.5:
        last = total - 1
        form.set(f"references-{last}-title", f"Harbour board minutes {token}")
        form.set(f"references-{last}-url", f"https://example.org/minutes/{token}")
        form.set(f"references-{last}-position", total)
    form.set("_save", "Save")
    return form


def run_crash(server, credentials, newsroom, saves, kill_share, run_id, seed, log=print):
    """The crash phase: saves with kills, then the checks on the stopped server's data."""
    started = time.monotonic()
    crash = CrashRun(server, credentials, newsroom, run_id, random.Random(seed + 1),  # nosec B311 # repeatable test load, no secret
                     kill_share, log=log)
    try:
        crash.run(saves)
    finally:
        server.stop()
        if crash.editor is not None:
            crash.editor.close()
    elapsed = time.monotonic() - started
    connection.close()  # the checks read the database as the crash left it
    return check_crash(crash, server, run_id, elapsed)


def check_crash(crash, server, run_id, elapsed):
    saves = crash.saves
    database = Path(settings.DATABASES["default"]["NAME"])
    sqlite = sqlite_checks(database)
    violations = []
    if sqlite["integrity"] != ["ok"]:
        violations.append(("database", f"integrity_check: {'; '.join(sqlite['integrity'][:5])}"))
    if sqlite["foreign_key_problems"]:
        violations.append(("database", f"foreign_key_check: {len(sqlite['foreign_key_problems'])} "
                                       f"rows, e.g. {sqlite['foreign_key_problems'][0]}"))
    violations += check_articles(saves, crash.baselines, f"soak-{run_id}-crash-")
    violations += check_images(saves)
    for save in saves:
        if save["outcome"] == "refused" or save["outcome"] == "error":
            violations.append((f"save {save['number']} ({save['kind']})",
                               f"{save['outcome']}: {save.get('error', '')}"))
    server_log = server_log_summary(server.log_path)
    if server_log["database_locked"]:
        violations.append(("server log", f"{server_log['database_locked']} \"database is "
                                         "locked\""))
    if crash.unexpected_deaths:
        violations.append(("server", f"stopped {crash.unexpected_deaths} times without a kill"))
    outcomes = Counter(save["outcome"] for save in saves)
    kinds = Counter(save["kind"] for save in saves)
    results = {
        "seconds": round(elapsed, 1),
        "saves_attempted": len(saves),
        "by_kind": dict(kinds),
        "acknowledged": outcomes.get("acknowledged", 0),
        "lost": outcomes.get("lost", 0),
        "refused": outcomes.get("refused", 0),
        "errors": outcomes.get("error", 0),
        "kills": server.kills,
        "restarts": max(0, server.starts - 1),
        "restart_p50_s": round(percentile(server.start_seconds, 50), 2)
        if server.start_seconds else None,
        "articles_checked": len({save.get("slug") or save.get("article") for save in saves
                                 if save["kind"] in ("create", "edit")}),
        "orphan_files": orphan_files(settings.MEDIA_ROOT),
        "lost_new": lost_saves_written(saves),
        "sqlite": sqlite,
        "server": server_log,
        "violations": [{"what": what, "detail": detail} for what, detail in violations],
        "saves": saves,
        # The edited stories as they were before the run: with the saves, enough to check again.
        "baselines": {str(pk): state for pk, state in crash.baselines.items()},
    }
    return results


# The environment.


def check_environment(soak_dir):
    """The soak writes to its own database, pictures, cache and static files, never the
    newsroom's, and runs the site as production does."""
    wrong = bench.settings_outside(soak_dir)
    if wrong:
        raise SoakError(
            f"The soak writes to its own SQLite database, pictures, cache and static files in "
            f"{soak_dir}, and to no shared Redis or bucket: {', '.join(wrong)} must point there "
            "or be unset (make soak does this)."
        )
    if settings.DEBUG:
        raise SoakError("The soak runs the site as production does: set DJANGO_DEBUG=false and "
                        "DJANGO_SECRET_KEY (make soak does this).")
    try:
        import feedparser  # noqa: F401
    except ImportError:
        raise SoakError("The soak parses feeds with feedparser: pip install -r "
                        "requirements-test.txt") from None


def ensure_editor():
    """A staff account in the Editor role, with a new password for this run."""
    from axes.utils import reset
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from .roles import EDITOR

    User = get_user_model()
    password = secrets.token_urlsafe(18)
    user = User.objects.filter(username=EDITOR_USERNAME).first() or User(username=EDITOR_USERNAME)
    user.is_staff = user.is_active = True
    user.is_superuser = False
    user.set_password(password)
    user.save()
    user.groups.add(Group.objects.get(name=EDITOR))
    reset(username=EDITOR_USERNAME)  # a lock-out left by an earlier run
    return EDITOR_USERNAME, password


def write_report(soak_dir, results):
    path = Path(soak_dir) / "report.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n")
    return path


def run(articles=5_000, seconds=180, readers=200, interval=5.0, saves=200, kill_share=0.2,
        phases=("load", "crash"), seed=None, soak_dir=None, log=print, report=print):
    """The soak; returns its results (also written to report.json). `report` is given each
    phase's printed report as soon as the phase ends."""
    started = time.monotonic()
    soak_dir = Path(soak_dir or settings.BASE_DIR / "var" / "soak")
    soak_dir.mkdir(parents=True, exist_ok=True)
    check_environment(soak_dir)
    seed = seed if seed is not None else secrets.randbelow(1_000_000)
    run_id = uuid.uuid4().hex[:6]
    rng = random.Random(seed)  # nosec B311 # repeatable test load, no secret
    reaping = become_subreaper()

    build = bench.ensure_database(soak_dir, articles, 1, log=log)
    call_command("collectstatic", interactive=False, verbosity=0)
    credentials = ensure_editor()
    newsroom = read_newsroom(rng)
    connection.close()
    results = {
        "config": {
            "articles": articles, "seconds": seconds, "readers": readers, "interval_s": interval,
            "saves": saves, "kill_share": kill_share, "phases": list(phases), "seed": seed,
            "run": run_id, "workers": bench.workers(), "cpus": os.cpu_count(),
            "load_before": [round(load, 2) for load in os.getloadavg()],
            "reaps_workers": reaping,
        },
        "build": build,
        "started_at": _now(),
    }

    def finish():
        results["seconds"] = round(time.monotonic() - started, 1)
        results["report"] = str(write_report(soak_dir, results))

    if "load" in phases:
        log(f"Load: {readers} readers for {seconds} s, an editor every {interval:g} s")
        with SoakServer("load", soak_dir) as server:
            results["load"] = run_load(server, credentials, newsroom, seconds, readers,
                                       interval, run_id, seed, log=log)
        finish()
        report(render_load(results))
    if "crash" in phases:
        log(f"Crash: {saves} saves through the admin, the server killed at random moments")
        server = SoakServer("crash", soak_dir)
        try:
            results["crash"] = run_crash(server, credentials, newsroom, saves, kill_share,
                                         run_id, seed, log=log)
        finally:
            server.stop()
        finish()
        report(render_crash(results))
    finish()
    return results


def failed(results):
    """Whether any phase failed."""
    return bool(
        results.get("load", {}).get("failures") or results.get("crash", {}).get("violations")
    )


# The reports.


def _ms(value):
    if value is None:
        return "—"
    return f"{value:.0f} ms" if value >= 100 else f"{value:.1f} ms"


def _latency(summary):
    return (f"p50 {_ms(summary['p50_ms'])}, p95 {_ms(summary['p95_ms'])}, "
            f"p99 {_ms(summary['p99_ms'])}, max {_ms(summary['max_ms'])}")


def render_load(results):
    config, load = results["config"], results["load"]
    build = results.get("build", {})
    lines = [
        f"Soak, phase 1 — load: {config['articles']:,} articles"
        f"{' (reused)' if build.get('reused') else ''}; gunicorn with "
        f"{load['server']['workers']} workers on {config['cpus']} CPUs; {load['readers']} "
        f"readers for {load['seconds']:.0f} s",
    ]
    if config["load_before"][0] > config["cpus"] / 2:
        after = load.get("load_after", [0])[0]
        lines.append(f"  (other work was running: load average {config['load_before'][0]:.1f} "
                     f"at the start, {after:.1f} at the end, on {config['cpus']} CPUs)")
    lines.append(
        f"  requests: {load['requests']:,} ({load['requests_per_second']:,.1f}/s); "
        f"{_latency(load['latency'])}"
    )
    hits = load["x_cache"].get("hit", 0)
    lines.append(
        f"  from the page cache: {hits / load['requests']:.0%} of requests"
        f" (the readers' own process used {load.get('client_cpu_s', 0):.0f} s of CPU)"
        if load["requests"] else "  from the page cache: —"
    )
    for kind in READER_MIX:
        summary = load["by_kind"].get(kind)
        if summary and summary["count"]:
            lines.append(f"    {kind:<12}{summary['count']:>8,}  {_latency(summary)}")
    bad = ", ".join(f"{status} ×{count}" for status, count in load["bad_statuses"].items())
    lines.append(f"  responses other than 2xx/3xx: {bad or 'none'} "
                 f"(5xx: {load['server_errors']})")
    for example in load["bad_examples"][:5]:
        lines.append(f"    {example}")
    errors = ", ".join(f"{name} ×{count}" for name, count in load["connection_errors"].items())
    lines.append(f"  requests without a response: {errors or 'none'}")
    for example in load["connection_error_examples"][:5]:
        lines.append(f"    {example}")
    lines.append(
        f"  feeds: {load['feeds_fetched']:,} fetched ({load['feed_bodies_parsed']} different "
        f"bodies parsed), {load['feed_failures']} did not parse cleanly"
    )
    for example in load["feed_failure_examples"][:5]:
        lines.append(f"    {example}")
    editor = load["editor"]
    lines.append(
        f"  editor: {editor['changes']} changes through the admin, one every "
        f"{editor['interval_s']:g} s ({editor['published']} published, {editor['edited']} "
        f"edited), {len(editor['failed_saves'])} not saved; save {_latency(editor['save_latency'])}"
    )
    if editor.get("skipped"):
        lines.append(f"    {editor['skipped']} changes skipped: {LoadEditor.MAX_IN_FLIGHT} were "
                     "still at work when they were due")
    for failure in editor["failed_saves"][:5]:
        lines.append(f"    {failure}")
    lines.append(
        f"  freshness: {editor['checks']} next-request checks (home, article, RSS feed), "
        f"{len(editor['not_visible'])} not showing the change"
    )
    for miss in editor["not_visible"][:5]:
        lines.append(f"    {miss}")
    server = load["server"]
    lines.append(
        f"  server log: {server['database_locked']} \"database is locked\", "
        f"{server['tracebacks']} tracebacks, {server['worker_timeouts']} worker timeouts "
        f"({server['log']})"
    )
    verdict = "PASS" if not load["failures"] else "FAIL: " + "; ".join(load["failures"])
    lines.append(f"  load: {verdict}")
    return "\n".join(lines)


def render_crash(results):
    crash = results["crash"]
    by_kind = crash["by_kind"]
    lost = crash.get("lost_new", {"written": 0, "not_written": 0})
    lines = [
        f"Soak, phase 2 — crash: {crash['saves_attempted']} saves through the admin "
        f"({by_kind.get('create', 0)} new articles, {by_kind.get('edit', 0)} edits, "
        f"{by_kind.get('image', 0)} picture uploads) in {crash['seconds']:.0f} s",
        f"  acknowledged (302): {crash['acknowledged']}; lost to a kill: {crash['lost']}; "
        f"refused: {crash['refused']}; failed before posting: {crash['errors']}",
        f"  of the lost new articles and pictures: {lost['written']} in the database whole, "
        f"{lost['not_written']} not at all",
        f"  kill -9 of master and workers: {crash['kills']}; restarts: {crash['restarts']} "
        f"(p50 {crash['restart_p50_s']} s to /healthz)",
        f"  checked with the server stopped: {crash['articles_checked']} articles, every "
        f"picture; integrity_check: {', '.join(crash['sqlite']['integrity'][:3])}; "
        f"foreign_key_check: {len(crash['sqlite']['foreign_key_problems'])} rows",
        f"  files left by unfinished uploads (no row names them): {crash['orphan_files']}",
        f"  server log: {crash['server']['database_locked']} \"database is locked\", "
        f"{crash['server']['tracebacks']} tracebacks",
    ]
    violations = crash["violations"]
    lines.append(f"  violations: {len(violations)}")
    for violation in violations[:15]:
        lines.append(f"    {violation['what']}: {violation['detail']}")
    if len(violations) > 15:
        lines.append(f"    … and {len(violations) - 15} more (see {results.get('report')})")
    lines.append(f"  crash: {'PASS' if not violations else 'FAIL'}")
    return "\n".join(lines)


def render_summary(results):
    minutes, seconds = divmod(round(results["seconds"]), 60)
    verdict = "FAIL" if failed(results) else "PASS"
    return f"Soak: {verdict}. Took {minutes} min {seconds:02d} s; report in {results['report']}."

