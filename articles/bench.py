"""`make bench`: how fast readers get their pages, next to the fastest this server could send them.

The run, against a synthetic newsroom in var/bench/ (built once by seed_demo, then reused):

1. Server time in process: each page type rendered by the test client with the page cache off,
   its median and 95th-percentile time and its number of database queries.
2. gunicorn as `make serve` runs it, page cache off: wrk against the home page, an article, a
   section, a tag and the site's RSS feed. The article's HTML is saved as a static file, and its
   page weight taken.
3. gunicorn again, page cache on: the same pages from the cache, and the limit — the article's
   HTML served by whitenoise from STATIC_ROOT under the same server settings. Then the proof that
   the cache never serves a stale page: a story published and a correction added in this process
   show on the server's very next request.

Every figure is set against the issue's targets (RATIO_TARGETS and the budgets below), printed as
one table and written to var/bench/results.json. The servers are stopped by their own process
ids, whatever happens.
"""

import gzip
import importlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess  # nosec B404 # only wrk, gunicorn and manage.py, never a shell
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urljoin

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

LUA_SCRIPT = Path(__file__).with_name("bench.lua")
HOST = "127.0.0.1"
# Stories the freshness proof publishes; never chosen as the benchmarked article.
FRESH_SLUG_PREFIX = "bench-fresh-"
STATIC_LIMIT_NAME = "bench/article.html"

# The pages wrk measures; choose_pages() names every page timed in process.
HTTP_PAGES = ["home", "article", "section", "tag", "feed"]
PAGE_TITLES = {
    "home": "home",
    "article": "article",
    "section": "section",
    "tag": "tag",
    "author": "author",
    "feed": "RSS feed",
    "atom": "Atom feed",
    "sitemap": "sitemap index",
    "sitemap_stories": "sitemap of stories",
    "search": "search",
    "home_last": "home, last page",
    "section_last": "section, last page",
    "limit": "static limit",
}

# The targets. Requests per second as a share of the static limit's:
RATIO_TARGETS = {
    ("article", "cached"): 0.9,
    ("article", "uncached"): 0.06,
    ("tag", "uncached"): 0.04,
    ("feed", "uncached"): 0.04,
}
SERVER_P95_TARGET_MS = 25  # every public page, uncached, in process
WEIGHT_TARGET_BYTES = 30_000  # the article's HTML and the site's CSS, compressed

START_TIMEOUT = 30  # seconds a server gets to start answering


class BenchError(Exception):
    """The benchmark cannot go on; the message says why."""


# wrk and its output.


@dataclass
class WrkResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int = 0
    non_2xx: int = 0


RESULT_LINE = re.compile(r"^BENCH-RESULT (\{.*\})\s*$", re.MULTILINE)
TIME_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def _wrk_time_ms(output, percent):
    match = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s|m|h)\s*$", output, re.MULTILINE)
    return float(match[1]) * TIME_UNITS_MS[match[2]] if match else None


