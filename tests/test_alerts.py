"""Alerts on the real curated Korea files: the rules, the once-only log, the Atom feed, delivery through apprise."""

from __future__ import annotations

import json
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from korea_store import built_store, korea_files

from detente import Store
from detente.alerts import (
    ALERT_DIR,
    Alert,
    AlertLog,
    alert_urls,
    cbm_ended,
    deliver,
    evaluate,
    forecast_crossings,
    index_high,
    major_incidents,
    new_phases,
    silent_sources,
    write_feed,
)
from detente.forecast.features import build
from detente.forecast.record import ForecastRecord

ATOM = "{http://www.w3.org/2005/Atom}"
HWASONG_19 = ("csis:2024-10-31:intercontinental-ballistic-missile:e4b43c2e", "kb:2024-10-31-32294986be")


@pytest.fixture(scope="module")
def curated(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The timeline, CNS, CSIS and COW MID in a store of this module's own (evaluate writes under its home)."""
    store = built_store(tmp_path_factory.mktemp("alerts") / "home", korea_files(data_dir, coded=False))
    yield store
    store.close()


class _Receiver(BaseHTTPRequestHandler):
    bodies: ClassVar[list[tuple[str, str, bytes]]] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        self.bodies.append((self.path, self.headers.get("Content-Type", ""), self.rfile.read(length)))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[int, list[tuple[str, str, bytes]]]]:
    """A webhook receiver on 127.0.0.1 (threaded, shut down after the test)."""
    bodies: ClassVar[list[tuple[str, str, bytes]]] = []
    handler = type("Handler", (_Receiver,), {"bodies": bodies})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server.server_address[1], bodies
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_an_icbm_launch_is_a_major_incident_with_its_sources(curated: Store) -> None:
    """The Hwasong-19 launch of 2024-10-31: one incident, both source rows, their links."""
    alerts = major_incidents(curated, date(2024, 10, 1), date(2024, 11, 30))
    assert [(a.key, a.month, a.event_ids) for a in alerts] == [
        (f"major-incident:{HWASONG_19[0]}", "2024-10", HWASONG_19)
    ]
    assert alerts[0].title == "Major incident: PRK ICBM-class launch on 2024-10-31"
    assert len(alerts[0].links) == 2 and all(u.startswith("https://") for u in alerts[0].links)
    assert major_incidents(curated, date(2024, 11, 1), date(2024, 12, 31)) == []


def test_the_index_at_a_five_year_high(curated: Store) -> None:
    """November 2010 (Yeonpyeong shelled on the 23rd) tops the five years before it; August 2026 does not."""
    (alert,) = index_high(curated, date(2010, 11, 30))
    assert (alert.key, alert.evidence["months"]) == ("index-high:PRK-KOR:5:2010-11", 60)
    assert any(i.startswith(("kb:2010-11-23", "csis:2010-11-23")) for i in alert.event_ids)
    assert index_high(curated, date(2026, 8, 20)) == []


def test_the_military_agreement_suspension_ends_five_cbms(curated: Store) -> None:
    """November 2023: the 2018 Comprehensive Military Agreement's buffer zones, no-fly zone, guard posts and JSA."""
    alerts = cbm_ended(date(2023, 10, 31), date(2023, 11, 30))
    assert [a.key for a in alerts] == [
        "cbm-ended:BZ-GROUND-2018:2023-11-23", "cbm-ended:BZ-MARITIME-2018:2023-11-23", "cbm-ended:NFZ-2018:2023-11-22",
        "cbm-ended:GP-2018:2023-11-24", "cbm-ended:JSA-2018:2023-11-28",
    ]  # fmt: skip
    assert {a.month for a in alerts} == {"2023-11"} and all(a.evidence["agreement_id"] == "CMA-2018" for a in alerts)
    assert all(a.links and all(u.startswith("http") for u in a.links) for a in alerts)
    assert "suspended the no-fly-zone clause" in alerts[2].text
    jsa = alerts[-1].links  # the Korea Herald report of 2023-12-19 (UN Command re-armed) was not out by 2023-11-30
    assert "https://www.koreaherald.com/view.php?ud=20231127000598" in jsa and not any("20231219" in u for u in jsa)
    assert any("20231219" in u for u in cbm_ended(date(2023, 10, 31), date(2023, 12, 31))[-1].links)
    assert cbm_ended(date(2023, 11, 30), date(2024, 5, 31)) == []  # the loudspeakers' truce (LS-2018) ends 2024-06-09
    log = AlertLog(curated.home / "cbm")
    assert log.fire(alerts) == alerts and log.fire(cbm_ended(date(2023, 11, 1), date(2023, 12, 31))) == []


def test_a_new_phase_fires_when_the_data_first_show_it(curated: Store) -> None:
    """The 2022 freeze (opened by January's hypersonic and IRBM launches) is first seen with October 2022's data."""
    (alert,) = new_phases(curated, date(2022, 8, 1), date(2022, 10, 31))
    assert (alert.key, alert.month, alert.evidence["recognised"]) == ("new-phase:PRK-KOR:freeze:2022-01", "2022-10",
                                                                      "2022-10")  # fmt: skip
    assert "csis:2022-01-05:nuclear-detonation-device:a4d7d8ec" in alert.event_ids and alert.links
    assert new_phases(curated, date(2022, 8, 1), date(2022, 9, 30)) == []  # not yet: no hindsight


