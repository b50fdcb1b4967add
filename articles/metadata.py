"""What machines read about a page: schema.org structured data for articles and the site.

Search engines, aggregators and social networks read these; the provenance a reader sees — the
photo's credit and licence, the article's sources, its corrections and true dates — goes with them.
"""

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

from .images.renditions import best_file
from .models import Article

SCHEMA_TYPES = {
    Article.Label.NEWS: "ReportageNewsArticle",
    Article.Label.ANALYSIS: "AnalysisNewsArticle",
    Article.Label.OPINION: "OpinionNewsArticle",
    Article.Label.REVIEW: "ReviewNewsArticle",
    Article.Label.EXPLAINER: "BackgroundNewsArticle",
    # Paid-for content is not journalism, and says so to machines as well as readers.
    Article.Label.SPONSORED: "AdvertiserContentArticle",
}


def absolute(request, path):
    return request.build_absolute_uri(path)


def iso(moment):
    return moment.isoformat(timespec="seconds") if moment else None


def newsroom(request):
    """The publisher: the newsroom itself, with its logo and its policies."""
    organization = {
        "@type": "NewsMediaOrganization",
        "name": settings.NEWSROOM_SITE_NAME,
        "url": absolute(request, reverse("articles:home")),
        "logo": {
            "@type": "ImageObject",
            "url": absolute(request, static(settings.NEWSROOM_LOGO)),
            "width": settings.NEWSROOM_LOGO_SIZE,
            "height": settings.NEWSROOM_LOGO_SIZE,
        },
        "correctionsPolicy": absolute(
            request, settings.NEWSROOM_CORRECTIONS_POLICY_URL or reverse("articles:corrections")
        ),
    }
    policies = {
        "ethicsPolicy": settings.NEWSROOM_ETHICS_POLICY_URL,
        "ownershipFundingInfo": settings.NEWSROOM_OWNERSHIP_URL,
    }
    organization.update(
        {key: absolute(request, url) for key, url in policies.items() if url}
    )
    return organization


def share_image(image):
    """The image as shared and indexed: a large JPEG rendition, never the original upload."""
    return best_file(image, "original", "jpeg", min_width=1200)


def image_object(image, request):
    """An image with who made it and on what terms we publish it."""
    shared = share_image(image)
    data = {
        "@type": "ImageObject",
        "contentUrl": absolute(request, shared.url),
        "url": absolute(request, shared.url),
        "width": shared.width,
        "height": shared.height,
        "caption": image.caption or image.alt_text,
        "creditText": image.credit,
        "creator": {"@type": "Person", "name": image.credit},
        "copyrightNotice": image.copyright_line,
    }
    if image.licence_url:
        data["license"] = image.licence_url
    if image.credit_url or image.source_url:
        data["acquireLicensePage"] = image.credit_url or image.source_url
    return data


def citation(reference):
    work = {"@type": "CreativeWork", "name": reference.title}
    if reference.publisher:
        work["publisher"] = {"@type": "Organization", "name": reference.publisher}
    if reference.url:
        work["url"] = reference.url
    if reference.date:
        work["datePublished"] = reference.date.isoformat()
    return work


def article_data(article, request):
    """schema.org data for one article, typed by its label."""
    url = absolute(request, article.get_absolute_url())
    published = article.first_published_at or article.published_at
    data = {
        "@context": "https://schema.org",
        "@type": SCHEMA_TYPES[article.label],
        "headline": article.headline,
        "description": article.summary,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": iso(published),
        "dateModified": iso(article.updated_at if article.was_updated else published),
        "author": [
            {"@type": "Person", "name": author.name,
             "url": absolute(request, author.get_absolute_url())}
            for author in article.byline_authors
        ],
        "publisher": newsroom(request),
        "articleSection": article.section.name,
        "keywords": [tag.name for tag in article.tag_list],
        "inLanguage": settings.LANGUAGE_CODE,
        "isAccessibleForFree": True,
    }
    if article.lead_image:
        data["image"] = image_object(article.lead_image, request)
    if citations := [citation(reference) for reference in article.references.all()]:
        data["citation"] = citations
    return data


def site_data(request):
    """schema.org data for the front page: the site, with its search, and its publisher."""
    home = absolute(request, reverse("articles:home"))
    return {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "WebSite",
                "name": settings.NEWSROOM_SITE_NAME,
                "url": home,
                "inLanguage": settings.LANGUAGE_CODE,
                "publisher": {"@id": f"{home}#publisher"},
                "potentialAction": {
                    "@type": "SearchAction",
                    "target": absolute(request, reverse("articles:search")) + "?q={query}",
                    "query-input": "required name=query",
                },
            },
            {"@id": f"{home}#publisher", **newsroom(request)},
        ],
    }
