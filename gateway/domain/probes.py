"""Probe results and scheduling maths: pure, ``now`` is always an argument."""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from gateway.domain.status import Status

__all__ = [
    "BACKOFF_CAP",
    "Fetched",
    "ProbeFailure",
    "ProbeSample",
    "next_probe_at",
    "retry_delay",
]

# A failing source waits interval, 2x, 4x, 8x, then 10x its interval at most.
BACKOFF_CAP = 10.0


@dataclass(frozen=True)
class Fetched:
    """An upstream answered: its status, reason phrase and body (read up to the cap)."""

    status_code: int
    reason: str
    body: bytes
    latency_ms: float


@dataclass(frozen=True)
class ProbeFailure:
    """An upstream could not be read: a short human message ("connection refused")."""

    message: str
    latency_ms: float


@dataclass(frozen=True)
class ProbeSample:
    """One probe as kept in the recent history (response-time charts, uptime)."""

    at: datetime
    status: Status
    latency_ms: float | None
    error: str | None = field(default=None)


def retry_delay(interval: float, failures: int) -> float:
    """Seconds until the next probe: the interval, doubled per consecutive failure,
    capped at ``BACKOFF_CAP`` x the interval."""
    if failures <= 1:
        return interval
    factor = min(2.0 ** (failures - 1), BACKOFF_CAP)
    return interval * factor


def next_probe_at(
    now: datetime,
    interval: float,
    failures: int,
    max_jitter: float,
    rng: random.Random | None = None,
) -> datetime:
    """When to probe again: ``retry_delay``, brought forward by up to ``max_jitter``
    seconds (never more than 5 % of the interval), so sources declared together
    drift apart instead of probing in bursts. Only earlier, never later: no source
    is left staler than its interval by the jitter."""
    delay = retry_delay(interval, failures)
    spread = min(max_jitter, interval * 0.05)
    if spread > 0:
        delay -= (rng or random).uniform(0, spread)
    return now + timedelta(seconds=delay)
