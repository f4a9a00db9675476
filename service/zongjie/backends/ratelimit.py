"""Provider rate limits shared by every process that calls one LLM endpoint: requests/min and tokens/min.

Contract (``RateLimiter``): ``reserve(tokens)`` books the next slot for one request of about ``tokens`` tokens
and returns the seconds the caller must wait before sending it (0 when it may go now); ``settle(reserved, used)``
corrects the token account once the real usage is known; ``penalize(seconds)`` pushes every caller back after
the provider answered 429 (its Retry-After). Limits of 0 mean unlimited. Safe from many threads; the ``database``
limiter is also shared by every process on one PostgreSQL.

The algorithm is GCRA (the generic cell rate algorithm, a token bucket kept as one "theoretical arrival time" per
resource): a request costs ``60 / rpm`` seconds of request time and ``tokens × 60 / tpm`` seconds of token time;
the bucket holds ``burst`` requests' worth of slack. Reservations are first come, first served, so waiting callers
never poll. ``RateLimitedTransport`` applies a limiter to every HTTP request an OpenAI client sends (retries
included) and feeds 429 / Retry-After and the answer's usage back into it.
"""

from __future__ import annotations

import json
import logging
import math
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from ..common.registry import Registry
from ..settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limits:
    requests_per_minute: float = 0
    tokens_per_minute: float = 0
    burst: float = 1.0  # requests (and the matching tokens) that may go at once

    @property
    def enabled(self) -> bool:
        return self.requests_per_minute > 0 or self.tokens_per_minute > 0

    def costs(self, tokens: float) -> tuple[float, float]:
        """Seconds of request time and of token time one request of ``tokens`` uses."""
        req = 60.0 / self.requests_per_minute if self.requests_per_minute > 0 else 0.0
        tok = tokens * 60.0 / self.tokens_per_minute if self.tokens_per_minute > 0 else 0.0
        return req, tok

    def tolerance(self) -> float:
        """Seconds either account may run ahead of now: ``burst - 1`` requests' worth (1 s per extra request when
        only tokens are limited). A request is charged after it goes, so one large request can always go."""
        per_request = 60.0 / self.requests_per_minute if self.requests_per_minute > 0 else 1.0
        return (self.burst - 1) * per_request


def gcra(now: float, tat_req: float, tat_tok: float, limits: Limits, tokens: float) -> tuple[float, float, float]:
    """Book one request at ``now``: (wait seconds, new request TAT, new token TAT)."""
    cost_req, cost_tok = limits.costs(tokens)
    tol = limits.tolerance()
    start_req, start_tok = max(tat_req, now), max(tat_tok, now)
    wait = max(0.0, start_req - tol - now, start_tok - tol - now)
    # the request goes at now + wait; both accounts advance from there
    send = now + wait
    return wait, max(start_req, send) + cost_req, max(start_tok, send) + cost_tok


def penalty(now: float, tat_req: float, tat_tok: float, limits: Limits, seconds: float) -> tuple[float, float]:
    """After a 429 asking for ``seconds``: (new request TAT, new token TAT). No booking goes before ``now +
    seconds`` — the burst tolerance does not let one slip in early — and bookings already further ahead keep
    their place (a Retry-After never adds to the queue, it only bounds it below)."""
    until = now + seconds + limits.tolerance()
    return max(tat_req, until), max(tat_tok, until)


class RateLimiter(ABC):
    """``clock``: epoch seconds now (``time.time``); tests pass their own to check the limiter's decisions. The
    database limiter reads PostgreSQL's clock unless one is given."""

    def __init__(self, key: str, limits: Limits, clock: Callable[[], float] | None = None):
        self.key = key
        self.limits = limits
        self.clock = clock
        self.penalties = 0  # 429s this process reported (diagnostics)

    def now(self) -> float:
        return self.clock() if self.clock is not None else time.time()

    @abstractmethod
    def reserve(self, tokens: int) -> float: ...

    @abstractmethod
    def settle(self, reserved: int, used: int) -> None: ...

    @abstractmethod
    def penalize(self, seconds: float) -> None: ...

    def acquire(self, tokens: int) -> float:
        """Reserve and sleep until the slot; the seconds waited."""
        wait = self.reserve(tokens)
        if wait > 0:
            time.sleep(wait)
        return wait


