#!/bin/bash
# Ingest benchmark of two checkouts side by side, interleaved, one fresh process per run (BENCHMARKS.md).
#   git worktree add --detach /tmp/base <previous commit>
#   benchmarks/ingest_side_by_side.sh /tmp/base/src src 5 > ab.txt
# Each line: side, load average, then benchmarks/ingest.py's JSON (seconds, cpu_s, peak_rss_mb).
set -euo pipefail
BASE=$1; NEW=$2; PAIRS=${3:-5}
PY=${PYTHON:-.venv/bin/python}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=${WORK:-$(mktemp -d)}
FILE=$WORK/20191024143000.export.CSV
[ -f "$FILE" ] || "$PY" "$HERE/synth_gdelt.py" "$FILE" --rows 1000000 --seed 7 --bad 0
for _ in $(seq "$PAIRS"); do
  for side in base new; do
    src=$BASE; [ "$side" = new ] && src=$NEW
    rm -rf "$WORK/run"
    echo "$side $(cut -d' ' -f1-3 /proc/loadavg) $(PYTHONPATH=$src "$PY" "$HERE/ingest.py" --one detente --file "$FILE" --work "$WORK/run" | tail -1)"
  done
done
rm -rf "$WORK/run"
