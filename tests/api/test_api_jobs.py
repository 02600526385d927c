"""Expensive work is a bounded job: health and reads answer while a brief builds; one pending job per client."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import HTTPException
from fastapi.testclient import TestClient

from detente.api import create_app
from detente.api.jobs import RETRY_AFTER, Jobs
from detente.api.settings import ApiSettings
from detente.report import builder

from .conftest import assert_json_error

BRIEF = {"runs": 0, "recent": 12, "as_of": "2018-06-30", "format": "md"}


class Gate:
    """The real brief builder, held at its start until :meth:`open` (and counting its calls)."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.gate = threading.Event()
        self.calls = 0
        self.real = builder.build_brief

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        self.started.set()
        assert self.gate.wait(120), "the test never opened the gate"
        return self.real(*args, **kwargs)


@pytest.fixture
def gated(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gate]:
    gate = Gate()
    monkeypatch.setattr(builder, "build_brief", gate)
    yield gate
    gate.gate.set()


@pytest.fixture
def impatient(api_home: Path) -> Iterator[TestClient]:
    """An app whose requests do not wait for their job (202 at once while it runs)."""
    with TestClient(create_app(api_home, ApiSettings(token=None, job_wait=0))) as c:
        yield c


def _settle(client: TestClient) -> None:
    deadline = time.monotonic() + 300
    while client.app.state.service.jobs.pending():
        assert time.monotonic() < deadline, "the job never finished"
        time.sleep(0.1)


def test_health_and_reads_answer_while_a_brief_builds(impatient: TestClient, gated: Gate) -> None:
    first = impatient.get("/api/brief", params=BRIEF)
    assert first.status_code == 202 and first.headers["retry-after"] == str(RETRY_AFTER)
    assert gated.started.wait(60)  # the build runs on the job thread, holding one reader store
    health = impatient.get("/api/health")
    assert health.status_code == 200 and health.json()["status"] == "ok"
    assert impatient.get("/api/sources").status_code == 200  # a store read, not behind the brief
    assert impatient.get("/api/events", params={"limit": 1}).json()["total"] > 0
    assert not gated.gate.is_set() and impatient.app.state.service.jobs.pending() == 1  # still building
    # the same client asks for another brief: refused, with a JSON body and Retry-After
    second = impatient.get("/api/brief", params={**BRIEF, "as_of": "2018-07-31"})
    assert_json_error(second, 429)
    assert second.headers["retry-after"] == str(RETRY_AFTER) and "job" in second.json()["detail"]
    # asking again for the brief under way joins it (no new job, no refusal)
    assert impatient.get("/api/brief", params=BRIEF).status_code == 202 and gated.calls == 1
    gated.gate.set()
    _settle(impatient)
    done = impatient.get("/api/brief", params=BRIEF)
    assert done.status_code == 200 and "as of 2018-06-30" in done.text
    assert gated.calls == 1  # built once, then cached


def test_an_asset_that_cannot_exist_never_builds_the_brief(impatient: TestClient, gated: Gate) -> None:
    for url in ("/api/brief/assets/latest/0/12/nonexistent.png", "/api/brief/assets/2018-06-30/0/12/tension.gif",
                "/api/brief/assets/latest/0/12/..%2Ffootnotes.json", "/api/brief/assets/nonexistent.png"):  # fmt: skip
        assert_json_error(impatient.get(url), 404)
    assert gated.calls == 0 and impatient.app.state.service.jobs.pending() == 0


def test_the_queue_bounds_every_client_and_the_total() -> None:
    """The queue itself: one pending job per client, ``limit`` in all, a second ask joins the first."""
    jobs = Jobs(workers=1, limit=2)
    gate = threading.Event()
    try:
        a = jobs.submit("10.0.0.1", "brief-1", lambda: gate.wait(60) and "a")
        assert jobs.submit("10.0.0.2", "brief-1", lambda: "never run") is a  # joins: no new work
        b = jobs.submit("10.0.0.2", "brief-2", lambda: "b")  # queued behind a (one worker)
        with pytest.raises(HTTPException) as mine:
            jobs.submit("10.0.0.1", "brief-3", lambda: "c")
        assert mine.value.status_code == 429 and mine.value.headers == {"Retry-After": str(RETRY_AFTER)}
        with pytest.raises(HTTPException) as full:
            jobs.submit("10.0.0.3", "brief-3", lambda: "c")
        assert full.value.status_code == 503
        assert not b.done() and jobs.pending() == 2
        gate.set()
        assert a.result(60) == "a" and b.result(60) == "b"
        deadline = time.monotonic() + 10
        while jobs.pending() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert jobs.submit("10.0.0.1", "brief-3", lambda: "c").result(60) == "c"  # free again
    finally:
        gate.set()
        jobs.close()