RATE_LIMITERS: Registry[RateLimiter] = Registry("rate limiter")


class MemoryRateLimiter(RateLimiter):
    """One process: the accounts live in this object (share it between threads)."""

    def __init__(self, key: str, limits: Limits, clock: Callable[[], float] | None = None):
        super().__init__(key, limits, clock)
        self._lock = threading.Lock()
        self._tat_req = self._tat_tok = 0.0

    def reserve(self, tokens: int) -> float:
        with self._lock:
            wait, self._tat_req, self._tat_tok = gcra(self.now(), self._tat_req, self._tat_tok, self.limits, tokens)
            return wait

    def settle(self, reserved: int, used: int) -> None:
        if self.limits.tokens_per_minute > 0 and used != reserved:
            with self._lock:
                self._tat_tok += (used - reserved) * 60.0 / self.limits.tokens_per_minute

    def penalize(self, seconds: float) -> None:
        with self._lock:
            self.penalties += 1
            self._tat_req, self._tat_tok = penalty(self.now(), self._tat_req, self._tat_tok, self.limits, seconds)


class DatabaseRateLimiter(RateLimiter):
    """Every process on one database shares the accounts: a row per endpoint in ``llm_rate_limits``, updated
    under a row lock, timed by the database's clock (hosts' clocks may differ). On PostgreSQL a booking is one
    statement (``_BOOK_SQL``, the same arithmetic as ``gcra``) in its own transaction."""

    def __init__(self, key: str, limits: Limits, engine, clock: Callable[[], float] | None = None):
        super().__init__(key, limits, clock)
        self.engine = engine
        self._postgresql = engine.dialect.name == "postgresql"
        self._autocommit = engine.execution_options(isolation_level="AUTOCOMMIT")
        self._ensured = False

    def _ensure(self, conn) -> None:
        from sqlalchemy import text

        if not self._ensured:
            conn.execute(
                text(
                    "INSERT INTO llm_rate_limits (endpoint, tat_requests, tat_tokens) VALUES (:k, 0, 0) "
                    "ON CONFLICT (endpoint) DO NOTHING"
                ),
                {"k": self.key},
            )
            self._ensured = True

    def reserve(self, tokens: int) -> float:
        from sqlalchemy import text

        cost_req, cost_tok = self.limits.costs(tokens)
        if self._postgresql:
            # one statement in its own transaction: the row is locked only while PostgreSQL runs it, never across
            # a round trip to this process (which may be descheduled while holding it: every booker would queue)
            with self._autocommit.connect() as conn:
                self._ensure(conn)
                return float(
                    conn.execute(
                        text(_BOOK_SQL),
                        {
                            "k": self.key,
                            "now": self.clock() if self.clock is not None else None,
                            "tol": self.limits.tolerance(),
                            "cr": cost_req,
                            "ct": cost_tok,
                        },
                    ).scalar_one()
                )
        with self.engine.begin() as conn:
            self._ensure(conn)
            row = conn.execute(
                text("SELECT tat_requests, tat_tokens FROM llm_rate_limits WHERE endpoint = :k"), {"k": self.key}
            ).one()
            wait, tat_req, tat_tok = gcra(self.now(), row[0], row[1], self.limits, tokens)
            conn.execute(
                text("UPDATE llm_rate_limits SET tat_requests = :r, tat_tokens = :t WHERE endpoint = :k"),
                {"r": tat_req, "t": tat_tok, "k": self.key},
            )
            return wait

    def settle(self, reserved: int, used: int) -> None:
        from sqlalchemy import text

        if self.limits.tokens_per_minute > 0 and used != reserved:
            with self._autocommit.connect() if self._postgresql else self.engine.begin() as conn:
                conn.execute(
                    text("UPDATE llm_rate_limits SET tat_tokens = tat_tokens + :d WHERE endpoint = :k"),
                    {"d": (used - reserved) * 60.0 / self.limits.tokens_per_minute, "k": self.key},
                )

    def penalize(self, seconds: float) -> None:
        from sqlalchemy import text

        self.penalties += 1
        now = _PG_NOW if self._postgresql else ":now"
        with self._autocommit.connect() if self._postgresql else self.engine.begin() as conn:
            self._ensure(conn)
            conn.execute(  # ``penalty`` in one statement
                text(
                    f"UPDATE llm_rate_limits SET tat_requests = GREATEST(tat_requests, {now} + :s), "
                    f"tat_tokens = GREATEST(tat_tokens, {now} + :s) WHERE endpoint = :k"
                ),
                {
                    "s": seconds + self.limits.tolerance(),
                    "now": self.now() if self.clock is not None or not self._postgresql else None,
                    "k": self.key,
                },
            )


