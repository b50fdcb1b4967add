"""Search over published articles: one interface, two engines.

`search(query)` reads a reader's words, finds the published articles that contain all of them in
the headline, standfirst or body, and returns them best first, each with `.rank` (higher is
better) and `.highlight` (the headline, standfirst and a passage of the body, the matched words
in <mark>). SQLite, the embedded default, uses the FTS5 index the migration builds; PostgreSQL
uses its own full-text search. Either way the hits are only the articles
`Article.objects.published()` lets readers see (on SQLite: all but `hidden_ids()`), so the index
may hold drafts without readers ever seeing them. On SQLite a word in very many articles is ranked
among the MAX_RESULTS most recently written of them (see SqliteResults).

The reader's text never reaches the engine as syntax: it is cut to MAX_QUERY_LENGTH characters
and reduced to words, and each word is passed as a quoted term.
"""

import re
from dataclasses import dataclass
from html import unescape

from django.conf import settings
from django.db import connection, connections
from django.utils.html import escape, format_html, format_html_join, strip_tags
from django.utils.safestring import SafeString

from .models import Article

MAX_QUERY_LENGTH = 200

# Letters and digits in any script; everything else, the underscore included, separates words.
WORD = re.compile(r"[^\W_]+")

# The engines mark matched words with these; saved text never contains them, because saving
# strips control characters. They become <mark> only after the text around them is escaped.
START, STOP = "\x02", "\x03"
MARKED = re.compile(f"{START}(.*?){STOP}", re.DOTALL)

# When the words as typed find nothing, the last one is matched as the start of a word ("harb"
# finds "harbour"), once it is long enough for the prefix to mean something. Not before: stemming
# already finds a whole word's other forms, and on SQLite expanding a common prefix ("the",
# "council") means reading most of the index.
PREFIX_MIN_LENGTH = 3

# SQLite ranks the best of the newest this many matching articles (see SqliteResults).
MAX_RESULTS = 1000

INDEX = "articles_article_search"

# The FTS5 index and the triggers that keep it in step with the article table; migration 0004
# holds the same statements. The body is indexed as the stored HTML: SQLite triggers cannot strip
# tags, and the body is already cleaned to a few tags and link attributes, so markup adds only a
# handful of harmless tokens ("p", "strong", "href"). Readers never see them: the passage shown
# is taken from the text, with the tags removed.
SQLITE_TRIGGERS = [
    f"""
    CREATE TRIGGER IF NOT EXISTS {INDEX}_insert AFTER INSERT ON articles_article BEGIN
        INSERT INTO {INDEX}(rowid, headline, standfirst, body)
        VALUES (new.id, new.headline, new.standfirst, new.body);
    END
    """,  # nosec B608  # fixed names only, no input
    f"""
    CREATE TRIGGER IF NOT EXISTS {INDEX}_delete AFTER DELETE ON articles_article BEGIN
        INSERT INTO {INDEX}({INDEX}, rowid, headline, standfirst, body)
        VALUES ('delete', old.id, old.headline, old.standfirst, old.body);
    END
    """,  # nosec B608  # fixed names only, no input
    f"""
    CREATE TRIGGER IF NOT EXISTS {INDEX}_update
    AFTER UPDATE OF headline, standfirst, body ON articles_article BEGIN
        INSERT INTO {INDEX}({INDEX}, rowid, headline, standfirst, body)
        VALUES ('delete', old.id, old.headline, old.standfirst, old.body);
        INSERT INTO {INDEX}(rowid, headline, standfirst, body)
        VALUES (new.id, new.headline, new.standfirst, new.body);
    END
    """,  # nosec B608  # fixed names only, no input
]
SQLITE_TRIGGER_NAMES = {f"{INDEX}_insert", f"{INDEX}_delete", f"{INDEX}_update"}

# A headline match counts ten times a body match, a standfirst match four times.
SQLITE_RANK = f"bm25({INDEX}, 10.0, 4.0, 1.0)"

# PostgreSQL's text-search configurations by language; others get the language-neutral one.
POSTGRES_CONFIGS = {
    "da": "danish", "de": "german", "en": "english", "es": "spanish", "fi": "finnish",
    "fr": "french", "it": "italian", "nl": "dutch", "no": "norwegian", "nb": "norwegian",
    "pt": "portuguese", "ro": "romanian", "ru": "russian", "sv": "swedish", "tr": "turkish",
}


def query_words(query):
    """The words of what a reader typed, as far as the first MAX_QUERY_LENGTH characters go."""
    return WORD.findall(query[:MAX_QUERY_LENGTH])


