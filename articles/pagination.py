"""How readers' listings are cut into pages, and how a page's number or article is read from its
address.

A listing of articles (home, a section, a tag, an author) is paged by keyset: each page after the
first is addressed by the article just before it. The other listings (tags, corrections, search
results) keep Django's paginator, with page numbers spelled one way only.
"""

import re

from django.http import Http404

# An article's id in a listing's address (?before=…), or a page number (?page=…).
WHOLE_NUMBER = re.compile(r"[1-9][0-9]{0,17}")

# ?page=N, the listings' earlier addresses, still answers this far; links lead to ?before=<id>.
MAX_PAGE_NUMBER = 10


def whole_number(value):
    """A positive whole number from the query string, or a 404.

    Each number has one spelling: 02, +2 or 2.0 is not another address for page 2.
    """
    if not WHOLE_NUMBER.fullmatch(value):
        raise Http404("No such page.")
    return int(value)


class ArticlePage:
    """One page of a listing, newest first, and the addresses of the pages either side.

    Templates use it as a paginator's page: the previous page has the newer articles, the next
    page the older ones.
    """

    def __init__(self, articles, newer_url=None, older_url=None):
        self.object_list = articles
        self.newer_url = newer_url
        self.older_url = older_url

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_previous(self):
        return self.newer_url is not None

    def has_next(self):
        return self.older_url is not None

    def has_other_pages(self):
        return self.has_previous() or self.has_next()


class ArticlePages:
    """A listing view's pages, newest first, each after the first addressed by its article.

    The first page is the listing's own address. Each later one is addressed by the article shown
    just before it: `?before=<id>` holds the articles published before that one. The database starts
    reading its index at that article, so a page far back costs what the first one costs, and
    nothing counts the whole listing. The page keeps its articles as newer ones come out, so its
    address can be shared; an article that is not in this listing (a draft, an article taken down,
    an article of another section) or anything but a number is a 404, like a page that is not there.

    `?page=N`, the earlier addresses, still answers for the first MAX_PAGE_NUMBER pages.

    The view gives `articles(until=None)`, annotated with `listed_at` and `listed_pk` (the order
    the listing is in, newest first), and `get_queryset()`, those articles in that order.
    """

    query_parameters = ("before", "page")

    def paginate_queryset(self, queryset, page_size):
        query = self.request.GET
        if "before" in query and "page" in query:
            raise Http404("No such page.")
        before = whole_number(query["before"]) if "before" in query else None
        number = whole_number(query["page"]) if "page" in query else 1
        if number > MAX_PAGE_NUMBER:
            raise Http404("Older stories are on the pages the listing links to.")
        if before is not None:
            page = self.page_before(before, page_size)
        else:
            page = self.numbered_page(number, page_size)
        return None, page, page.object_list, page.has_other_pages()

    def page(self, articles, size, newer_url):
        """The page of the first `size` of `articles`: one more than that means there are older."""
        older_url = f"?before={articles[size - 1].pk}" if len(articles) > size else None
        return ArticlePage(articles[:size], newer_url, older_url)

    def numbered_newer_url(self, number):
        if number == 1:
            return None
        return self.request.path if number == 2 else f"?page={number - 1}"

    def numbered_page(self, number, size):
        start = (number - 1) * size
        articles = list(self.get_queryset()[start : start + size + 1])
        if not articles and number > 1:
            raise Http404("No such page.")
        return self.page(articles, size, self.numbered_newer_url(number))

    def page_before(self, pk, size):
        key = self.articles().filter(pk=pk).values_list("listed_at", flat=True).first()
        if key is None:
            raise Http404("No such story in this listing.")
        older = self.articles(until=key).exclude(listed_at=key, listed_pk__gte=pk)
        articles = list(older.for_listing().order_by("-listed_at", "-listed_pk")[: size + 1])
        if not articles:
            raise Http404("No stories before that one.")
        # The newer page ends just before this one's first article: it is addressed by the article
        # above its own first, the size + 1st newer than ours, if there are that many.
        first = articles[0]
        newer = (
            self.articles()
            .filter(listed_at__gte=first.listed_at)
            .exclude(listed_at=first.listed_at, listed_pk__lte=first.pk)
            .order_by("listed_at", "listed_pk")
            .values_list("pk", flat=True)
        )
        above = list(newer[size : size + 1])
        return self.page(articles, size, f"?before={above[0]}" if above else self.request.path)


class NumberedPages:
    """A listing paged by Django's paginator, whose page numbers are spelled one way only.

    Django's own reading takes ?page=02, ?page=+2 or ?page=last as well: each would be a copy of
    a page at an address of its own. Here they are 404s, like any page that is not there.
    """

    query_parameters = ("page",)

    def paginate_queryset(self, queryset, page_size):
        if self.page_kwarg in self.request.GET:
            whole_number(self.request.GET[self.page_kwarg])
        return super().paginate_queryset(queryset, page_size)


class IdsFirst:
    """A queryset as a Paginator reads it: counted as it is, and a page read in one query that
    picks the page's ids first, so rows joined for display are read for that page alone."""

    def __init__(self, queryset):
        self.queryset = queryset

    def count(self):
        return self.queryset.count()

    def __getitem__(self, page):
        return list(self.queryset.filter(pk__in=self.queryset.values("pk")[page]))
