"""A GDELT mirror on 127.0.0.1 for tests: a threading HTTP server with range support and faults.

Shared by the downloader's tests (``tests/sources/test_fetch.py``) and the updater's
(``tests/test_update.py``). Bodies are whatever the test puts in :attr:`Site.files`.
"""

from __future__ import annotations

import hashlib
import io
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

__all__ = ["QuietServer", "Site", "master_line", "md5", "serve", "zipped"]


def zipped(member: str, data: bytes) -> bytes:
    """A deterministic one-member zip, laid out like GDELT's (member = name without .zip)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        info = zipfile.ZipInfo(member, date_time=(2019, 10, 24, 14, 30, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(info, data)
    return buf.getvalue()


def md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


def master_line(name: str, data: bytes) -> str:
    """A masterfilelist.txt line as GDELT writes it: ``<size> <md5> <url>``."""
    return f"{len(data)} {md5(data)} http://data.gdeltproject.org/gdeltv2/{name}"


@dataclass
class Site:
    """What the test server serves and how it misbehaves."""

    files: dict[str, bytes] = field(default_factory=dict)  # URL path -> body
    ranges: bool = True  # honour Range requests
    cut_after: dict[str, int] = field(default_factory=dict)  # path -> close after N body bytes
    cuts_left: dict[str, int] = field(default_factory=dict)  # path -> how many responses to cut
    requests: list[tuple[str, str | None]] = field(default_factory=list)  # (path, Range header)
    delay: float = 0.0  # seconds before answering a .zip request (a slow server)
    active: int = 0  # .zip requests being answered now
    most_active: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    stall: dict[str, int] = field(default_factory=dict)  # path -> send N body bytes, then hang until released
    stalled: threading.Event = field(default_factory=threading.Event)  # set when a stalled response hangs
    release: threading.Event = field(default_factory=threading.Event)  # ends the hang (connection closed)

    def file_requests(self) -> list[tuple[str, str | None]]:
        return [r for r in self.requests if r[0].endswith(".zip")]


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            """Keep test output quiet."""

        def do_GET(self) -> None:
            if not self.path.endswith(".zip"):
                self._answer()
                return
            with site.lock:
                site.active += 1
                site.most_active = max(site.most_active, site.active)
            try:
                time.sleep(site.delay)
                self._answer()
            finally:
                with site.lock:
                    site.active -= 1

        def _answer(self) -> None:
            rng = self.headers.get("Range")
            site.requests.append((self.path, rng))
            body = site.files.get(self.path)
            if body is None:
                self._send(404, b"not found")
                return
            start = int(rng.removeprefix("bytes=").split("-")[0]) if rng and site.ranges else 0
            if start >= len(body) and start:
                self._send(416, b"", {"Content-Range": f"bytes */{len(body)}"})
                return
            status, extra = 200, {}
            if start:
                status, extra = 206, {"Content-Range": f"bytes {start}-{len(body) - 1}/{len(body)}"}
            self._send(status, body[start:], extra, cut=self._cut())

        def _cut(self) -> int | None:
            if site.cuts_left.get(self.path, 0) > 0:
                site.cuts_left[self.path] -= 1
                return site.cut_after[self.path]
            return None

        def _send(self, status: int, body: bytes, extra: dict[str, str] | None = None, cut: int | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Accept-Ranges", "bytes" if site.ranges else "none")
            for key, value in (extra or {}).items():
                self.send_header(key, value)
            self.end_headers()
            hang = site.stall.pop(self.path, None) if status in (200, 206) else None
            if hang is not None:
                self.wfile.write(body[:hang])
                self.wfile.flush()
                site.stalled.set()
                site.release.wait(60)
                self.close_connection = True
                return
            self.wfile.write(body if cut is None else body[:cut])
            if cut is not None:
                self.wfile.flush()
                self.close_connection = True

    return Handler


class QuietServer(ThreadingHTTPServer):
    """A threading server that treats clients hanging up (resets, broken pipes) as normal."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@contextmanager
def serve(site: Site) -> Iterator[str]:
    """Serve ``site`` on 127.0.0.1 (an OS-chosen port) for the block; yields the base URL."""
    httpd = QuietServer(("127.0.0.1", 0), _handler(site))
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        site.release.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def in_scope(fields: list[str], layout: tuple[str, ...], countries: frozenset[str]) -> bool:
    """The scope rule written out in Python over a record's raw fields (the reader does it in SQL).

    In scope: Actor1 or Actor2 country code (CAMEO) or ActionGeo country code (FIPS 10-4) maps to one of
    ``countries`` (ISO3), by the ontology's tables.
    """
    from detente import ontology

    cameo, fips = ontology.cameo_country_to_iso3(), ontology.fips_to_iso3()
    a1, a2 = fields[layout.index("Actor1CountryCode")], fields[layout.index("Actor2CountryCode")]
    place = fields[layout.index("ActionGeo_CountryCode")]
    return (
        cameo.get(a1.strip()) in countries or cameo.get(a2.strip()) in countries or fips.get(place.strip()) in countries
    )