def search(query):
    """Published articles containing every word of `query`, best first (see the module)."""
    words = query_words(query)
    if connection.vendor == "postgresql":
        return PostgresResults(words)
    return SqliteResults(words)


@dataclass(frozen=True)
class Highlight:
    headline: SafeString
    standfirst: SafeString
    body: SafeString  # empty unless the body itself matched


def marked(text):
    """Escaped text with the engine's marks turned into <mark> elements."""
    pieces = MARKED.split(text)
    # Split on a pattern with one group: text, marked, text, marked, …, text.
    plain = [piece.replace(START, "").replace(STOP, "") for piece in pieces]
    return format_html_join(
        "", "{}<mark>{}</mark>", zip(plain[0:-1:2], plain[1::2], strict=True)
    ) + escape(plain[-1])


# Block-level tags end a word; removing them without a space would join the words either side.
BLOCK_TAGS = re.compile(r"</?(?:p|h2|h3|ul|ol|li|blockquote)>|<br>")


def passage(marked_body, before=10, after=25):
    """The words around the body's first match, as text; empty if only the markup matched.

    A match inside a tag (a word of a link's address) goes with the tag.
    """
    words = unescape(strip_tags(BLOCK_TAGS.sub(" ", marked_body))).split()
    first = next((number for number, word in enumerate(words) if START in word), None)
    if first is None:
        return SafeString("")
    start, stop = max(0, first - before), first + after
    return format_html(
        "{}{}{}",
        "… " if start > 0 else "",
        marked(" ".join(words[start:stop])),
        " …" if stop < len(words) else "",
    )


class Results:
    """The matching articles, counted and read a page at a time, each in a fixed few queries.

    A Paginator takes it as it takes a queryset: `count()` and a slice.
    """

    # Whether there were more matches than the results count (see SqliteResults).
    more = False

    def __init__(self, words):
        self.words = words
        # Whether the last word is read as the start of a word (see PREFIX_MIN_LENGTH).
        self.prefix = False

    def may_use_prefix(self):
        return len(self.words[-1]) >= PREFIX_MIN_LENGTH

    def count(self):
        return self.count_matches() if self.words else 0

    def __len__(self):
        return self.count()

    def __getitem__(self, page):
        if not isinstance(page, slice) or page.step is not None:
            raise TypeError("Search results are read a slice at a time.")
        if not self.words:
            return []
        start = page.start or 0
        if page.stop is not None and page.stop <= start:
            return []
        return self.read(start, page.stop)

    # Each database engine below supplies these two; Results itself is never used directly.

    def count_matches(self):
        raise NotImplementedError("SqliteResults and PostgresResults count their own matches.")

    def read(self, start, stop):
        raise NotImplementedError("SqliteResults and PostgresResults read their own pages.")


class SqliteResults(Results):
    """FTS5's matches, read so that a word in nearly every article costs what a rare word costs.

    Ranking reads each candidate's statistics, so the candidates are the newest MAX_RESULTS
    matching published articles most recently written (FTS5 reads them by id, highest first, and
    stops: ids grow as articles are written, so a draft published today after a year counts as a
    year old). One
    query ranks them, counts them and remembers whether there were more; a page then reads its
    highlights for its own articles only. Articles readers may not see are left out as the few
    hidden ones, never as a list of every published id, which FTS5 would match one id at a time.
    """

    def __init__(self, words):
        super().__init__(words)
        self.ranked = None

    def match_expression(self):
        """Every word as a quoted string token, so nothing typed is read as FTS5 syntax."""
        terms = [f'"{word}"' for word in self.words]
        if self.prefix:
            terms[-1] += "*"
        return " ".join(terms)

    def newest_hits(self):
        """[(id, bm25)] of the newest MAX_RESULTS + 1 published articles that match."""
        hidden, hidden_params = Article.objects.hidden_ids().query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, {SQLITE_RANK} FROM {INDEX} "  # nosec B608  # fixed names; values are parameters
                f"WHERE {INDEX} MATCH %s AND rowid NOT IN ({hidden}) "
                f"ORDER BY rowid DESC LIMIT %s",
                [self.match_expression(), *hidden_params, MAX_RESULTS + 1],
            )
            return cursor.fetchall()

    def ranking(self):
        """The candidates' (id, bm25), best first: bm25 is lower for better matches."""
        if self.ranked is None:
            hits = self.newest_hits()
            if not hits and self.may_use_prefix():
                self.prefix = True
                hits = self.newest_hits()
            self.more = len(hits) > MAX_RESULTS
            self.ranked = sorted(hits[:MAX_RESULTS], key=lambda hit: (hit[1], -hit[0]))
        return self.ranked

    def count_matches(self):
        return len(self.ranking())

    def highlights(self, ids):
        """{id: (headline, standfirst, body)} marked, for these ids alone.

        FTS5 reads the match once over the ids' range; the ids themselves are a filter (the +),
        so that it does not run the match again for each of them.
        """
        if not ids:
            return {}
        marks = [START, STOP] * 3
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, highlight({INDEX}, 0, %s, %s), "  # nosec B608  # fixed names; values are parameters
                f"highlight({INDEX}, 1, %s, %s), highlight({INDEX}, 2, %s, %s) "
                f"FROM {INDEX} WHERE {INDEX} MATCH %s AND rowid BETWEEN %s AND %s "
                f"AND +rowid IN ({', '.join(['%s'] * len(ids))})",
                [*marks, self.match_expression(), min(ids), max(ids), *ids],
            )
            return {row[0]: row[1:] for row in cursor.fetchall()}

    def read(self, start, stop):
        hits = self.ranking()[start:stop]
        ids = [pk for pk, _ in hits]
        marked_texts = self.highlights(ids)
        # By key: the hits are published articles, checked again below in case one was
        # unpublished between the queries.
        articles = Article.objects.for_listing().in_bulk(ids)
        results = []
        for pk, score in hits:
            article = articles.get(pk)
            if article is None or not article.is_published or pk not in marked_texts:
                continue
            headline, standfirst, body = marked_texts[pk]
            # bm25 is lower for better matches; readers of .rank expect higher to be better.
            article.rank = -score
            article.highlight = Highlight(marked(headline), marked(standfirst), passage(body))
            results.append(article)
        return results


