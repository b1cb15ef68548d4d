"""Shared pieces of the benchmarks: the machine, percentiles, and a process-tree monitor.

`machine()` describes where the figures were measured (CPU, cores, memory,
Python, commit, load average). `TreeMonitor` samples a process and all its
descendants from /proc while a command runs: peak summed RSS and PSS of the
tree, each process's own high-water mark (VmHWM), and CPU seconds per
process, so that a figure says how many cores the work really got. No
psutil needed. This module measures nothing by itself.
"""
from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
_TICK = os.sysconf("SC_CLK_TCK")


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def machine() -> dict[str, Any]:
    """The machine and checkout the figures belong to."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
        dirty = bool(subprocess.run(["git", "status", "--porcelain", "--", "extractors", "service", "models"], cwd=ROOT,
                                    capture_output=True, text=True).stdout.strip())
    except OSError:
        commit, dirty = "", False
    try:
        affinity = len(os.sched_getaffinity(0))
    except AttributeError:
        affinity = os.cpu_count() or 1
    return {
        "cpu": cpu or platform.processor(),
        "cores": os.cpu_count(),
        "cores_usable": affinity,
        "memory_gib": round(mem / 2**30, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "commit": commit + ("+uncommitted" if dirty else ""),
        "load_at_start": load(),
    }


def pct(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank on the sorted values)."""
    if not values:
        return float("nan")
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(p / 100 * len(s) + 0.5)) - 1))
    return s[k]


def summary_ms(values_s: list[float]) -> dict[str, float]:
    ms = [v * 1000 for v in values_s]
    return {
        "n": len(ms),
        "p50_ms": round(pct(ms, 50), 2),
        "p95_ms": round(pct(ms, 95), 2),
        "mean_ms": round(statistics.fmean(ms), 2) if ms else float("nan"),
        "max_ms": round(max(ms), 2) if ms else float("nan"),
    }


# -- process tree -------------------------------------------------------------------------------------------

def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry.name}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        kids.setdefault(ppid, []).append(int(entry.name))
    return kids


def tree(pid: int) -> list[int]:
    kids = _children_map()
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def _status(pid: int) -> dict[str, int]:
    out: dict[str, int] = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(("VmRSS", "VmHWM")):
                k, v = line.split(":", 1)
                out[k] = int(v.split()[0]) * 1024
    except OSError:
        pass
    return out


def _pss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICK  # utime + stime
    except (OSError, IndexError, ValueError):
        return 0.0


@dataclass
class TreeMonitor:
    """Samples a process tree every `interval` seconds in a thread until `stop()`."""

    pid: int
    interval: float = 0.1
    peak_rss: int = 0
    peak_pss: int = 0
    hwm: dict[int, int] = field(default_factory=dict)
    cpu: dict[int, float] = field(default_factory=dict)
    max_procs: int = 0
    samples: int = 0

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def start(self) -> "TreeMonitor":
        self._thread.start()
        return self

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> None:
        pids = tree(self.pid)
        rss = pss = 0
        alive = 0
        for p in pids:
            st = _status(p)
            if not st:
                continue
            alive += 1
            rss += st.get("VmRSS", 0)
            pss += _pss(p)
            self.hwm[p] = max(self.hwm.get(p, 0), st.get("VmHWM", 0))
            self.cpu[p] = max(self.cpu.get(p, 0.0), cpu_seconds(p))
        self.peak_rss = max(self.peak_rss, rss)
        self.peak_pss = max(self.peak_pss, pss)
        self.max_procs = max(self.max_procs, alive)
        self.samples += 1

    def stop(self) -> dict[str, Any]:
        self._stop.set()
        self._thread.join()
        return {
            "peak_tree_rss_mib": round(self.peak_rss / 2**20, 1),
            "peak_tree_pss_mib": round(self.peak_pss / 2**20, 1),
            "sum_of_process_hwm_mib": round(sum(self.hwm.values()) / 2**20, 1),
            "largest_process_hwm_mib": round(max(self.hwm.values(), default=0) / 2**20, 1),
            "processes": self.max_procs,
            "cpu_s_by_process": sorted((round(v, 1) for v in self.cpu.values()), reverse=True),
            "cpu_s_total": round(sum(self.cpu.values()), 1),
            "samples": self.samples,
        }


def run_monitored(cmd: list[str], *, cwd: Path = ROOT, timeout: float | None = None,
                  env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run a command, sampling its process tree; returns wall time, exit code, output tail and memory."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    mon = TreeMonitor(proc.pid).start()
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    wall = time.perf_counter() - t0
    mem = mon.stop()
    ru = __import__("resource").getrusage(__import__("resource").RUSAGE_CHILDREN)
    mem["rusage_children_maxrss_mib"] = round(ru.ru_maxrss / 1024, 1)
    return {"wall_s": round(wall, 2), "returncode": proc.returncode, "stdout": out[-2000:], "stderr": err[-2000:], **mem}


def write_json(path: Path, payload: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def python() -> str:
    return sys.executable
