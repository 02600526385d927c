"""API load (issue 16, items 9 and 11): every read endpoint under 50 clients, and health while a brief builds.

    PYTHONPATH=src .venv/bin/python benchmarks/api_load.py --home <store> --seconds 10 --out api_load.json

The store at ``--home`` (what ``detente init --data ../shared/data`` builds) is copied to a scratch
folder; the app runs under uvicorn in a child process on 127.0.0.1 (one worker, as ``detente serve``)
and the clients (50 asyncio httpx2 clients, :func:`detente.api.loadtest.run_load`) run in this
process. Each endpoint is warmed once (its first answer is computed and cached), then loaded for
``--seconds``; right after, the same bytes are loaded from a bare Starlette app in a second child
process (``_bare_app.py``: no routing by parameters, no validation, no middleware, no store), so the
ratio says what the API costs over HTTP itself on the same machine at the same moment. A path with
``{n}`` gets a new number for every request: never the same query twice, so no answer from the cache.

Last, ``/api/health`` is loaded while a brief for a new date builds and an ingest of a synthetic
GDELT 2.0 export (``--ingest-rows``) runs through the API; both are checked to be still running
when the health run ends. Machine, load average (before and after each run), versions and every
figure go to ``--out`` (JSON) and a Markdown table is printed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _machine import machine, versions  # noqa: E402
from synth_gdelt import generate  # noqa: E402

from detente.api.loadtest import run_load, serve_in_process  # noqa: E402

TOKEN = "benchmark-token"
#: the read endpoints (the brief and the jobs are warmed first; ``{n}``: a new query each request)
READS = (
    "/api/health",
    "/api/sources",
    "/api/dyads",
    "/api/events?dyad=PRK-KOR&limit=100",
    "/api/events?dyad=PRK-KOR&limit=100&offset={n}",
    "/api/events/cns:87",
    "/api/indicators/tension?dyad=PRK-KOR",
    "/api/indicators/military?dyad=PRK-KOR",
    "/api/indicators/phases?dyad=PRK-KOR",
    "/api/indicators/series?dyad=PRK-KOR",
    "/api/agreements",
    "/api/provisions",
    "/api/implementation",
    "/api/charts/tension",
    "/api/theatres",
    "/api/lessons",
    "/api/bargaining",
    "/api/forecasts",
    "/api/brief?format=md",
)


def _result(r: Any, load_before: tuple[float, ...]) -> dict[str, Any]:
    return {**asdict(r), "load_before": [round(x, 2) for x in load_before]}


def measure_reads(base: str, bare: str, bodies: Path, paths: tuple[str, ...], clients: int, seconds: float) -> list:
    """Each path on the API, then its bytes on the bare app."""
    import httpx2

    rows = []
    for path in paths:
        before = os.getloadavg()
        api = run_load(base, path, clients, seconds)
        body = httpx2.get(base + path.replace("{n}", "0"), timeout=600).content
        name = hashlib.sha1(path.encode()).hexdigest()[:12]
        (bodies / f"{name}.body").write_bytes(body)
        bare_before = os.getloadavg()
        baseline = run_load(bare, f"/b/{name}", clients, seconds)
        ratio = round(api.rps / baseline.rps, 3)
        rows.append({"path": path, "bytes": len(body), "api": _result(api, before),
                     "bare": _result(baseline, bare_before), "ratio_rps": ratio})  # fmt: skip
        print(json.dumps(rows[-1]), flush=True)
    return rows


def health_under_work(base: str, ingest_file: Path, as_of: str, clients: int, seconds: float) -> dict[str, Any]:
    """``/api/health`` loaded while a brief for ``as_of`` builds and ``ingest_file`` is ingested."""
    import httpx2

    spans: dict[str, list[float]] = {}

    def brief() -> None:
        spans["brief"] = [time.monotonic()]
        r = httpx2.get(f"{base}/api/brief", params={"as_of": as_of, "format": "md"}, timeout=900)
        while r.status_code == 202:
            time.sleep(1)
            r = httpx2.get(f"{base}/api/brief", params={"as_of": as_of, "format": "md"}, timeout=900)
        spans["brief"] += [time.monotonic(), r.status_code]

    def ingest() -> None:
        spans["ingest"] = [time.monotonic()]
        r = httpx2.post(f"{base}/api/ingest", json={"path": str(ingest_file)},
                        headers={"Authorization": f"Bearer {TOKEN}"}, timeout=900)  # fmt: skip
        spans["ingest"] += [time.monotonic(), r.status_code, r.json().get("rows_stored")]

    threads = [threading.Thread(target=brief), threading.Thread(target=ingest)]
    for t in threads:
        t.start()
    time.sleep(2)
    before = os.getloadavg()
    started = time.monotonic()
    result = run_load(base, "/api/health", clients, seconds)
    ended = time.monotonic()
    for t in threads:
        t.join()
    out = _result(result, before)
    for job, (first, last, *rest) in spans.items():
        out[job] = {"started_s_before_health": round(started - first, 1),
                    "ended_s_after_health": round(last - ended, 1),
                    "running_throughout": first < started and last > ended, "outcome": rest}  # fmt: skip
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, required=True, help="the shipped store (detente init --data ...)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--ingest-rows", type=int, default=300_000, help="rows of the export ingested meanwhile")
    parser.add_argument("--as-of", default="2025-12-31", help="date of the brief built during the health run")
    parser.add_argument("--only", nargs="*", default=None, help="read paths to run (default: all)")
    parser.add_argument("--out", type=Path, default=Path("api_load.json"))
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="api-load-"))
    try:
        home = work / "home"
        shutil.copytree(args.home, home)
        incoming, bodies = work / "incoming", work / "bodies"
        incoming.mkdir()
        bodies.mkdir()
        export = generate(incoming / "20251231000000.export.CSV", args.ingest_rows, seed=11, added="20251231000000")
        env = {"DETENTE_API_TOKEN": TOKEN, "DETENTE_API_INGEST_DIRS": str(incoming)}
        pythonpath = os.pathsep.join([str(HERE), *sys.path])
        record: dict[str, Any] = {"date_utc": time.strftime("%Y-%m-%d %H:%M", time.gmtime()), "machine": machine(),
                                  "versions": versions(["fastapi", "starlette", "uvicorn", "httpx2", "duckdb"]),
                                  "clients": args.clients, "seconds": args.seconds}  # fmt: skip
        paths = tuple(args.only) if args.only else READS
        bare_env = {"BARE_DIR": str(bodies), "PYTHONPATH": pythonpath}
        with (
            serve_in_process(home, env=env) as base,
            serve_in_process(None, app="_bare_app:create_app", env=bare_env) as bare,
        ):
            record["reads"] = measure_reads(base, bare, bodies, paths, args.clients, args.seconds)
            record["health_during_brief_and_ingest"] = health_under_work(
                base, export, args.as_of, args.clients, args.seconds
            )
            print(json.dumps(record["health_during_brief_and_ingest"]), flush=True)
        args.out.write_text(json.dumps(record, indent=1), encoding="utf-8")
        print(table(record))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def table(record: dict[str, Any]) -> str:
    """The reads as a Markdown table."""
    lines = ["| endpoint | bytes | API req/s | p50 ms | p99 ms | bare req/s | bare p99 ms | API/bare | errors |",
             "|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for r in record["reads"]:
        a, b = r["api"], r["bare"]
        lines.append(f"| `{r['path']}` | {r['bytes']:,} | {a['rps']} | {a['p50_ms']} | {a['p99_ms']} | {b['rps']} "
                     f"| {b['p99_ms']} | {r['ratio_rps']} | {a['errors']} |")  # fmt: skip
    return "\n".join(lines)


if __name__ == "__main__":
    main()
