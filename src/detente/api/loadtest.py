"""A bounded load test of the API on 127.0.0.1: N concurrent clients for S seconds against one endpoint.

    python -m detente.api.loadtest --clients 50 --seconds 20 --path "/api/indicators/tension?dyad=PRK-KOR"

Starts the app (uvicorn, in its own process, on a free local port) over the store at ``DETENTE_HOME``
(or ``--home``), warms the endpoint once (the first request computes and caches the result; a 202
from a job still under way is asked again), then lets ``clients`` asyncio clients (httpx2) request it
back to back until the time is up. A ``{n}`` in the path is replaced by a new number for every
request (``offset={n}``: every request a new query, so none is answered from the cache). The clients
are created and each opens its connection with one request before the clock starts (creating 50
clients costs seconds on a loaded machine), then keep it. Prints requests,
errors, requests per second, the p50/p90/p99/max latency in milliseconds and the machine's load
average at the end of the run (1, 5 and 15 minutes: on a shared machine it says what else was running) as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .._extras import require

__all__ = ["LoadResult", "free_port", "main", "run_load", "serve_in_process", "serve_in_thread"]


@dataclass(frozen=True)
class LoadResult:
    """Outcome of a load test."""

    path: str
    clients: int
    seconds: float
    requests: int
    errors: int
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    loadavg: tuple[float, float, float]


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve_in_thread(home: str | Path | None = None, port: int | None = None) -> Iterator[str]:
    """Run the app on 127.0.0.1 in a background thread; yields its base URL and stops it afterwards."""
    uvicorn = require("uvicorn")

    from .app import create_app

    port = port or free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(home), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@contextmanager
def serve_in_process(
    home: str | Path | None = None,
    port: int | None = None,
    app: str = "detente.api.app:create_app",
    env: dict[str, str] | None = None,
) -> Iterator[str]:
    """Run ``uvicorn`` on the ``app`` factory in a child process (so the load client does not share its interpreter).

    ``env`` is added to the child's environment (``DETENTE_API_TOKEN`` ...); ``app`` may name another
    factory importable by the child (a baseline app, see ``benchmarks/api_load.py``).
    """
    import subprocess
    import sys

    import httpx2

    port = port or free_port()
    child = {**os.environ, **(env or {})}
    if home is not None:
        child["DETENTE_HOME"] = str(home)
    cmd = [sys.executable, "-m", "uvicorn", app, "--factory", "--host", "127.0.0.1",
           "--port", str(port), "--log-level", "warning"]  # fmt: skip
    proc = subprocess.Popen(cmd, env=child)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx2.get(base + "/api/health", timeout=5).status_code == 200:
                    break
            except httpx2.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a job or a slow query still running: do not wait for it
            proc.kill()
            proc.wait(timeout=30)


async def _client(
    client: Any, path: str, stop: float, latencies: list[float], errors: list[str], numbers: Iterator[int]
) -> None:
    while time.monotonic() < stop:
        started = time.perf_counter()
        try:
            r = await client.get(path.replace("{n}", str(next(numbers))))
            if r.status_code != 200:
                errors.append(f"HTTP {r.status_code}")
        except Exception as exc:  # noqa: BLE001 - every failure counts as an error
            errors.append(type(exc).__name__)
            continue
        latencies.append(time.perf_counter() - started)


def run_load(base: str, path: str, clients: int = 50, seconds: float = 20.0) -> LoadResult:
    """``clients`` concurrent clients requesting ``base + path`` for ``seconds``."""
    import itertools

    import httpx2

    deadline = time.monotonic() + 1800
    warm = httpx2.get(base + path.replace("{n}", "0"), timeout=300)
    while warm.status_code == 202 and time.monotonic() < deadline:  # a job under way: ask again
        time.sleep(float(warm.headers.get("retry-after", "5")))
        warm = httpx2.get(base + path.replace("{n}", "0"), timeout=300)
    if warm.status_code != 200:
        raise RuntimeError(f"warm-up request failed: HTTP {warm.status_code} {warm.text[:200]}")
    latencies: list[float] = []
    errors: list[str] = []

    numbers = itertools.count(1)

    async def main() -> float:
        pool = [httpx2.AsyncClient(base_url=base, timeout=60) for _ in range(clients)]
        try:  # each client's connection: opened with one request outside the timing, then kept
            for r in await asyncio.gather(*(c.get(path.replace("{n}", "0")) for c in pool), return_exceptions=True):
                if isinstance(r, BaseException):
                    errors.append(type(r).__name__)
            started = time.monotonic()
            await asyncio.gather(*(_client(c, path, started + seconds, latencies, errors, numbers) for c in pool))
            return time.monotonic() - started
        finally:
            await asyncio.gather(*(c.aclose() for c in pool))

    elapsed = asyncio.run(main())
    load = os.getloadavg()
    ms = np.array(latencies) * 1000 if latencies else np.array([np.nan])
    p50, p90, p99 = (round(float(np.percentile(ms, q)), 1) for q in (50, 90, 99))
    return LoadResult(
        path=path, clients=clients, seconds=round(elapsed, 2), requests=len(latencies), errors=len(errors),
        rps=round(len(latencies) / elapsed, 1), p50_ms=p50, p90_ms=p90, p99_ms=p99, max_ms=round(float(ms.max()), 1),
        loadavg=(round(load[0], 2), round(load[1], 2), round(load[2], 2)),
    )  # fmt: skip


def main(argv: list[str] | None = None) -> LoadResult:
    """Command-line entry point (see the module docstring)."""
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.ArgumentDefaultsHelpFormatter
    )
    parser.add_argument("--home", default=None, help="store directory; None means $DETENTE_HOME")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients, each requesting back to back")
    parser.add_argument("--seconds", type=float, default=20.0, help="how long the clients run")
    parser.add_argument("--path", default="/api/indicators/tension?dyad=PRK-KOR", help="endpoint, with its query")
    args = parser.parse_args(argv)
    with serve_in_process(args.home) as base:
        result = run_load(base, args.path, args.clients, args.seconds)
    print(json.dumps(asdict(result), indent=1))
    return result


if __name__ == "__main__":  # pragma: no cover
    main()