def test_silent_sources(curated: Store) -> None:
    """As of 2026-08-20: CNS (last 2023-04-12), COW MID (its 5.01 release ends 2014) and the timeline are silent."""
    alerts = {a.key: a.evidence for a in silent_sources(curated, date(2026, 8, 20))}
    assert set(alerts) == {"source-silent:cns:2023-04-12", "source-silent:cow_mid:2014-12-31",
                           "source-silent:kb:2026-03-14"}  # fmt: skip
    assert alerts["source-silent:cns:2023-04-12"]["silent_days"] == 1226
    assert silent_sources(curated, date(2023, 4, 30)) == [a for a in silent_sources(curated, date(2023, 4, 30))
                                                          if a.key.startswith("source-silent:cow_mid")]  # fmt: skip


def test_a_forecast_crossing_fires_from_the_record(curated: Store, tmp_path: Path) -> None:
    """April 2019 had a launch (the 17th), March none: persistence goes 0 -> 1; climatology and last12 stay low."""
    monthly = build(curated, "PRK")
    record = ForecastRecord(tmp_path)
    for origin in ("2019-03", "2019-04", "2019-05"):
        record.issue(monthly.as_of(origin), targets=("missile",), horizons=(1,),
                     models=("climatology", "persistence", "last12"))  # fmt: skip
    (alert,) = forecast_crossings(record, threshold=0.5)
    assert (alert.key, alert.evidence["previous"], alert.evidence["probability"]) == (
        "forecast-crossing:missile:1:persistence:0.5:2019-04", 0.0, 1.0)  # fmt: skip
    assert [a.key for a in forecast_crossings(record, threshold=0.15)] == [  # climatology is above 0.15 throughout
        "forecast-crossing:missile:1:last12:0.15:2019-05",  # 0.12 -> 0.19
        "forecast-crossing:missile:1:persistence:0.15:2019-04",
    ]
    assert forecast_crossings(record, threshold=1.01) == []


def test_evaluate_fires_once_logs_feeds_and_delivers(
    curated: Store, receiver: tuple[int, list[tuple[str, str, bytes]]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    port, bodies = receiver
    urls = [f"json://127.0.0.1:{port}/hook", f"form://127.0.0.1:{port}/form", f"xml://127.0.0.1:{port}/xml"]
    monkeypatch.setenv("DETENTE_ALERT_URLS", ",".join(urls))
    first = evaluate(curated, date(2024, 11, 30))
    assert {a.rule for a in first} == {"major-incident", "source-silent"}  # no CBM ended, no new phase in Aug-Nov 2024
    assert len(bodies) == 3 * len(first)  # each alert to each of the three local targets
    hook = [json.loads(b) for p, _, b in bodies if p == "/hook"]
    assert {h["title"] for h in hook} == {a.title for a in first}
    assert any(HWASONG_19[0] in h["message"] for h in hook)
    assert evaluate(curated, date(2024, 11, 30)) == [] and len(bodies) == 3 * len(first)  # fires nothing new
    log = AlertLog(curated.home)
    assert log.journal.verify().ok and [e["key"] for e in log.alerts()] == [a.key for a in first]
    feed = ET.parse(curated.home / ALERT_DIR / "alerts.atom").getroot()
    assert feed.tag == f"{ATOM}feed" and len(feed.findall(f"{ATOM}entry")) == len(first)


def test_the_feed_escapes_everything(tmp_path: Path) -> None:
    nasty = 'x</title><script>alert(1)</script>&amp;"\x00\x1b'
    log = AlertLog(tmp_path)
    log.fire([Alert("r", "k", "2026-08", nasty, nasty, {"n": nasty}, (nasty,), ("https://e.org/?a=1&b=<2>",))])
    path = write_feed(log.alerts(), tmp_path / "feed.atom")
    entry = ET.parse(path).getroot().find(f"{ATOM}entry")
    assert entry is not None and entry.findtext(f"{ATOM}title") == 'x</title><script>alert(1)</script>&amp;"'
    assert entry.find(f"{ATOM}link").get("href") == "https://e.org/?a=1&b=<2>"
    assert b"<script>" not in path.read_bytes()
    assert not list(tmp_path.glob(".feed.atom.*"))  # no temporary file left


def test_urls_from_a_file_and_bad_urls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DETENTE_ALERT_URLS", raising=False)
    assert alert_urls(tmp_path) == []
    (tmp_path / ALERT_DIR).mkdir()
    (tmp_path / ALERT_DIR / "urls.txt").write_text("# mine\njson://127.0.0.1:9/x  # local\n\n", encoding="utf-8")
    assert alert_urls(tmp_path) == ["json://127.0.0.1:9/x"]
    with pytest.raises(ValueError, match="not a notification URL"):
        deliver([Alert("r", "k", "2026-08", "t", "x")], ["nonsense://"])
