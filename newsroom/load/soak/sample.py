"""The newsroom as the soak sees it: the pages readers ask for, the cast an editor picks from."""

from dataclasses import dataclass

from . import SoakError

HOT_ARTICLES = 60  # the newest articles, which get most of the article requests
HOT_SHARE = 0.8


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

    from articles.models import Article, ArticleTag, Author, Section

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

