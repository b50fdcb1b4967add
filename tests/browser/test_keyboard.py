"""A reader without a mouse reaches the navigation and every link in an article with Tab."""

from articles.models import Article

FOCUSED = """() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    return {
        tag: element.tagName,
        href: element.getAttribute("href"),
        text: element.textContent.trim(),
        ring: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
        onScreen: element.getBoundingClientRect().bottom > 0
            && element.getBoundingClientRect().top < innerHeight,
    };
}"""


def tab_through(page, limit=120):
    """Press Tab until focus leaves the page; what each stop was."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        if stop["tag"] == "BODY":
            break
        stops.append(stop)
    return stops


def test_tab_reaches_the_navigation_and_every_link_in_the_article_with_a_visible_ring(
    newsroom, open_page
):
    article = Article.objects.published().for_page().first()
    page = open_page("desktop")
    page.goto(newsroom.url + article.get_absolute_url())
    stops = tab_through(page)

    assert stops[0]["text"] == "Skip to content"
    reached = {stop["href"] for stop in stops}
    navigation = page.eval_on_selector_all(
        ".site-nav a", "links => links.map(a => a.getAttribute('href'))"
    )
    article_links = page.eval_on_selector_all(
        ".article a", "links => links.map(a => a.getAttribute('href'))"
    )
    assert navigation and article_links
    assert set(navigation) <= reached
    assert set(article_links) <= reached
    unringed = [stop["text"] or stop["tag"] for stop in stops if not stop["ring"]]
    assert unringed == []
    assert all(stop["onScreen"] for stop in stops)


def test_skip_link_moves_focus_past_the_navigation(newsroom, open_page):
    page = open_page("phone")
    page.goto(newsroom.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to content"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('main') !== null")
    assert focused