# the limiter's clock when it has one, else the database's (read after the row lock is taken)
_PG_NOW = "COALESCE(CAST(:now AS float8), extract(epoch FROM clock_timestamp()))"

# ``gcra`` in one PostgreSQL statement
_BOOK_SQL = f"""
WITH locked AS (
    SELECT endpoint, tat_requests, tat_tokens FROM llm_rate_limits WHERE endpoint = :k FOR UPDATE
), clock AS (
    SELECT endpoint, tat_requests, tat_tokens, {_PG_NOW} AS now FROM locked
), start AS (
    SELECT endpoint, now, GREATEST(tat_requests, now) AS req, GREATEST(tat_tokens, now) AS tok FROM clock
), slot AS (
    SELECT endpoint, now, req, tok, now + GREATEST(0, req - :tol - now, tok - :tol - now) AS send FROM start
)
UPDATE llm_rate_limits AS l
SET tat_requests = GREATEST(slot.req, slot.send) + :cr, tat_tokens = GREATEST(slot.tok, slot.send) + :ct
FROM slot WHERE l.endpoint = slot.endpoint
RETURNING slot.send - slot.now
"""


def endpoint_key(settings: Settings) -> str:
    return f"{(settings.llm_base_url or '').rstrip('/')}|{settings.llm_model}"


def limits_from(settings: Settings) -> Limits:
    return Limits(settings.llm_requests_per_minute, settings.llm_tokens_per_minute, settings.llm_rate_burst)


@RATE_LIMITERS.register("memory")
def _memory(settings: Settings, engine=None) -> RateLimiter:
    return MemoryRateLimiter(endpoint_key(settings), limits_from(settings))


@RATE_LIMITERS.register("database")
def _database(settings: Settings, engine=None) -> RateLimiter:
    from sqlalchemy import create_engine

    return DatabaseRateLimiter(
        endpoint_key(settings), limits_from(settings), engine or create_engine(settings.effective_database_url)
    )


_SHARED: dict[tuple, RateLimiter] = {}
_SHARED_LOCK = threading.Lock()


def rate_limiter_for(settings: Settings) -> RateLimiter | None:
    """The limiter of the configured endpoint (one per process and endpoint, so all threads share it), or None
    when no limit is set. ``llm_rate_limiter=auto`` is ``database`` on PostgreSQL and ``memory`` otherwise."""
    limits = limits_from(settings)
    if not limits.enabled:
        return None
    name = settings.llm_rate_limiter
    if name == "auto":
        name = "database" if settings.effective_database_url.startswith("postgresql") else "memory"
    key = (name, endpoint_key(settings), limits, settings.effective_database_url if name == "database" else "")
    with _SHARED_LOCK:
        if key not in _SHARED:
            _SHARED[key] = RATE_LIMITERS.make(name, settings)
        return _SHARED[key]


def estimate_tokens(body: bytes) -> int:
    """Tokens a chat request will use, before it is sent: its messages' characters (a Chinese character is
    about one token or less, so this errs high) plus ``max_tokens`` when set, else 512 for the answer."""
    try:
        payload = json.loads(body or b"{}")
    except ValueError:
        return len(body or b"") // 3
    chars = sum(len(m.get("content") or "") for m in payload.get("messages", []) if isinstance(m, dict))
    return chars + int(payload.get("max_tokens") or payload.get("max_completion_tokens") or 512)


