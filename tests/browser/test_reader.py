"""A reader's journey through the site, on a phone and on a desktop."""

import feedparser
import pytest

from articles.models import Article

LAYOUT_PROBLEMS = """() => {
    const problems = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) {
        problems.push(`the page scrolls sideways: ${root.scrollWidth} > ${root.clientWidth}`);
    }
    const levels = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")]
        .map((heading) => Number(heading.tagName[1]));
    if (levels[0] !== 1) problems.push(`the first heading is h${levels[0]}, not h1`);
    levels.forEach((level, index) => {
        if (index && level > levels[index - 1] + 1) {
            problems.push(`heading h${level} follows h${levels[index - 1]}`);
        }
    });
    // Text blocks that share a box with another block's text overlap on screen.
    const blocks = [...document.querySelectorAll(
        "main h1, main h2, main h3, main p, main li, main figcaption, main img, header a"
    )].filter((element) => element.getClientRects().length);
    const boxes = blocks.map((element) => [element, element.getBoundingClientRect()]);
    for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
            const [a, boxA] = boxes[i];
            const [b, boxB] = boxes[j];
            if (a.contains(b) || b.contains(a)) continue;
            const overlapX = Math.min(boxA.right, boxB.right) - Math.max(boxA.left, boxB.left);
            const overlapY = Math.min(boxA.bottom, boxB.bottom) - Math.max(boxA.top, boxB.top);
            if (overlapX > 2 && overlapY > 2) {
                const describe = (element) =>
                    `<${element.tagName.toLowerCase()}> ${element.textContent.trim().slice(0, 30)}`;
                problems.push(`${describe(a)} overlaps ${describe(b)}`);
            }
        }
    }
    return problems;
}"""

IMAGE_SHOWN = """(image) => image.complete && image.naturalWidth > 0
    && image.getBoundingClientRect().width > 100 && image.getBoundingClientRect().height > 50
    && getComputedStyle(image).visibility === "visible"
    && getComputedStyle(image).display !== "none"
"""


def assert_reads_well(page):
    assert page.evaluate(LAYOUT_PROBLEMS) == [], page.url


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_reader_goes_from_the_home_page_to_an_article_its_tag_its_section_and_the_feed(
    newsroom, open_page, screenshot, width
):
    page = open_page(width)
    page.goto(newsroom.url + "/")
    assert_reads_well(page)
    screenshot(page, f"home-{width}")

    # The lead article of the home page.
    lead = Article.objects.published().first()
    page.locator(".card-lead .card-headline a").click()
    page.wait_for_url(f"**{lead.get_absolute_url()}")
    assert page.locator("h1").inner_text() == lead.headline
    assert_reads_well(page)
    figure = page.locator("figure.lead-image")
    figure.scroll_into_view_if_needed()
    assert figure.locator("img").evaluate(IMAGE_SHOWN)
    caption = figure.locator("figcaption")
    assert caption.is_visible()
    assert lead.lead_image.credit in caption.inner_text()
    assert lead.lead_image.get_licence_display() in caption.inner_text()
    screenshot(page, f"article-{width}")

    # One of its tags, then the tag page lists the article.
    tag = page.locator(".article-tags a").first
    tag_name = tag.inner_text()
    tag.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == tag_name
    assert page.get_by_role("link", name=lead.headline).count() == 1
    assert_reads_well(page)
    screenshot(page, f"tag-{width}")

    # The section, from the article's section label on the tag page.
    page.locator(".card-text .kicker a", has_text=lead.section.name).first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == lead.section.name
    assert_reads_well(page)
    screenshot(page, f"section-{width}")

    # The section's feed, found the way a feed reader finds it.
    feed_url = page.locator('link[rel="alternate"][type="application/rss+xml"]').get_attribute(
        "href"
    )
    response = page.request.get(newsroom.url + feed_url)
    feed = feedparser.parse(response.body())
    assert feed.bozo == 0
    assert lead.headline in [entry.title for entry in feed.entries]


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_every_page_type_reads_well(newsroom, open_page, screenshot, width):
    page = open_page(width)
    author = Article.objects.published().first().byline_authors[0]
    pages = {
        "tags": "/tags/",
        "author": author.get_absolute_url(),
        "not-found": "/no-such-page/",
    }
    for name, path in pages.items():
        page.goto(newsroom.url + path)
        assert_reads_well(page)
        screenshot(page, f"{name}-{width}")


def test_a_draft_never_reaches_a_reader(newsroom, open_page):
    draft = Article.objects.filter(status=Article.Status.DRAFT).first()
    page = open_page("phone")
    response = page.goto(newsroom.url + draft.get_absolute_url())
    assert response.status == 404
    for path in ["/", draft.section.get_absolute_url(), "/tags/", "/feed/rss/"]:
        page.goto(newsroom.url + path)
        assert draft.headline not in page.content(), path
