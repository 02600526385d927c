"""Expensive work is a bounded job in a worker process: health and reads answer while a brief builds; one per client."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi import HTTPException
from fastapi.testclient import TestClient

from detente.api import create_app
from detente.api.jobs import RETRY_AFTER, Jobs
from detente.api.settings import ApiSettings

from .conftest import assert_json_error

BRIEF = {"runs": 0, "recent": 12, "as_of": "2018-06-30", "format": "md"}


@pytest.fixture
def impatient(api_home: Path) -> Iterator[TestClient]:
    """An app whose requests do not wait for their job (202 at once while it runs), one job per client."""
    with TestClient(create_app(api_home, ApiSettings(token=None, job_wait=0, job_per_client=1))) as c:
        yield c


def _settle(client: TestClient) -> None:
    deadline = time.monotonic() + 600
    while client.app.state.service.jobs.pending():
        assert time.monotonic() < deadline, "the job never finished"
        time.sleep(0.2)


def test_health_and_reads_answer_while_a_brief_builds(impatient: TestClient) -> None:
    """A real build in the job process: the server answers meanwhile and refuses a second job of the client."""
    jobs = impatient.app.state.service.jobs
    first = impatient.get("/api/brief", params=BRIEF)
    assert first.status_code == 202 and first.headers["retry-after"] == str(RETRY_AFTER)
    assert jobs.pending() == 1  # the build takes seconds (a process starts, then every section is computed)
    health = impatient.get("/api/health")
    assert health.status_code == 200 and health.json()["status"] == "ok"
    assert impatient.get("/api/sources").status_code == 200  # a store read, not behind the brief
    assert impatient.get("/api/events", params={"limit": 1}).json()["total"] > 0
    # the same client asks for another brief: refused, with a JSON body and Retry-After
    second = impatient.get("/api/brief", params={**BRIEF, "as_of": "2018-07-31"})
    assert jobs.pending() == 1, "the first build ended before the checks: they proved nothing"
    assert_json_error(second, 429)
    assert second.headers["retry-after"] == str(RETRY_AFTER) and "job" in second.json()["detail"]
    # asking again for the brief under way joins it (no new job, no refusal)
    assert impatient.get("/api/brief", params=BRIEF).status_code == 202 and jobs.pending() == 1
    _settle(impatient)
    done = impatient.get("/api/brief", params=BRIEF)
    assert done.status_code == 200 and "as of 2018-06-30" in done.text  # the job's result, cached


def test_an_asset_that_cannot_exist_never_builds_the_brief(impatient: TestClient) -> None:
    for url in ("/api/brief/assets/latest/0/12/nonexistent.png", "/api/brief/assets/2018-06-30/0/12/tension.gif",
                "/api/brief/assets/latest/0/12/..%2Ffootnotes.json", "/api/brief/assets/nonexistent.png"):  # fmt: skip
        assert_json_error(impatient.get(url), 404)
    assert impatient.app.state.service.jobs.pending() == 0  # no job was queued


def test_the_queue_bounds_every_client_and_the_total() -> None:
    """The queue itself: one pending job per client, ``limit`` in all, a second ask joins the first."""
    jobs = Jobs(limit=2, executor=ThreadPoolExecutor(1))  # threads: the gate is an in-process Event
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