class PostgresResults(Results):
    def __init__(self, words):
        super().__init__(words)
        self.found = None

    def config(self):
        return POSTGRES_CONFIGS.get(settings.LANGUAGE_CODE.split("-")[0].lower(), "simple")

    def matches(self):
        """The words as typed; the last as a prefix if they find nothing (see PREFIX_MIN_LENGTH)."""
        if self.found is None:
            self.found = self.query()
            if self.may_use_prefix() and not self.found.exists():
                self.prefix = True
                self.found = self.query()
        return self.found

    def query(self):
        from django.contrib.postgres.search import (
            SearchHeadline,
            SearchQuery,
            SearchRank,
            SearchVector,
        )

        config = self.config()
        # Each word quoted as a term for to_tsquery; the words hold no quotes or operators.
        terms = [f"'{word}'" for word in self.words]
        if self.prefix:
            terms[-1] += ":*"
        query = SearchQuery(" & ".join(terms), search_type="raw", config=config)
        # The body is indexed as HTML: PostgreSQL's parser knows tags and leaves them out.
        document = (
            SearchVector("headline", weight="A", config=config)
            + SearchVector("standfirst", weight="B", config=config)
            + SearchVector("body", weight="C", config=config)
        )
        marks = {"config": config, "start_sel": START, "stop_sel": STOP}
        return (
            Article.objects.published()
            .annotate(document=document)
            .filter(document=query)
            .annotate(
                rank=SearchRank(document, query),
                headline_marked=SearchHeadline("headline", query, highlight_all=True, **marks),
                standfirst_marked=SearchHeadline(
                    "standfirst", query, highlight_all=True, **marks
                ),
                body_marked=SearchHeadline("body", query, highlight_all=True, **marks),
            )
            .order_by("-rank", "-published_at", "-pk")
        )

    def count_matches(self):
        return self.matches().count()

    def read(self, start, stop):
        results = list(self.matches().for_listing()[start:stop])
        for article in results:
            article.highlight = Highlight(
                marked(article.headline_marked),
                marked(article.standfirst_marked),
                passage(article.body_marked),
            )
        return results


def repair_sqlite_index(using="default", **kwargs):
    """Put back the index's triggers if a migration dropped them, and re-read every article.

    On SQLite, Django alters a table by building a new one and dropping the old, and the old
    table's triggers go with it; search would then silently stop seeing new articles. This runs
    after every `migrate` (and costs one query when nothing is missing).
    """
    database = connections[using]
    if database.vendor != "sqlite":
        return
    with database.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE %s",
            [f"{INDEX}%"],
        )
        names = {row[0] for row in cursor.fetchall()}
        if INDEX not in names or SQLITE_TRIGGER_NAMES <= names:
            return  # no index yet (or any more), or nothing missing
        for statement in SQLITE_TRIGGERS:
            cursor.execute(statement)
        cursor.execute(f"INSERT INTO {INDEX}({INDEX}) VALUES ('rebuild')")  # nosec B608  # fixed index name