def retry_after_seconds(response: httpx.Response, default: float = 1.0) -> float:
    """Seconds from Retry-After (seconds or an HTTP date) or retry-after-ms; ``default`` when absent."""
    ms = response.headers.get("retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    value = response.headers.get("retry-after")
    if value:
        try:
            return max(0.0, float(value))
        except ValueError:
            from email.utils import parsedate_to_datetime

            try:
                return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
            except (TypeError, ValueError):
                pass
    return default


class RateLimitedTransport(httpx.BaseTransport):
    """An httpx transport that waits for the limiter before each request and reports 429s and usage to it."""

    def __init__(self, limiter: RateLimiter, inner: httpx.BaseTransport | None = None):
        self.limiter = limiter
        self.inner = inner or httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        tokens = estimate_tokens(body)
        asked = time.monotonic()
        waited = self.limiter.reserve(tokens)
        booking = time.monotonic() - asked
        if waited > 0:
            time.sleep(waited)
        log.debug("rate slot waited=%.3f booking=%.3f tokens=%d", waited, booking, tokens)
        response = self.inner.handle_request(request)
        if response.status_code == 429:
            retry_after = retry_after_seconds(response)
            log.info("rate 429 retry_after=%.3f", retry_after)
            self.limiter.penalize(retry_after)
            return response
        if response.status_code == 200 and "json" in response.headers.get("content-type", ""):
            content = response.read()
            try:
                used = int((json.loads(content).get("usage") or {}).get("total_tokens") or tokens)
            except (ValueError, AttributeError, TypeError):
                used = tokens
            self.limiter.settle(tokens, used)
            return httpx.Response(
                response.status_code,
                headers=response.headers,
                content=content,
                request=request,
                extensions=response.extensions,
            )
        return response

    def close(self) -> None:
        self.inner.close()


def calls_in_flight_bound(settings: Settings) -> int | None:
    """The most calls the configured request limit can have in flight at once: the burst plus a minute's
    requests for every minute a call may last (``llm_timeout``); None without a request limit."""
    limits = limits_from(settings)
    if limits.requests_per_minute <= 0:
        return None
    return max(1, math.ceil(limits.burst + limits.requests_per_minute * settings.llm_timeout / 60.0))


def draft_concurrency(settings: Settings) -> int:
    """Calls one draft may have in flight: ``llm_max_concurrency`` (a safety bound), lowered to what the request
    limit can ever let through (more would only sleep in the limiter)."""
    bound = calls_in_flight_bound(settings)
    return settings.llm_max_concurrency if bound is None else min(settings.llm_max_concurrency, bound)


_CLIENTS: dict[tuple, httpx.Client] = {}


def rate_limited_client(settings: Settings) -> httpx.Client | None:
    """An httpx client for the OpenAI SDK that keeps the configured provider limits; None when there are none.

    One client per process and limiter, shared by every job and thread (httpx clients are thread-safe): building a
    transport loads the CA bundle into a new SSL context, which cost a worker more CPU per draft job than the job's
    own database writes, and a shared client keeps its connections alive between jobs."""
    limiter = rate_limiter_for(settings)
    if limiter is None:
        return None
    key = (id(limiter), settings.llm_timeout)
    with _SHARED_LOCK:
        client = _CLIENTS.get(key)
        if client is None or client.is_closed:
            # the connection pool is sized from the limit: a fixed pool (httpx's 100) would hold calls back that
            # the limit lets go, when many drafts of this process write at once
            bound = calls_in_flight_bound(settings)
            pool = httpx.Limits(max_connections=bound, max_keepalive_connections=min(bound or 100, 100))
            client = _CLIENTS[key] = httpx.Client(
                transport=RateLimitedTransport(limiter, httpx.HTTPTransport(limits=pool)), timeout=settings.llm_timeout
            )
        return client
