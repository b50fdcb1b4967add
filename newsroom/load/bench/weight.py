"""An article's page weight as the server sends it: compressed HTML and CSS, render-blocking
scripts in <head> and web fonts."""

import re
from html.parser import HTMLParser

JAVASCRIPT_TYPES = {
    "", "text/javascript", "application/javascript", "application/ecmascript",
    "text/ecmascript", "module",
}
FONT_FILE = re.compile(r"\.(woff2?|ttf|otf|eot)\b|fonts\.(googleapis|gstatic)\.com", re.I)


class HeadReader(HTMLParser):
    """The <script> and <link> elements of a page's <head>."""

    def __init__(self):
        super().__init__()
        self.in_head = False
        self.scripts = []
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "head":
            self.in_head = True
        elif tag == "body":
            self.in_head = False
        elif self.in_head and tag == "script":
            self.scripts.append(attrs)
        elif self.in_head and tag == "link":
            self.links.append(attrs)

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False


def is_render_blocking(script):
    """A script in <head> holds up the first paint unless it is deferred, async, a module, or
    data (such as JSON-LD) rather than code."""
    kind = (script.get("type") or "").strip().lower()
    if kind not in JAVASCRIPT_TYPES or kind == "module":
        return False
    return not ("src" in script and ("async" in script or "defer" in script))


def read_head(html):
    reader = HeadReader()
    reader.feed(html)
    reader.close()
    return reader


def stylesheets(html):
    return [
        link["href"] for link in read_head(html).links
        if "stylesheet" in (link.get("rel") or "").lower().split() and link.get("href")
    ]


def page_weight(html, html_gzip_bytes, css):
    """`css`: each stylesheet's (text, compressed size). Sizes are as the server sends them."""
    head = read_head(html)
    blocking = [
        script.get("src") or "inline script" for script in head.scripts
        if is_render_blocking(script)
    ]
    fonts = [
        link.get("href") for link in head.links
        if link.get("as") == "font" or FONT_FILE.search(link.get("href") or "")
    ]
    for text, _ in css:
        fonts += ["@font-face"] * text.count("@font-face")
        fonts += [match.group(0) for match in FONT_FILE.finditer(text)]
    css_gzip_bytes = sum(size for _, size in css)
    return {
        "html_bytes": len(html.encode()),
        "html_gzip_bytes": html_gzip_bytes,
        "css_gzip_bytes": css_gzip_bytes,
        "total_gzip_bytes": html_gzip_bytes + css_gzip_bytes,
        "blocking_scripts": blocking,
        "web_fonts": fonts,
    }
