"""A provider's rate limit for the scripted OpenAI server: requests/min enforced with 429 + Retry-After.

    with ScriptedOpenAI(limited(good_script, rpm=600)) as server: ...

``limited(script, rpm, burst)`` answers like ``script`` while requests arrive within ``rpm`` (GCRA: one request
per ``60/rpm`` s, ``burst`` at once) and 429 with a Retry-After (whole seconds, as providers send it) beyond it.
``stats()`` on the returned script counts what was accepted and refused; ``accepted`` and ``refused_at`` hold their
times (``time.monotonic()``).
"""

from __future__ import annotations

import math
import threading
import time

from .scripted_openai import Reply, Script


class LimitedScript:
    def __init__(self, script: Script, rpm: float, burst: float = 1.0):
        self.script = script
        self.interval = 60.0 / rpm
        self.tolerance = (burst - 1) * self.interval
        self._tat = 0.0
        self._lock = threading.Lock()
        self.accepted: list[float] = []  # time.monotonic() of every accepted request
        self.refused_at: list[float] = []  # … and of every refused one

    def __call__(self, request: dict, n: int) -> Reply:
        with self._lock:
            now = time.monotonic()
            start = max(self._tat, now)
            if start - self.tolerance > now + 1e-6:
                self.refused_at.append(now)
                retry = start - self.tolerance - now
                return Reply(status=429, headers={"Retry-After": str(max(1, math.ceil(retry)))})
            self._tat = start + self.interval
            self.accepted.append(now)
        return self.script(request, n)

    @property
    def refused(self) -> int:
        return len(self.refused_at)

    def stats(self) -> dict:
        with self._lock:
            return {"accepted": len(self.accepted), "refused": self.refused}


def limited(script: Script, rpm: float, burst: float = 1.0) -> LimitedScript:
    return LimitedScript(script, rpm, burst)