def parse_wrk(output):
    """Requests per second, p50 and p99 from wrk's output.

    Reads the line bench.lua prints; without it, wrk's own summary as `--latency` prints it.
    """
    match = RESULT_LINE.search(output)
    if match:
        data = json.loads(match[1])
        seconds = data["duration_us"] / 1e6
        return WrkResult(
            requests_per_second=data["requests"] / seconds if seconds else 0.0,
            p50_ms=data["p50_us"] / 1000,
            p99_ms=data["p99_us"] / 1000,
            requests=data["requests"],
            errors=data["errors"],
            non_2xx=data["non_2xx"],
        )
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50, p99 = _wrk_time_ms(output, 50), _wrk_time_ms(output, 99)
    if not rate or p50 is None or p99 is None:
        raise BenchError(f"wrk's output has no results:\n{output.strip()}")
    total = re.search(r"(\d+) requests in", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return WrkResult(
        requests_per_second=float(rate[1]),
        p50_ms=p50,
        p99_ms=p99,
        requests=int(total[1]) if total else 0,
        errors=sum(int(count) for count in sockets.groups()) if sockets else 0,
        non_2xx=int(non_2xx[1]) if non_2xx else 0,
    )


def wrk_command(url, duration, threads, connections):
    wrk = shutil.which("wrk")
    if not wrk:
        raise BenchError("The benchmark needs wrk: sudo apt-get install -y wrk")
    return [
        wrk, f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s",
        "--latency", "-s", str(LUA_SCRIPT), url,
    ]


def run_wrk(url, duration, threads, connections):
    command = wrk_command(url, duration, threads, connections)
    completed = subprocess.run(command, capture_output=True, text=True, check=False)  # nosec B603 # wrk from shutil.which, fixed arguments
    if completed.returncode != 0:
        raise BenchError(f"wrk failed on {url}:\n{completed.stdout}{completed.stderr}")
    return parse_wrk(completed.stdout)


# Figures and targets.


def percentile(values, percent):
    """The percent-th percentile of the values, interpolated between the nearest two."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    position = (len(ordered) - 1) * percent / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def ratio(rate, limit_rate):
    """A page's requests per second as a share of the static limit's."""
    return rate / limit_rate if limit_rate else None


def verdict(value, target, at_least=True):
    if value is None:
        return "MISS"
    passed = value >= target if at_least else value <= target
    return "PASS" if passed else "MISS"


def evaluate_targets(results):
    """Each of the issue's targets with the figure it is judged on and PASS or MISS."""
    targets = []
    for (page, mode), share in RATIO_TARGETS.items():
        measured = results["http"].get(mode, {}).get(page)
        value = measured["ratio"] if measured else None
        targets.append({
            "what": f"{PAGE_TITLES[page]}, {mode}: requests/s against the static limit",
            "figure": None if value is None else round(value, 4),
            "target": f"≥ {share}×",
            "verdict": verdict(value, share),
        })
    for page, timing in results["server"].items():
        targets.append({
            "what": f"{PAGE_TITLES.get(page, page)}: server time p95, uncached",
            "figure": round(timing["p95_ms"], 2),
            "target": f"≤ {SERVER_P95_TARGET_MS} ms",
            "verdict": verdict(timing["p95_ms"], SERVER_P95_TARGET_MS, at_least=False),
        })
    weight = results.get("weight")
    if weight:
        targets.append({
            "what": "article HTML + CSS, compressed",
            "figure": weight["total_gzip_bytes"],
            "target": f"≤ {WEIGHT_TARGET_BYTES:,} bytes",
            "verdict": verdict(weight["total_gzip_bytes"], WEIGHT_TARGET_BYTES, at_least=False),
        })
        targets.append({
            "what": "render-blocking <script> in <head>",
            "figure": len(weight["blocking_scripts"]),
            "target": "none",
            "verdict": verdict(len(weight["blocking_scripts"]), 0, at_least=False),
        })
    return targets


# Page weight.


JAVASCRIPT_TYPES = {
    "", "text/javascript", "application/javascript", "application/ecmascript",
    "text/ecmascript", "module",
}
FONT_FILE = re.compile(r"\.(woff2?|ttf|otf|eot)\b|fonts\.(googleapis|gstatic)\.com", re.I)


class HeadReader(HTMLParser):
    """The <script> and <link> elements of a page's <head>."""

    def __init__(self):
        super().__init__()
        self.in_head = False
        self.scripts = []
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "head":
            self.in_head = True
        elif tag == "body":
            self.in_head = False
        elif self.in_head and tag == "script":
            self.scripts.append(attrs)
        elif self.in_head and tag == "link":
            self.links.append(attrs)

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False


def is_render_blocking(script):
    """A script in <head> holds up the first paint unless it is deferred, async, a module, or
    data (such as JSON-LD) rather than code."""
    kind = (script.get("type") or "").strip().lower()
    if kind not in JAVASCRIPT_TYPES or kind == "module":
        return False
    return not ("src" in script and ("async" in script or "defer" in script))


def read_head(html):
    reader = HeadReader()
    reader.feed(html)
    reader.close()
    return reader


def stylesheets(html):
    return [
        link["href"] for link in read_head(html).links
        if "stylesheet" in (link.get("rel") or "").lower().split() and link.get("href")
    ]


def page_weight(html, html_gzip_bytes, css):
    """`css`: each stylesheet's (text, compressed size). Sizes are as the server sends them."""
    head = read_head(html)
    blocking = [
        script.get("src") or "inline script" for script in head.scripts
        if is_render_blocking(script)
    ]
    fonts = [
        link.get("href") for link in head.links
        if link.get("as") == "font" or FONT_FILE.search(link.get("href") or "")
    ]
    for text, _ in css:
        fonts += ["@font-face"] * text.count("@font-face")
        fonts += [match.group(0) for match in FONT_FILE.finditer(text)]
    css_gzip_bytes = sum(size for _, size in css)
    return {
        "html_bytes": len(html.encode()),
        "html_gzip_bytes": html_gzip_bytes,
        "css_gzip_bytes": css_gzip_bytes,
        "total_gzip_bytes": html_gzip_bytes + css_gzip_bytes,
        "blocking_scripts": blocking,
        "web_fonts": fonts,
    }


# Server time, in process.


@dataclass
class ServerTime:
    path: str
    p50_ms: float
    p95_ms: float
    queries: int
    queries_max: int
    requests: int


def measure_in_process(paths, requests=50, warmup=5, budget=20, log=print):
    """Each path's server time with the page cache off, and its database queries per request.

    A page too slow for all its requests in `budget` seconds gets fewer: three, or just one when
    even three would take over twice the budget.
    """
    timings = {}
    # The middleware reads the setting when the handler loads: the client is made inside.
    with override_settings(NEWSROOM_PAGE_CACHE=False):
        client = Client(HTTP_HOST=HOST)
        for name, path in paths.items():
            # The warm-up requests also count the queries: the query log slows the timed ones.
            counts = []
            warm_until = time.monotonic() + budget / 4  # a slow page is warm after one
            for number in range(max(1, warmup)):
                with CaptureQueriesContext(connection) as queries:
                    _expect_ok(client.get(path), path)
                if number or warmup <= 1:  # the first may fetch what later ones reuse
                    counts.append(len(queries))
                if time.monotonic() > warm_until:
                    break
            counts = counts or [len(queries)]
            times = []
            began = time.monotonic()
            while len(times) < requests:
                started = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
                _expect_ok(response, path)
                spent = time.monotonic() - began
                if spent > 2 * budget or (spent > budget and len(times) >= 3):
                    break
            timings[name] = ServerTime(
                path=path,
                p50_ms=percentile(times, 50),
                p95_ms=percentile(times, 95),
                queries=min(counts),
                queries_max=max(counts),
                requests=len(times),
            )
            log(f"  {PAGE_TITLES.get(name, name)}: p50 {timings[name].p50_ms:.1f} ms, "
                f"p95 {timings[name].p95_ms:.1f} ms, {timings[name].queries} queries")
    return timings


def _expect_ok(response, path):
    if response.status_code != 200:
        raise BenchError(f"{path} answered {response.status_code}, not 200.")


# The pages.


def choose_pages():
    """The pages to measure: the newest published article with a lead picture that no run of the
    benchmark has corrected yet (so each run measures the same kind of page), its section, the
    tag on most published stories, the author with most bylines."""
    from taggit.models import Tag

    from .models import Article, ArticleTag, Author, Byline

    published = Article.objects.published()
    article = (
        published.filter(
            lead_image__isnull=False, updated_at__isnull=True, corrections__isnull=True
        )
        .exclude(slug__startswith=FRESH_SLUG_PREFIX)
        .select_related("section")
        .order_by("-published_at", "-pk")
        .first()
    )
    if article is None:
        raise BenchError("The newsroom has no published article with a lead picture to measure.")
    top_tag = (
        ArticleTag.objects.filter(content_object__in=published)
        .values("tag")
        .annotate(count=Count("pk"))
        .order_by("-count", "tag")
        .first()
    )
    top_author = (
        Byline.objects.values("author").annotate(count=Count("pk")).order_by("-count", "author")
        .first()
    )
    if top_tag is None or top_author is None:
        raise BenchError("The newsroom has no tagged or bylined stories to measure.")
    tag = Tag.objects.get(pk=top_tag["tag"])
    author = Author.objects.get(pk=top_author["author"])
    section_url = article.section.get_absolute_url()
    paths = {
        "home": reverse("articles:home"),
        "article": article.get_absolute_url(),
        "section": section_url,
        "tag": reverse("articles:tag", args=[tag.slug]),
        "author": author.get_absolute_url(),
        "feed": reverse("articles:feed_rss"),
        "atom": reverse("articles:feed_atom"),
        "sitemap": reverse("articles:sitemap_index"),
        "sitemap_stories": reverse("articles:sitemap", args=["articles"]),
        # A reader's two words: the busiest topic's name.
        "search": f"{reverse('articles:search')}?{urlencode({'q': tag.name})}",
        "home_last": last_page(reverse("articles:home"), published),
        "section_last": last_page(section_url, published.filter(section=article.section)),
    }
    return article, paths


def last_page(path, stories):
    """Where a listing's "Older" links end: the page of its oldest stories, addressed by the one
    just newer than them (the listing itself, when its stories fit on one page)."""
    size = settings.NEWSROOM_ARTICLES_PER_PAGE
    oldest_first = stories.order_by("published_at", "pk").values_list("pk", flat=True)
    newer = list(oldest_first[size : size + 1])
    return f"{path}?before={newer[0]}" if newer else path


# The server.


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def fetch(url, headers=None, timeout=30):
    """(status, headers, body) of a GET, straight to the server whatever the proxy settings."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with _opener.open(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers, error.read()


class Server:
    """gunicorn as `make serve` runs it, on a free loopback port, with some settings changed."""

    def __init__(self, label, log_dir, **environment):
        self.label = label
        self.log_path = Path(log_dir) / f"gunicorn-{label}.log"
        self.environment = environment
        self.process = None
        self.port = None

    @property
    def url(self):
        return f"http://{HOST}:{self.port}"

    # What a subclass may change: the page that says the server is up, how long it may take,
    # what a failure raises, how the log is opened and how the process is started.
    ready_path = "/robots.txt"
    start_timeout = START_TIMEOUT
    error = BenchError
    log_mode = "wb"
    popen_options = {}

    def start(self):
        if self.port is None:
            self.port = free_port()
        environment = {
            **os.environ, **self.environment, "HOST": HOST, "PORT": str(self.port),
            "DJANGO_DEBUG": "false",
        }
        with open(self.log_path, self.log_mode) as log:
            self.before_start(log)
            self.process = subprocess.Popen(  # nosec B603 # this Python running gunicorn
                [sys.executable, "-m", "gunicorn", "--config", "newsroom/gunicorn.py"],
                cwd=settings.BASE_DIR, env=environment, stdout=log, stderr=subprocess.STDOUT,
                **self.popen_options,
            )
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise self.error(f"gunicorn ({self.label}) stopped at start: {self.log_tail(5)}")
            try:
                status, _, _ = fetch(f"{self.url}{self.ready_path}", timeout=5)
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        raise self.error(
            f"gunicorn ({self.label}) did not answer {self.ready_path} in {self.start_timeout} s: "
            f"{self.log_tail(5)}"
        )

    def before_start(self, log):
        """Called with the log open, just before the server process starts."""

    def stop(self):
        """Stop this server, by its own process id: gunicorn stops its workers itself."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log_tail(self, lines=20):
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc_info):
        self.stop()


