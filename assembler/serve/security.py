"""The rules every request passes before it reaches a page.

- **Host**: only ``127.0.0.1``, ``localhost``, ``[::1]`` and the ``--host``
  value; anything else is refused, so a page on another site cannot reach
  the server through a DNS name that resolves here (DNS rebinding).
- **Token**: a server started with ``--host`` on another address prints a
  token; the browser presents it once (``?token=…``) and then carries it in
  a cookie. Without it every request is refused.
- **CSRF**: every request that changes something (any method but GET, HEAD,
  OPTIONS) carries the page's ``X-CSRF-Token`` header, and its ``Origin``,
  when sent, is this server.
- **Size**: request bodies over ``max_body`` bytes are refused.
- **Headers**: a content security policy that allows only this server's own
  scripts and styles, no framing, no referrer, no caching.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
TOKEN_COOKIE = "dealdraft_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
MAX_BODY = 2 * 1024 * 1024
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]


def is_loopback(host: str) -> bool:
    """Whether ``--host`` is this machine's own address (no token needed)."""
    return host.lower().strip("[]") in LOOPBACK_NAMES


def host_name(header: str) -> str:
    """The host of a Host header, without its port ("[::1]:8000" → "::1")."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class SecurityMiddleware:
    """Host, token, CSRF and size rules in front of the app (see the module doc)."""

    def __init__(self, app: ASGIApp, *, csrf_token: str, access_token: str | None, host: str, max_body: int = MAX_BODY) -> None:
        self.app = app
        self.csrf_token = csrf_token
        self.access_token = access_token
        self.hosts = {*LOOPBACK_NAMES, host.lower().strip("[]")}
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            if scope["type"] == "lifespan":
                await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        host = headers.get("host", "")
        if host_name(host) not in self.hosts:
            return await _refuse(send, 421, "This server answers only to its own address (refused Host header).")
        if self.access_token is not None:
            query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
            offered = query.get("token")
            if offered is not None and scope["method"] == "GET" and _same(offered, self.access_token):
                # the token moves into a cookie; the address bar loses it
                rest = urlencode([(k, v) for k, v in query.items() if k != "token"])
                location = scope.get("path", "/") + (f"?{rest}" if rest else "")
                cookie = f"{TOKEN_COOKIE}={self.access_token}; Path=/; HttpOnly; SameSite=Strict"
                return await _redirect(send, location, cookie)
            cookie_header = headers.get("cookie", "")
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(cookie_header)
            except Exception:  # noqa: BLE001 - a malformed cookie is just no token
                jar = SimpleCookie()
            presented = jar[TOKEN_COOKIE].value if TOKEN_COOKIE in jar else ""
            if not _same(presented, self.access_token):
                return await _refuse(send, 403, "Open the address dealdraft serve printed, with its token.")
        if scope["method"] not in SAFE_METHODS:
            origin = headers.get("origin")
            if origin is not None and host_name(urlsplit(origin).netloc) != host_name(host):
                return await _refuse(send, 403, "Refused: the request came from another site (CSRF).")
            if headers.get("sec-fetch-site") not in (None, "same-origin", "none"):
                return await _refuse(send, 403, "Refused: the request came from another site (CSRF).")
            if not _same(headers.get(CSRF_HEADER, ""), self.csrf_token):
                return await _refuse(send, 403, "Refused: the page's CSRF token is missing or wrong; reload the page.")
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            return await _refuse(send, 413, f"Refused: the request is larger than {self.max_body // 1024} KiB.")
        body = b""
        more = True
        while more:  # read the whole body first: a chunked upload cannot pass the limit either
            message = await receive()
            if message["type"] != "http.request":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.max_body:
                return await _refuse(send, 413, f"Refused: the request is larger than {self.max_body // 1024} KiB.")
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, _with_headers(send))


def _same(offered: str, expected: str) -> bool:
    return hmac.compare_digest(offered.encode(), expected.encode())


def _with_headers(send: Send) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            names = {k.lower() for k, _ in message.get("headers", [])}
            extra = [(k, v) for k, v in _HEADERS if k not in names]
            if b"cache-control" not in names:
                extra.append((b"cache-control", b"no-store"))
            message["headers"] = [*message.get("headers", []), *extra]
        await send(message)

    return wrapped


async def _refuse(send: Send, status: int, text: str) -> None:
    body = (text + "\n").encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()), *_HEADERS,
    ]})
    await send({"type": "http.response.body", "body": body})


async def _redirect(send: Send, location: str, cookie: str) -> None:
    await send({"type": "http.response.start", "status": 303, "headers": [
        (b"location", location.encode("latin-1")), (b"set-cookie", cookie.encode("latin-1")), (b"content-length", b"0"), *_HEADERS,
    ]})
    await send({"type": "http.response.body", "body": b""})
