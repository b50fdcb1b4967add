"""Search over published articles: one interface, two engines.

`search(query)` reads a reader's words, finds the published articles that contain all of them in
the headline, standfirst or body, and returns them best first, each with `.rank` (higher is
better) and `.highlight` (the headline, standfirst and a passage of the body, the matched words
in <mark>). SQLite, the embedded default, uses the FTS5 index the migration builds; PostgreSQL
uses its own full-text search. Either way the hits are joined back to
`Article.objects.published()`, so the index may hold drafts without readers ever seeing them.

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

# The last word is also matched as a prefix ("harb" finds "harbour") once it is long enough for
# the prefix to mean something.
PREFIX_MIN_LENGTH = 3

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

    def __init__(self, words):
        self.words = words

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
    def match_expression(self):
        """Every word as a quoted string token, so nothing typed is read as FTS5 syntax."""
        terms = [f'"{word}"' for word in self.words]
        if len(self.words[-1]) >= PREFIX_MIN_LENGTH:
            terms[-1] += "*"
        return " ".join(terms)

    def published_ids(self):
        """The visibility rule as SQL, so the index's hits are joined to what readers may see.

        The queries below write it as `+rowid IN (…)`: the unary plus keeps SQLite from handing
        the (long) list of published ids to the full-text index as a constraint, which would run
        the match once per id — seconds per query at 100,000 articles instead of milliseconds.
        """
        published = Article.objects.published().order_by().values("pk")
        return published.query.sql_with_params()

    def count_matches(self):
        published, published_params = self.published_ids()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM {INDEX} "  # nosec B608  # fixed names; values are parameters
                f"WHERE {INDEX} MATCH %s AND +rowid IN ({published})",
                [self.match_expression(), *published_params],
            )
            return cursor.fetchone()[0]

    def read(self, start, stop):
        published, published_params = self.published_ids()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, {SQLITE_RANK}, "  # nosec B608  # fixed names; values are parameters
                f"highlight({INDEX}, 0, %s, %s), highlight({INDEX}, 1, %s, %s), "
                f"highlight({INDEX}, 2, %s, %s) "
                f"FROM {INDEX} WHERE {INDEX} MATCH %s AND +rowid IN ({published}) "
                f"ORDER BY 2, rowid DESC LIMIT %s OFFSET %s",
                [
                    START, STOP, START, STOP, START, STOP,
                    self.match_expression(), *published_params,
                    -1 if stop is None else stop - start, start,
                ],
            )
            hits = cursor.fetchall()
        articles = Article.objects.published().for_listing().in_bulk([hit[0] for hit in hits])
        results = []
        for pk, score, headline, standfirst, body in hits:
            article = articles.get(pk)
            if article is None:  # unpublished between the two queries
                continue
            # bm25 is lower for better matches; readers of .rank expect higher to be better.
            article.rank = -score
            article.highlight = Highlight(marked(headline), marked(standfirst), passage(body))
            results.append(article)
        return results


class PostgresResults(Results):
    def config(self):
        return POSTGRES_CONFIGS.get(settings.LANGUAGE_CODE.split("-")[0].lower(), "simple")

    def matches(self):
        from django.contrib.postgres.search import (
            SearchHeadline,
            SearchQuery,
            SearchRank,
            SearchVector,
        )

        config = self.config()
        # Each word quoted as a term for to_tsquery; the words hold no quotes or operators.
        terms = [f"'{word}'" for word in self.words]
        if len(self.words[-1]) >= PREFIX_MIN_LENGTH:
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
    table's triggers go with it; search would then silently stop seeing new stories. This runs
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
