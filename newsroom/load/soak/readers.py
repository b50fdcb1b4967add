"""The soak's readers: each on its own thread and connection, fetching pages and feeds in the
READER_MIX shares, and what they saw, with every feed parsed as a feed reader would."""

import hashlib
import random
import threading
import time
from collections import Counter

from .client import CONNECTION_ERRORS, Client, describe_error
from .sample import reader_path

# What a reader may get: 2xx, or a redirect.
OK_STATUSES = range(200, 400)

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
