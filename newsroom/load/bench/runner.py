"""The benchmark's run: its newsroom, server time in process, then gunicorn uncached and cached
against wrk, the static limit and the freshness proof; its results written to results.json."""

import gzip
import json
import os
import shutil
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin

from django.conf import settings
from django.core.management import call_command

from ..harness import Server, ensure_database, fetch, refuse_settings_outside, workers
from . import BenchError
from .freshness import prove_freshness
from .in_process import measure_in_process
from .pages import HTTP_PAGES, PAGE_TITLES, choose_pages
from .targets import evaluate_targets, ratio
from .weight import page_weight, stylesheets
from .wrk import run_wrk, wrk_command

STATIC_LIMIT_NAME = "bench/article.html"


def check_environment(bench_dir):
    """The benchmark writes to its database, media, cache and static files: never the
    newsroom's own."""
    refuse_settings_outside(bench_dir, "The benchmark", "bench", BenchError)
    if settings.DEBUG:
        raise BenchError("The benchmark measures the site as it runs in production: set "
                         "DJANGO_DEBUG=false and DJANGO_SECRET_KEY (make bench does this).")


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