def workers():
    return importlib.import_module("newsroom.gunicorn").workers


# The database.


def _inside(path, folder):
    return Path(path).resolve().is_relative_to(Path(folder).resolve())


def settings_outside(run_dir):
    """The settings that would have a run (the benchmark's, the soak's) write anywhere but in
    `run_dir`: its SQLite database, pictures, cache or static files elsewhere, or a shared Redis
    or bucket in use. Empty when the run keeps to its folder."""
    database = settings.DATABASES["default"]
    places = {
        "DATABASE_URL": database["NAME"] if "sqlite" in database["ENGINE"] else None,
        "NEWSROOM_MEDIA_ROOT": settings.MEDIA_ROOT,
        "NEWSROOM_CACHE_DIR": settings.CACHE_DIR,
        "NEWSROOM_VAR_DIR": settings.STATIC_ROOT,
    }
    wrong = [name for name, place in places.items() if not place or not _inside(place, run_dir)]
    if getattr(settings, "REDIS_URL", ""):
        wrong.append("REDIS_URL")
    if getattr(settings, "OBJECT_STORAGE", None):
        wrong.append("NEWSROOM_S3_BUCKET")
    return wrong


def check_environment(bench_dir):
    """The benchmark writes to its database, media, cache and static files: never the
    newsroom's own."""
    wrong = settings_outside(bench_dir)
    if wrong:
        raise BenchError(
            "The benchmark writes to its own SQLite database, pictures, cache and static files "
            f"in {bench_dir}, and to no shared Redis or bucket: {', '.join(wrong)} must point "
            "there or be unset (make bench does this)."
        )
    if settings.DEBUG:
        raise BenchError("The benchmark measures the site as it runs in production: set "
                         "DJANGO_DEBUG=false and DJANGO_SECRET_KEY (make bench does this).")


