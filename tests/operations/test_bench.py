"""The benchmark's own logic, without wrk or gunicorn: reading wrk, judging the targets, timing
pages in process, page weight and the freshness proof."""

from urllib.parse import urlsplit

import pytest
from django.test import Client

from articles.models import Article
from newsroom.load.bench import BenchError, freshness
from newsroom.load.bench.freshness import prove_freshness
from newsroom.load.bench.in_process import measure_in_process
from newsroom.load.bench.pages import choose_pages, last_page
from newsroom.load.bench.report import render_report
from newsroom.load.bench.runner import check_environment
from newsroom.load.bench.targets import evaluate_targets, ratio, verdict
from newsroom.load.bench.weight import page_weight, stylesheets
from newsroom.load.bench.wrk import parse_wrk
from newsroom.load.harness import percentile, settings_outside
from newsroom.load.soak import SoakError
from newsroom.load.soak.runner import check_environment as check_soak_environment

WRK_SUMMARY = """\
Running 10s test @ http://127.0.0.1:40123/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     5.12ms    2.01ms  41.30ms   88.12%
    Req/Sec     1.57k   120.44     1.80k    71.00%
  Latency Distribution
     50%  812.00us
     75%    5.90ms
     90%    7.80ms
     99%    1.20s
  31254 requests in 10.01s, 412.33MB read
  Socket errors: connect 0, read 3, write 0, timeout 1
  Non-2xx or 3xx responses: 7
Requests/sec:   3122.35
Transfer/sec:     41.19MB
"""

LUA_LINE = (
    'BENCH-RESULT {"requests": 31254, "duration_us": 10010000, "p50_us": 4812, '
    '"p99_us": 11950, "errors": 0, "non_2xx": 2}\n'
)


def test_wrk_result_line_from_the_lua_script_wins():
    result = parse_wrk(WRK_SUMMARY + LUA_LINE)
    assert result.requests == 31254
    assert result.requests_per_second == pytest.approx(31254 / 10.01)
    assert result.p50_ms == pytest.approx(4.812)
    assert result.p99_ms == pytest.approx(11.95)
    assert (result.errors, result.non_2xx) == (0, 2)


def test_wrk_own_summary_is_read_with_its_units():
    result = parse_wrk(WRK_SUMMARY)
    assert result.requests_per_second == pytest.approx(3122.35)
    assert result.p50_ms == pytest.approx(0.812)
    assert result.p99_ms == pytest.approx(1200)
    assert result.requests == 31254
    assert (result.errors, result.non_2xx) == (4, 7)


def test_wrk_output_without_results_is_an_error():
    with pytest.raises(BenchError, match="no results"):
        parse_wrk("unable to connect to 127.0.0.1:1 Connection refused\n")


def test_percentiles_interpolate():
    values = [5, 1, 4, 2, 3]
    assert percentile(values, 50) == 3
    assert percentile(values, 100) == 5
    assert percentile(values, 95) == pytest.approx(4.8)
    assert percentile([7], 99) == 7


def test_ratio_and_verdicts():
    assert ratio(90, 100) == pytest.approx(0.9)
    assert ratio(90, 0) is None
    assert verdict(0.9, 0.9) == "PASS"
    assert verdict(0.89, 0.9) == "MISS"
    assert verdict(None, 0.9) == "MISS"
    assert verdict(25.0, 25, at_least=False) == "PASS"
    assert verdict(25.1, 25, at_least=False) == "MISS"


def wrk(rate, ratio=None):
    return {"requests_per_second": rate, "p50_ms": 2.0, "p99_ms": 9.0, "requests": rate * 10,
            "errors": 0, "non_2xx": 0, "ratio": ratio}


