"""Server time in process: each page rendered by the test client with the page cache off, its
median and 95th-percentile time and its database queries per request."""

import time
from dataclasses import dataclass

from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from ..harness import HOST, percentile
from . import BenchError
from .pages import PAGE_TITLES


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
