"""Driving the admin in a browser as a member of staff does: log in, pick, type, save."""

PASSWORD = "tide-tables-at-dawn-42"


def log_in(page, base_url, username):
    page.goto(base_url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(base_url + "/admin/")


def log_out(page, base_url):
    page.click("#logout-form button")
    page.wait_for_url(base_url + "/admin/logout/")
    assert "Logged out" in page.locator("#content").inner_text()
    page.goto(base_url + "/admin/")
    page.wait_for_url(base_url + "/admin/login/?next=/admin/")


def assert_saved(page, what):
    message = page.locator(".messagelist .success")
    message.wait_for()
    assert what in message.inner_text()
    assert "successfully" in message.inner_text()


def type_and_wait_for_suggestions(page, text):
    """Type into an open autocomplete and wait until the server has answered."""
    with page.expect_response(lambda response: "autocomplete/" in response.url) as answer:
        page.keyboard.type(text)
    response = answer.value
    assert response.ok, f"the autocomplete answered {response.status} to {response.url}"


def choose(page, opener, search, option_text):
    """Open an autocomplete, type `search`, wait for the server's answer, pick `option_text`."""
    page.click(opener)
    type_and_wait_for_suggestions(page, search)
    option = page.locator(
        ".select2-container--open .select2-results__option:not(.loading-results)",
        has_text=option_text,
    )
    option.first.click()


def body_editor(page):
    """The article body's rich-text editor."""
    return page.locator(".field-body [contenteditable=true]")
