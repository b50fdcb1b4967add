"""Forms as a browser reads and sends them: every field of a page's form with what a browser
would post for it, changed as a person would, and sent urlencoded or as multipart/form-data.

The soak's editor posts admin forms with it, and the tests' `read_form` fixture reads them.
"""

import re
import uuid
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlencode

from . import SoakError


class FormReader(HTMLParser):
    """Every <form> of a page with what a browser would send for it: (name, value) pairs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {"attrs": attrs, "fields": []}
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        name = attrs.get("name")
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if not name or "disabled" in attrs:
                return
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._form["fields"].append([name, attrs.get("value") or "on"])
                return
            self._form["fields"].append([name, attrs.get("value") or ""])
        elif tag == "select":
            self._select = {
                "name": name, "multiple": "multiple" in attrs, "options": [],
                "disabled": "disabled" in attrs,
            }
        elif tag == "option" and self._select is not None:
            self._select["options"].append(
                {"value": attrs.get("value"), "selected": "selected" in attrs, "text": ""}
            )
        elif tag == "textarea":
            self._textarea = {"name": name, "text": [], "disabled": "disabled" in attrs}

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["text"].append(data)
        elif self._select is not None and self._select["options"]:
            self._select["options"][-1]["text"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            select, self._select = self._select, None
            if self._form is None or not select["name"] or select["disabled"]:
                return
            chosen = [option for option in select["options"] if option["selected"]]
            if not select["multiple"] and not chosen:
                chosen = select["options"][:1]
            for option in chosen:
                value = option["value"] if option["value"] is not None else option["text"].strip()
                self._form["fields"].append([select["name"], value])
        elif tag == "textarea" and self._textarea is not None:
            area, self._textarea = self._textarea, None
            if self._form is None or not area["name"] or area["disabled"]:
                return
            text = "".join(area["text"])
            # A browser drops the newline that opens a textarea's content.
            if text.startswith("\r\n"):
                text = text[2:]
            elif text.startswith("\n"):
                text = text[1:]
            self._form["fields"].append([area["name"], text])


class Form:
    """A form's fields as (name, value) pairs, in page order, to change and send."""

    def __init__(self, fields, action=""):
        self.fields = [list(field) for field in fields]
        self.action = action

    def get(self, name, default=None):
        for field_name, value in self.fields:
            if field_name == name:
                return value
        return default

    def get_all(self, name):
        return [value for field_name, value in self.fields if field_name == name]

    def set(self, name, value):
        """Replace every value of `name`; a list gives several (a multiple select)."""
        values = value if isinstance(value, list | tuple) else [value]
        positions = [index for index, field in enumerate(self.fields) if field[0] == name]
        self.fields = [field for field in self.fields if field[0] != name]
        at = positions[0] if positions else len(self.fields)
        for offset, item in enumerate(values):
            self.fields.insert(at + offset, [name, "" if item is None else str(item)])

    def remove(self, pattern):
        """Drop the fields whose names match the regular expression."""
        matcher = re.compile(pattern)
        self.fields = [field for field in self.fields if not matcher.match(field[0])]

    def encoded(self):
        return urlencode([(name, value) for name, value in self.fields])


def find_form(html, form_id):
    """The form with this id on the page, or SoakError."""
    reader = FormReader()
    reader.feed(html.decode("utf-8", "replace") if isinstance(html, bytes) else html)
    reader.close()
    for form in reader.forms:
        if form["attrs"].get("id") == form_id:
            return Form(form["fields"], form["attrs"].get("action") or "")
    raise SoakError(f"The page has no form {form_id!r}.")


ERROR_LIST = re.compile(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', re.S)
ERROR_NOTE = re.compile(r'<p class="errornote">(.*?)</p>', re.S)


def form_errors(html):
    """The errors a re-shown admin form lists, as one line."""
    text = html.decode("utf-8", "replace") if isinstance(html, bytes) else html
    found = [*ERROR_NOTE.findall(text), *ERROR_LIST.findall(text)]
    cleaned = [" ".join(unescape(re.sub(r"<[^>]+>", " ", item)).split()) for item in found]
    return "; ".join(item for item in cleaned if item)[:300] or "no error shown"


def multipart(fields, files):
    """A multipart/form-data body and its Content-Type. files: {name: (filename, type, bytes)}."""
    boundary = f"----soak{uuid.uuid4().hex}"
    parts = []
    for name, value in fields:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + str(value).encode()
            + b"\r\n"
        )
    for name, (filename, content_type, data) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
            + data
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