def manage(*arguments):
    subprocess.run(  # nosec B603 # this Python running manage.py
        [sys.executable, str(settings.BASE_DIR / "manage.py"), *arguments],
        cwd=settings.BASE_DIR, check=True,
    )


def ensure_database(bench_dir, articles, seed, log=print):
    """Build the benchmark's newsroom, unless the one there was built with these articles."""
    database = Path(settings.DATABASES["default"]["NAME"])
    marker = Path(bench_dir) / "built.json"
    wanted = {"articles": articles, "seed": seed}
    try:
        built = json.loads(marker.read_text())
    except (OSError, ValueError):
        built = None
    if database.exists() and built and {key: built.get(key) for key in wanted} == wanted:
        log(f"Reusing the {articles:,}-article newsroom in {bench_dir} "
            f"(built in {built.get('seconds', 0):.0f} s).")
        manage("migrate", "--noinput", "-v0")
        return {**built, "reused": True}
    log(f"Building a {articles:,}-article newsroom in {bench_dir}…")
    connection.close()
    marker.unlink(missing_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    for folder in (settings.MEDIA_ROOT, settings.CACHE_DIR):
        shutil.rmtree(folder, ignore_errors=True)
    Path(bench_dir).mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    manage("migrate", "--noinput", "-v0")
    manage("seed_demo", "--articles", str(articles), "--seed", str(seed))
    built = {**wanted, "seconds": round(time.monotonic() - started, 1),
             "built_at": datetime.now(UTC).isoformat(timespec="seconds")}
    marker.write_text(json.dumps(built, indent=2) + "\n")
    log(f"Built in {built['seconds']:.0f} s.")
    return {**built, "reused": False}


# Freshness.


def prove_freshness(base_url, article, log=print):
    """Publish a story and correct the benchmarked one here; the server's next request shows both.

    This process and the server share the database and the file cache that holds the content
    version, as every app server of one site does.
    """
    from .models import Article
    from .publishing import add_correction, publish

    token = uuid.uuid4().hex[:8]
    article_url = base_url + article.get_absolute_url()
    before = {
        "home": fetch(base_url + "/")[1].get("X-Cache"),
        "article": fetch(article_url)[1].get("X-Cache"),
    }

    headline = f"Harbour ferry timetable changes from Monday, ref {token}"
    story = Article.objects.create(
        headline=headline,
        slug=f"{FRESH_SLUG_PREFIX}{token}",
        section=article.section,
        standfirst="The winter timetable starts a week early.",
        body="<p>The harbour ferry moves to its winter timetable from Monday.</p>",
    )
    publish(story)
    checks = []

    def check(what, url, text):
        started = time.perf_counter()
        status, headers, body = fetch(url)
        fresh = status == 200 and text in body.decode("utf-8", "replace")
        checks.append({
            "what": what, "url": url, "fresh": fresh, "status": status,
            "x_cache": headers.get("X-Cache"),
            "ms": round((time.perf_counter() - started) * 1000, 1),
        })
        log(f"  {what}: {'yes' if fresh else 'NO'} ({status}, X-Cache: {headers.get('X-Cache')})")

    check("new story on the home page", base_url + "/", headline)
    check("new story's own page", base_url + story.get_absolute_url(), headline)
    correction = f"An earlier version of this story gave the wrong date for the vote (ref {token})."
    add_correction(article, correction)
    check("correction on the benchmarked article", article_url, correction)
    return {
        "cached_before": before,
        "checks": checks,
        "fresh": all(item["fresh"] for item in checks),
    }


# The run.


def measure_http(server, paths, mode, options, log=print):
    results = {}
    for name, path in paths.items():
        url = server.url + path
        if options["warmup"]:
            run_wrk(url, options["warmup"], options["threads"], options["connections"])
        if mode == "cached":
            seen = [fetch(url)[1].get("X-Cache") for _ in range(4 * workers())]
            if any(state != "hit" for state in seen):
                log(f"  warning: {path} is not served from the cache after the warm-up "
                    f"(X-Cache: {', '.join(str(state) for state in seen)})")
        elif mode == "uncached" and fetch(url)[1].get("X-Cache") == "hit":
            log(f"  warning: {path} came from the page cache on the uncached server")
        result = run_wrk(url, options["duration"], options["threads"], options["connections"])
        if result.errors or result.non_2xx:
            log(f"  warning: {path}: {result.errors} socket errors, {result.non_2xx} "
                "responses other than 2xx/3xx")
        log(f"  {PAGE_TITLES.get(name, name)}{'' if mode == 'static' else ', ' + mode}: "
            f"{result.requests_per_second:,.0f} req/s, "
            f"p50 {result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms")
        results[name] = asdict(result)
    return results


def measure_weight(server, article_path):
    html_status, _, html = fetch(server.url + article_path)
    _, headers, compressed = fetch(server.url + article_path, {"Accept-Encoding": "gzip"})
    if html_status != 200 or headers.get("Content-Encoding") != "gzip":
        raise BenchError(f"{article_path} did not come gzip-compressed.")
    text = html.decode()
    css = []
    for href in stylesheets(text):
        url = urljoin(server.url + article_path, href)
        _, _, plain = fetch(url)
        _, css_headers, packed = fetch(url, {"Accept-Encoding": "gzip"})
        if css_headers.get("Content-Encoding") != "gzip":
            packed = gzip.compress(plain)
        css.append((plain.decode(), len(packed)))
    return html, page_weight(text, len(compressed), css)


def run(articles=100_000, seed=1, duration=10, warmup=2, threads=2, connections=16,
        requests=50, bench_dir=None, log=print):
    """The whole benchmark; returns its results (also written to results.json)."""
    started = time.monotonic()
    load_before = os.getloadavg()
    bench_dir = Path(bench_dir or settings.BASE_DIR / "var" / "bench")
    check_environment(bench_dir)
    if not shutil.which("wrk"):
        raise BenchError("The benchmark needs wrk: sudo apt-get install -y wrk")
    options = {"duration": duration, "warmup": min(warmup, duration), "threads": threads,
               "connections": connections}

    build = ensure_database(bench_dir, articles, seed, log=log)
    call_command("collectstatic", interactive=False, verbosity=0)
    article, paths = choose_pages()
    http_paths = {name: paths[name] for name in HTTP_PAGES}
    log(f"Article: {paths['article']}")
    results = {
        "config": {
            "articles": articles, "seed": seed, "duration_s": duration,
            "warmup_s": options["warmup"], "threads": threads, "connections": connections,
            "workers": workers(), "cpus": os.cpu_count(), "in_process_requests": requests,
            "wrk": " ".join(wrk_command("URL", duration, threads, connections)[1:-3]),
            "load_before": [round(load, 2) for load in load_before],
        },
        "build": build,
        "pages": paths,
        "http": {},
    }

    log(f"Server time in process, page cache off (up to {requests} requests each):")
    results["server"] = {
        name: asdict(timing)
        for name, timing in measure_in_process(paths, requests=requests, log=log).items()
    }

    limit_file = Path(settings.STATIC_ROOT) / STATIC_LIMIT_NAME
    log("Uncached: gunicorn with the page cache off")
    with Server("uncached", bench_dir, NEWSROOM_PAGE_CACHE="false") as server:
        html, results["weight"] = measure_weight(server, paths["article"])
        # The limit: these very bytes as a file, which whitenoise finds when a server starts.
        limit_file.parent.mkdir(parents=True, exist_ok=True)
        limit_file.write_bytes(html)
        results["http"]["uncached"] = measure_http(server, http_paths, "uncached", options,
                                                   log=log)

    log("Cached: gunicorn with the page cache on")
    with Server("cached", bench_dir, NEWSROOM_PAGE_CACHE="true") as server:
        limit_path = settings.STATIC_URL.rstrip("/") + "/" + STATIC_LIMIT_NAME
        if not limit_path.startswith("/"):
            limit_path = "/" + limit_path
        status, _, body = fetch(server.url + limit_path)
        if status != 200 or body != html:
            raise BenchError(f"whitenoise did not serve the article's HTML at {limit_path}.")
        # The limit before and after the cached pages; other work on the machine only ever
        # slows a run down, so the better of the two is the closer to the truth.
        limits = [measure_http(server, {"limit": limit_path}, "static", options, log=log)]
        results["http"]["cached"] = measure_http(server, http_paths, "cached", options,
                                                 log=log)
        limits.append(measure_http(server, {"limit": limit_path}, "static", options, log=log))
        best = max((runs["limit"] for runs in limits), key=lambda run: run["requests_per_second"])
        results["limit"] = {
            "path": limit_path, **best,
            "runs": [runs["limit"]["requests_per_second"] for runs in limits],
        }
        log("Freshness, on the cached server:")
        results["freshness"] = prove_freshness(server.url, article, log=log)

    limit_rate = results["limit"]["requests_per_second"]
    for pages in results["http"].values():
        for measured in pages.values():
            measured["ratio"] = ratio(measured["requests_per_second"], limit_rate)
    results["targets"] = evaluate_targets(results)
    results["seconds"] = round(time.monotonic() - started, 1)
    results["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    (bench_dir / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    return results


# The report.


def _ms(value):
    return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"


def _target_cell(page, mode, measured):
    share = RATIO_TARGETS.get((page, mode))
    if share is None or measured is None:
        return ""
    return f"≥ {share:g}× {verdict(measured.get('ratio'), share)}"


def render_report(results):
    config = results["config"]
    lines = []
    build = results["build"]
    built = f"{'reused, ' if build.get('reused') else ''}built in {build['seconds']:.0f} s"
    lines.append(
        f"Newsroom benchmark: {config['articles']:,} articles ({built}); gunicorn with "
        f"{config['workers']} workers on {config['cpus']} CPUs; wrk {config['wrk']}, "
        f"after a {config['warmup_s']} s warm-up"
    )
    load = config["load_before"][0]
    if load > config["cpus"] / 2:
        lines.append(
            f"Warning: other work was running (load average {load:.1f} on {config['cpus']} CPUs "
            "at the start): the figures are noisy."
        )
    lines.append("")
    header = (f"{'page':<20}{'req/s':>9}{'p50':>10}{'p99':>10}{'× static':>10}  {'target':<12}")
    lines.append(f"{'':<20}{'uncached':^51}   {'cached':^51}")
    lines.append(header + " | " + header[20:])
    limit = results["limit"]
    for page in HTTP_PAGES:
        row = f"{PAGE_TITLES[page]:<20}"
        for mode in ("uncached", "cached"):
            measured = results["http"].get(mode, {}).get(page)
            if mode == "cached":
                row += " | "
            if measured is None:
                row += f"{'—':>39}  {'':<12}"
                continue
            row += (
                f"{measured['requests_per_second']:>9,.0f}{_ms(measured['p50_ms']):>10}"
                f"{_ms(measured['p99_ms']):>10}{measured['ratio']:>9.3f}×"
                f"  {_target_cell(page, mode, measured):<12}"
            )
        lines.append(row)
    lines.append(
        f"{PAGE_TITLES['limit']:<20}{limit['requests_per_second']:>9,.0f}"
        f"{_ms(limit['p50_ms']):>10}{_ms(limit['p99_ms']):>10}{1:>9.3f}×"
        f"  the article's HTML as a static file, served by whitenoise ({limit['path']}; "
        f"the better of {len(limit.get('runs', [1]))} runs)"
    )
    lines.append("")

    lines.append(
        f"Server time in process, page cache off (up to {config['in_process_requests']} requests "
        "each after a warm-up; n: how many)"
    )
    lines.append(f"{'page':<20}{'p50':>10}{'p95':>10}{'n':>5}{'queries':>9}  {'target':<18}path")
    for page, timing in results["server"].items():
        queries = str(timing["queries"])
        if timing["queries_max"] != timing["queries"]:
            queries += f"–{timing['queries_max']}"
        target = (f"p95 ≤ {SERVER_P95_TARGET_MS} ms "
                  f"{verdict(timing['p95_ms'], SERVER_P95_TARGET_MS, at_least=False)}")
        lines.append(
            f"{PAGE_TITLES.get(page, page):<20}{_ms(timing['p50_ms']):>10}"
            f"{_ms(timing['p95_ms']):>10}{timing['requests']:>5}{queries:>9}  {target:<18}"
            f"{timing['path']}"
        )
    lines.append("")

    weight = results["weight"]
    lines.append("Page weight of the article, compressed as served")
    total = weight["total_gzip_bytes"]
    lines.append(
        f"HTML {weight['html_gzip_bytes']:,} B (of {weight['html_bytes']:,}) + CSS "
        f"{weight['css_gzip_bytes']:,} B = {total:,} B"
        f"   ≤ {WEIGHT_TARGET_BYTES:,} B "
        f"{verdict(total, WEIGHT_TARGET_BYTES, at_least=False)}"
    )
    blocking = weight["blocking_scripts"]
    lines.append(
        f"render-blocking <script> in <head>: {', '.join(blocking) or 'none'}   none "
        f"{verdict(len(blocking), 0, at_least=False)}"
    )
    lines.append(f"web fonts: {', '.join(weight['web_fonts']) or 'none'}")
    lines.append("")

    freshness = results["freshness"]
    before = freshness["cached_before"]
    lines.append(
        f"Freshness, on the cached server (before: home X-Cache {before['home']}, article "
        f"X-Cache {before['article']})"
    )
    for check in freshness["checks"]:
        lines.append(
            f"  {check['what']}: {'yes' if check['fresh'] else 'NO'} "
            f"(X-Cache {check['x_cache']}, {check['ms']:.0f} ms)"
        )
    lines.append(f"fresh on the next request: {'yes' if freshness['fresh'] else 'NO'}")
    lines.append("")

    targets = results["targets"]
    missed = [target for target in targets if target["verdict"] != "PASS"]
    lines.append(f"Targets: {len(targets) - len(missed)} PASS, {len(missed)} MISS")
    for target in missed:
        lines.append(f"  MISS {target['what']}: {target['figure']} (target {target['target']})")
    minutes, seconds = divmod(round(results["seconds"]), 60)
    lines.append(f"Took {minutes} min {seconds:02d} s.")
    return "\n".join(lines)


def stop_on_sigterm():
    """Turn SIGTERM into SystemExit, so the servers are stopped on the way out."""

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    return signal.signal(signal.SIGTERM, stop)
