"""A reader searches from the box in the masthead, on a phone and on a desktop."""

from articles.models import Article

SIDEWAYS_SCROLL = "document.documentElement.scrollWidth > document.documentElement.clientWidth"


def test_a_reader_searches_from_the_masthead_and_reads_the_results(
    newsroom, open_page, screenshot
):
    article = Article.objects.published().get(headline__startswith="Seagrass")
    for width in ["phone", "desktop"]:
        page = open_page(width)
        page.goto(newsroom.url + "/")
        box = page.get_by_role("searchbox", name="Search stories")
        assert box.is_visible()
        assert not page.evaluate(SIDEWAYS_SCROLL)

        box.fill("seagrass divers")
        box.press("Enter")
        page.wait_for_url("**/search/?q=seagrass+divers")

        assert page.locator("h1").inner_text() == "Search results for “seagrass divers”"
        assert page.get_by_role("searchbox", name="Search stories").input_value() == (
            "seagrass divers"
        )
        result = page.locator(".search-result").first
        assert result.get_by_role("link", name=article.headline).is_visible()
        assert result.locator("mark").first.is_visible()
        assert not page.evaluate(SIDEWAYS_SCROLL)
        screenshot(page, f"search-{width}")

        result.get_by_role("link", name=article.headline).click()
        page.wait_for_url(f"**{article.get_absolute_url()}")
