"""`/healthz`: whether this app server can do its work, for a load balancer to ask every few
seconds.

It checks what every page needs — the database answers a query, the shared cache keeps a value
and gives it back — and nothing slower. The answer is 200 with each part "ok", or 503 naming the
part that failed; what went wrong goes to the log, never into the answer.
"""

import logging
import uuid

from django.core.cache import caches
from django.db import connection
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

CACHE_KEY = "healthz"


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("The database gave a wrong answer to SELECT 1.")


def check_cache():
    cache = caches["default"]
    token = uuid.uuid4().hex
    cache.set(CACHE_KEY, token, timeout=60)
    if cache.get(CACHE_KEY) != token:
        raise RuntimeError("The cache did not give back what was just put in it.")


CHECKS = {"database": check_database, "cache": check_cache}


@require_safe
def healthz(request):
    report = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:
            logger.exception("Health check: the %s failed.", name)
            report[name] = "failed"
        else:
            report[name] = "ok"
    healthy = all(state == "ok" for state in report.values())
    response = JsonResponse(
        {"status": "ok" if healthy else "failed", **report}, status=200 if healthy else 503
    )
    # Every probe must reach this server and see its state now, never a copy.
    add_never_cache_headers(response)
    return response