def sample_results():
    limit = 1000
    uncached = {"home": 50, "article": 70, "section": 45, "tag": 30, "feed": 41}
    cached = {"home": 950, "article": 880, "section": 940, "tag": 930, "feed": 900}
    return {
        "config": {"articles": 2000, "seed": 1, "duration_s": 3, "warmup_s": 2, "threads": 2,
                   "connections": 16, "workers": 2, "cpus": 2, "in_process_requests": 50,
                   "wrk": "-t2 -c16 -d3s", "load_before": [0.1, 0.2, 0.3]},
        "build": {"articles": 2000, "seed": 1, "seconds": 49.0, "reused": True},
        "http": {
            "uncached": {page: wrk(rate, rate / limit) for page, rate in uncached.items()},
            "cached": {page: wrk(rate, rate / limit) for page, rate in cached.items()},
        },
        "limit": {"path": "/static/bench/article.html", **wrk(limit, 1.0)},
        "server": {
            "home": {"path": "/", "p50_ms": 10.0, "p95_ms": 12.5, "queries": 4,
                     "queries_max": 4, "requests": 50},
            "search": {"path": "/search/?q=x", "p50_ms": 20.0, "p95_ms": 31.0, "queries": 5,
                       "queries_max": 6, "requests": 12},
        },
        "weight": {"html_bytes": 12000, "html_gzip_bytes": 4000, "css_gzip_bytes": 3000,
                   "total_gzip_bytes": 7000, "blocking_scripts": [], "web_fonts": []},
        "freshness": {
            "cached_before": {"home": "hit", "article": "hit"},
            "checks": [{"what": "new story on the home page", "fresh": True,
                        "x_cache": "miss", "ms": 12.0}],
            "fresh": True,
        },
        "seconds": 192.4,
    }


def test_targets_are_judged_against_the_static_limit_and_the_budgets():
    results = sample_results()
    verdicts = {target["what"]: target["verdict"] for target in evaluate_targets(results)}
    assert verdicts["article, cached: requests/s against the static limit"] == "MISS"  # 0.88
    assert verdicts["article, uncached: requests/s against the static limit"] == "PASS"  # 0.07
    assert verdicts["tag, uncached: requests/s against the static limit"] == "MISS"  # 0.03
    assert verdicts["RSS feed, uncached: requests/s against the static limit"] == "PASS"
    assert verdicts["home: server time p95, uncached"] == "PASS"
    assert verdicts["search: server time p95, uncached"] == "MISS"
    assert verdicts["article HTML + CSS, compressed"] == "PASS"
    assert verdicts["render-blocking <script> in <head>"] == "PASS"


def test_report_shows_figures_next_to_their_targets():
    results = sample_results()
    results["targets"] = evaluate_targets(results)
    report = render_report(results)
    article_row = next(line for line in report.splitlines() if line.startswith("article "))
    assert "0.070×  ≥ 0.06× PASS" in article_row
    assert "0.880×  ≥ 0.9× MISS" in article_row
    assert "p95 ≤ 25 ms MISS  /search/?q=x" in report
    assert "5–6" in report  # queries that varied between requests
    assert "= 7,000 B   ≤ 30,000 B PASS" in report
    assert "fresh on the next request: yes" in report
    assert "Targets: 5 PASS, 3 MISS" in report


def test_render_blocking_scripts_and_web_fonts_are_found():
    html = """<!doctype html><html><head>
    <script type="application/ld+json">{"@type": "NewsArticle"}</script>
    <script src="/static/deferred.js" defer></script>
    <script type="module" src="/static/app.js"></script>
    <script src="/static/blocking.js"></script>
    <script>document.documentElement.className = "js";</script>
    <link rel="preload" href="/static/serif.woff2" as="font" crossorigin>
    <link rel="stylesheet" href="/static/css/site.css">
    </head><body><script src="/static/late.js"></script></body></html>"""
    weight = page_weight(html, 900, [("@font-face { src: url(a.woff2) }", 300)])
    assert weight["blocking_scripts"] == ["/static/blocking.js", "inline script"]
    assert "/static/serif.woff2" in weight["web_fonts"]
    assert "@font-face" in weight["web_fonts"]
    assert weight["total_gzip_bytes"] == 1200
    assert stylesheets(html) == ["/static/css/site.css"]


