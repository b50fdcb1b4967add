from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, register_converter

from . import feeds, sitemaps, views
from .sitemaps import SITEMAPS


class TagSlugConverter:
    """Tag slugs keep their letters in any script (“café”, “日本”), as the tag library makes."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(TagSlugConverter, "tag")

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("feed/rss/", feeds.LatestArticlesFeed(), name="feed_rss"),
    path("feed/atom/", feeds.LatestArticlesAtomFeed(), name="feed_atom"),
    path("tags/", views.TagListView.as_view(), name="tag_list"),
    path("tags/<tag:slug>/", views.TagView.as_view(), name="tag"),
    path("tags/<tag:slug>/feed/rss/", feeds.TagFeed(), name="tag_feed_rss"),
    path("tags/<tag:slug>/feed/atom/", feeds.TagAtomFeed(), name="tag_feed_atom"),
    path("authors/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("authors/<slug:slug>/feed/rss/", feeds.AuthorFeed(), name="author_feed_rss"),
    path("authors/<slug:slug>/feed/atom/", feeds.AuthorAtomFeed(), name="author_feed_atom"),
    path("corrections/", views.CorrectionListView.as_view(), name="corrections"),
    path("preview/<str:token>/", views.ShareLinkView.as_view(), name="share_link"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {
            "sitemaps": SITEMAPS,
            "sitemap_url_name": "articles:sitemap",
            "template_name": "sitemaps/index.xml",
        },
        name="sitemap_index",
    ),
    # Before the general pattern, which the index's link to the news sitemap also matches.
    path(
        "sitemap-news.xml",
        sitemaps.news_sitemap,
        name="news_sitemap",
    ),
    path("sitemap-<slug:section>.xml", sitemaps.sitemap, name="sitemap"),
    path("<slug:slug>/", views.SectionView.as_view(), name="section"),
    path("<slug:slug>/feed/rss/", feeds.SectionFeed(), name="section_feed_rss"),
    path("<slug:slug>/feed/atom/", feeds.SectionAtomFeed(), name="section_feed_atom"),
    path(
        "<slug:section>/<int:year>/<int:month>/<int:day>/<slug:slug>/",
        views.ArticleView.as_view(),
        name="article",
    ),
]
