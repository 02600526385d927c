"""ASGI middleware keeping the bytes of successful ``GET /api/...`` answers per store version.

Every read endpoint's answer depends only on its path, its query and the store's contents (the
knowledge base ships with the package), so a ``200`` answer is kept under (store version, path,
query string) and sent again as is, without routing, validation or a thread: a repeated read costs
what a static file does. Least recently used answers go first beyond ``max_bytes``; an answer over
``max_entry`` bytes is not kept; every entry is dropped when the version changes. ``/api/health``
and non-GET requests pass through.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["ResponseCache"]

_PASS = ("/api/health",)


class ResponseCache:
    """Keeps successful GET answers under ``/api/`` per store version (``version()`` of the app's service)."""

    def __init__(self, app: ASGIApp, max_bytes: int = 64 << 20, max_entry: int = 8 << 20) -> None:
        self.app = app
        self._max_bytes = max_bytes
        self._max_entry = max_entry
        self._entries: OrderedDict[tuple[Any, ...], tuple[Message, bytes]] = OrderedDict()
        self._size = 0
        self._version: object = None

    def _version_of(self, scope: Scope) -> Callable[[], object] | None:
        service = getattr(scope["app"].state, "service", None)
        return service.version if service is not None else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        version = self._version_of(scope) if scope["type"] == "http" else None
        if version is None or scope["method"] != "GET" or not path.startswith("/api/") or path in _PASS:
            await self.app(scope, receive, send)
            return
        now = version()
        if now != self._version:
            self._entries.clear()
            self._size, self._version = 0, now
        key = (now, path, scope.get("query_string", b""))
        hit = self._entries.get(key)
        if hit is not None:
            self._entries.move_to_end(key)
            start, body = hit
            await send({**start, "headers": list(start["headers"])})
            await send({"type": "http.response.body", "body": body})
            return
        start_message: Message = {}
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            nonlocal start_message
            if message["type"] == "http.response.start":
                start_message = {**message, "headers": list(message.get("headers", []))}
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    self._keep(key, start_message, b"".join(chunks))
            await send(message)

        await self.app(scope, receive, keep)

    def _keep(self, key: tuple[Any, ...], start: Message, body: bytes) -> None:
        if start.get("status") != 200 or len(body) > self._max_entry or key[0] != self._version:
            return
        self._entries[key] = (start, body)
        self._size += len(body)
        while self._size > self._max_bytes:
            _, (_, old) = self._entries.popitem(last=False)
            self._size -= len(old)
