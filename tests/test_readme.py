"""The README's Python example runs as written and names its columns for pandas users (issue 15 item 8)."""

from __future__ import annotations

import re
from pathlib import Path

from detente import Store

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_readme_example_gives_named_columns(store: Store, data_dir: Path, monkeypatch) -> None:
    [code] = re.findall(r"```python\n(.*?)```", README.read_text("utf-8"), flags=re.DOTALL)
    lines = code.strip().splitlines()
    assert lines[-1].split("  #")[0].strip().endswith(".to_pandas()")
    monkeypatch.chdir(data_dir / "gdelt_events")  # the example ingests the GDELT file by its name
    namespace: dict[str, object] = {"Store": lambda *a, **k: store}
    body = [line for line in lines[:-1] if not line.startswith("from detente")]  # Store() is the test's store
    exec("\n".join(body), namespace)  # noqa: S102 - our own README
    frame = eval(lines[-1], namespace)
    assert list(frame.columns) == ["category", "events"]
    assert "CountStar()" not in frame.columns and frame["events"].sum() > 0
