"""What a burst run did, second by second: the evidence behind ``benchmarks/burst.py``'s throughput figure.

Pure functions over what the run recorded, all times in epoch seconds:

- ``provider_idle(accepted, interval, tolerance)`` replays the provider's GCRA over the accepted requests' arrival
  times and returns, per request, the seconds the provider's bucket stood full and unused before it (capacity
  nobody asked for). Their sum is exactly what separates the whole-run throughput from R.
- ``per_minute(times, start)`` counts events per minute from ``start``.
- ``idle_by_phase`` splits that unused capacity by phase (start-up, before the kill, the kill until the killed
  worker's jobs run again, after, the tail once the queue is empty).
- ``limiter_log(lines)`` reads the workers' ``--log-level debug`` lines (``rate slot waited=…``, ``rate 429
  retry_after=…``): how long callers waited for the shared limiter and what Retry-After the provider sent.
- ``cpu_seconds(pid)`` and ``postgres_cpu_seconds(pid)`` read /proc: where the machine's CPU went.
"""

from __future__ import annotations

import os
import re
import statistics
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path


def provider_idle(accepted: list[float], interval: float, tolerance: float) -> list[float]:
    """Per accepted request (sorted times): seconds the provider stood idle with a full bucket before it."""
    idle, tat = [], None
    for t in accepted:
        if tat is None:
            idle.append(0.0)
            tat = t + interval
            continue
        idle.append(max(0.0, t - tat))  # the bucket was full (tat <= t) for this long: slots nobody used
        tat = max(tat, t) + interval
    return idle


def idle_near(accepted: list[float], idle: list[float], events: list[float], within: float) -> float:
    """Idle provider seconds in gaps that began within ``within`` s after one of ``events`` (e.g. 429s)."""
    import bisect

    total = 0.0
    for i, gap in enumerate(idle):
        if gap > 0 and i > 0:
            k = bisect.bisect_left(events, accepted[i - 1] - within)
            if k < len(events) and events[k] <= accepted[i]:
                total += gap
    return round(total, 1)


def per_minute(times: Iterable[float], start: float) -> list[int]:
    counts: list[int] = []
    for t in times:
        k = int((t - start) // 60)
        if k < 0:
            continue
        while len(counts) <= k:
            counts.append(0)
        counts[k] += 1
    return counts


def idle_by_phase(accepted: list[float], idle: list[float], phases: list[tuple[str, float, float]]) -> dict:
    """Unused provider seconds per named phase ``(name, start, end)`` (by the time of the request after the gap)."""
    out = {name: 0.0 for name, _, _ in phases}
    for t, gap in zip(accepted, idle, strict=True):
        for name, a, b in phases:
            if a <= t < b or (name == phases[-1][0] and t == b):
                out[name] += gap
                break
    return {k: round(v, 1) for k, v in out.items()}


def summary(values: list[float]) -> dict:
    if not values:
        return {"n": 0}
    ordered = sorted(values)
    return {
        "n": len(values),
        "mean": round(statistics.fmean(values), 3),
        "p50": round(ordered[len(ordered) // 2], 3),
        "p95": round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], 3),
        "max": round(ordered[-1], 3),
    }


_LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) \w+ zongjie\.backends\.ratelimit: rate (.+)$")


def limiter_log(lines: Iterable[str]) -> dict:
    """Waits for a slot and 429 Retry-Afters from workers' debug logs: summaries and the 429 times."""
    waits, bookings, retry_afters, at_429, slots = [], [], [], [], []
    for line in lines:
        m = _LINE.match(line.strip())
        if not m:
            continue
        when = datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S,%f").timestamp()
        fields = dict(kv.split("=", 1) for kv in m.group(2).split()[1:])
        if m.group(2).startswith("slot"):
            waits.append(float(fields["waited"]))
            bookings.append(float(fields.get("booking", 0)))
            slots.append((when, waits[-1], bookings[-1]))
        elif m.group(2).startswith("429"):
            retry_afters.append(float(fields["retry_after"]))
            at_429.append(when)
    return {
        "slot_waits_s": summary(waits),
        "slots_without_wait": sum(1 for w in waits if w == 0),
        "booking_s": summary(bookings),  # the round trip that books a slot (a row lock in PostgreSQL)
        "retry_after_s": summary(retry_afters),
        "429_times": at_429,
        "slots": slots,  # (logged at, seconds waited, seconds booking) per request
    }


def timeline(first: float, end: float, accepted: list[float], refused: list[float], samples: list[dict], slots) -> dict:
    """Per 10 s from the first accepted request: requests accepted and refused at the endpoint, the workers'
    mean wait for a slot and booking time, jobs running and queued, the limiter's booking horizon, load."""
    rows = []
    t = first
    while t < end:
        u = t + 10
        ss = [x for x in samples if t <= x["t"] < u]
        sl = [x for x in slots if t <= x[0] < u]
        ahead = [x["limiter_ahead_s"] for x in ss if x["limiter_ahead_s"] is not None]
        rows.append(
            [
                round(t - first),
                sum(1 for a in accepted if t <= a < u),
                sum(1 for a in refused if t <= a < u),
                round(statistics.fmean(w for _, w, _ in sl), 2) if sl else None,
                round(statistics.fmean(b for _, _, b in sl), 3) if sl else None,
                round(statistics.fmean(x["running"] for x in ss), 1) if ss else None,
                ss[-1]["queued"] if ss else None,
                round(statistics.fmean(ahead), 2) if ahead else None,
                round(statistics.fmean(x["load1"] for x in ss), 1) if ss else None,
            ]
        )
        t = u
    columns = ["s", "accepted", "refused_429", "slot_wait_s", "booking_s", "running", "queued", "booked_ahead_s"]
    return {"columns": [*columns, "load1"], "rows": rows}


def cpu_seconds(pid: int, children: bool = False) -> float:
    """User + system CPU seconds of a live process (with its reaped children's when ``children``)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12]) + ((int(fields[13]) + int(fields[14])) if children else 0)
    return ticks / os.sysconf("SC_CLK_TCK")


def postgres_cpu_seconds(postmaster: int) -> float:
    """The postmaster, its live backends and the backends that already exited."""
    total = cpu_seconds(postmaster, children=True)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if ppid == postmaster:
                total += cpu_seconds(int(entry.name))
    return round(total, 1)
