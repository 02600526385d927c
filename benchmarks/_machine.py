"""What every benchmark records: the machine, package versions with the commit, a process's peak RSS."""

from __future__ import annotations

import importlib.metadata as md
import os
import platform
import subprocess
from collections.abc import Iterable
from pathlib import Path

HERE = Path(__file__).resolve().parent


def machine() -> dict[str, object]:
    """Cores, RAM, CPU model and OS."""
    cpu = next(
        (
            ln.split(":", 1)[1].strip()
            for ln in Path("/proc/cpuinfo").read_text().splitlines()
            if ln.startswith("model name")
        ),
        platform.processor(),
    )
    mem_kib = next(
        int(ln.split()[1]) for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal")
    )
    return {"nproc": os.cpu_count(), "ram_gib": round(mem_kib / 2**20, 1), "cpu": cpu, "os": platform.platform()}


def versions(packages: Iterable[str]) -> dict[str, str]:
    """Python, each package (``-`` when not installed) and Détente's commit."""
    out = {"python": platform.python_version()}
    for pkg in packages:
        try:
            out[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            out[pkg] = "-"
    commit = subprocess.run(
        ["git", "-C", str(HERE.parent), "rev-parse", "--short", "HEAD"], check=False, capture_output=True, text=True
    )
    out["detente_commit"] = commit.stdout.strip() or "-"
    return out


def peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM: unlike ``ru_maxrss``, not inherited across exec)."""
    status = Path("/proc/self/status").read_text()
    return next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")) / 1024