@pytest.fixture
def small_newsroom(make_article, image, author):
    articles = [
        make_article(lead_image=image, authors=[author], tags=["ferries", "port"])
        for _ in range(5)
    ]
    make_article(authors=[author], tags=["ferries"])
    return articles


def test_pages_are_chosen_from_the_newsroom(small_newsroom, author):
    article, paths = choose_pages()
    assert article == small_newsroom[0]  # the newest with a lead image
    assert paths["article"] == article.get_absolute_url()
    assert paths["tag"] == "/tags/ferries/"
    assert paths["author"] == author.get_absolute_url()
    assert paths["search"] == "/search/?q=ferries"
    # Six articles fit on one page: the last page is the first.
    assert paths["section_last"] == "/city/"


def test_the_last_page_is_the_one_the_older_links_end_on(client, make_article):
    articles = [make_article(f"Story {number:02d}") for number in range(14)]

    path = last_page("/", Article.objects.published())

    # Newest first, twelve to a page: the twelve oldest, after the thirteenth oldest.
    assert path == f"/?before={articles[1].pk}"
    html = client.get(path).content.decode()
    assert "Story 02" in html and "Story 13" in html and "Story 01" not in html
    assert 'rel="next"' not in html


def test_server_time_and_queries_are_measured_in_process(small_newsroom):
    _, paths = choose_pages()
    paths = {name: paths[name] for name in ("home", "article", "feed")}
    timings = measure_in_process(paths, requests=3, warmup=1, log=lambda line: None)
    assert set(timings) == set(paths)
    for timing in timings.values():
        assert 0 < timing.p50_ms <= timing.p95_ms
        assert 0 < timing.queries <= timing.queries_max


def test_a_page_that_is_not_there_stops_the_measurement(db):
    with pytest.raises(BenchError, match="answered 404"):
        measure_in_process({"article": "/city/2020/01/01/nothing/"}, requests=1,
                                 warmup=0, log=lambda line: None)


def test_freshness_proof_sees_a_new_article_and_a_correction_at_once(small_newsroom, monkeypatch):
    """The cached site in process stands in for the server."""
    server = Client(HTTP_HOST="127.0.0.1")

    def fetch(url, headers=None):
        response = server.get(urlsplit(url).path, headers=headers)
        return response.status_code, response.headers, response.content

    monkeypatch.setattr(freshness, "fetch", fetch)
    article = small_newsroom[2]
    for _ in range(2):  # the second comes from the cache
        fetch("http://127.0.0.1" + article.get_absolute_url())
        fetch("http://127.0.0.1/")
    proof = prove_freshness("http://127.0.0.1", article, log=lambda line: None)
    assert proof["cached_before"] == {"home": "hit", "article": "hit"}
    assert [check["fresh"] for check in proof["checks"]] == [True, True, True]
    assert proof["fresh"]
    assert article.corrections.count() == 1


def test_the_benchmark_refuses_the_newsrooms_own_database(db, tmp_path):
    with pytest.raises(BenchError, match="make bench does this"):
        check_environment(tmp_path / "bench")


def test_a_run_kept_to_its_folder_is_told_of_every_setting_that_leads_elsewhere(
    tmp_path, settings
):
    run = tmp_path / "run"
    settings.MEDIA_ROOT = str(run / "media")
    settings.CACHE_DIR = str(run / "cache")
    settings.STATIC_ROOT = str(run / "staticfiles")
    settings.REDIS_URL = ""
    settings.OBJECT_STORAGE = None
    # The test database is not in the run's folder.
    assert settings_outside(run) == ["DATABASE_URL"]

    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    wrong = "DATABASE_URL, NEWSROOM_MEDIA_ROOT, REDIS_URL must point there"
    assert settings_outside(run) == wrong.removesuffix(" must point there").split(", ")
    with pytest.raises(SoakError, match=wrong):
        check_soak_environment(run)
