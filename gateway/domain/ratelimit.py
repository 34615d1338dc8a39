"""A fixed-window rate limit per key, as Confluent's API reports it (relative reset)."""

import math
from dataclasses import dataclass
from datetime import datetime

__all__ = ["RateDecision", "RateLimiter"]


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int  # until the window resets, relative (not an epoch)


class RateLimiter:
    """``limit`` requests per ``window`` seconds per key; ``now`` is passed in.

    Usage: ``RateLimiter().hit("key-id", now, limit=60, window=60)``
    """

    def __init__(self) -> None:
        self._windows: dict[str, tuple[float, int]] = {}

    def hit(self, key: str, now: datetime, *, limit: int, window: int) -> RateDecision:
        stamp = now.timestamp()
        start = math.floor(stamp / window) * window
        opened, used = self._windows.get(key, (start, 0))
        if opened != start:
            opened, used = start, 0
            if len(self._windows) > 10_000:  # forget idle keys; their windows are over
                self._windows = {k: v for k, v in self._windows.items() if v[0] == start}
        reset = max(1, math.ceil(start + window - stamp))
        if used >= limit:
            return RateDecision(False, limit, 0, reset)
        self._windows[key] = (opened, used + 1)
        return RateDecision(True, limit, limit - used - 1, reset)
