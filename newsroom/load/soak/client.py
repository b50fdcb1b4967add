"""HTTP as the soak's readers and editor speak it: one kept-open connection each, with cookies."""

import contextlib
import http.client
import time
from dataclasses import dataclass
from http.cookies import CookieError, SimpleCookie

from ..harness import HOST

REQUEST_TIMEOUT = 30  # seconds: gunicorn's own limit for one request
USER_AGENT = "newsroom-soak"


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    seconds: float

    def header(self, name):
        return self.headers.get(name)


CONNECTION_ERRORS = (OSError, http.client.HTTPException)


class Client:
    """One connection to the server, kept open while the server allows, with its own cookies."""

    def __init__(self, port, timeout=REQUEST_TIMEOUT):
        self.port = port
        self.timeout = timeout
        self.cookies = {}
        self._connection = None

    def request(self, method, path, body=None, headers=None):
        if self._connection is None:
            self._connection = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        sent = {"User-Agent": USER_AGENT, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        started = time.perf_counter()
        try:
            self._connection.request(method, path, body=body, headers=sent)
            answer = self._connection.getresponse()
            data = answer.read()
        except BaseException:
            self.close()
            raise
        seconds = time.perf_counter() - started
        self._keep_cookies(answer.headers.get_all("Set-Cookie") or [])
        return Response(answer.status, answer.headers, data, seconds)

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def post(self, path, body, content_type, headers=None):
        return self.request(
            "POST", path, body=body, headers={"Content-Type": content_type, **(headers or {})}
        )

    def _keep_cookies(self, lines):
        for line in lines:
            jar = SimpleCookie()
            try:
                jar.load(line)
            except CookieError:
                continue
            for name, morsel in jar.items():
                if morsel.value == "" or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def close(self):
        if self._connection is not None:
            with contextlib.suppress(Exception):
                self._connection.close()
            self._connection = None


def describe_error(error):
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__

