"""Uptime of a source over a window, computed from its flips."""

from collections.abc import Sequence
from datetime import datetime

from gateway.domain.status import Flip, Status

__all__ = ["MONITORED", "UP_LIKE", "uptime_ratio"]

# Time in these statuses counts as up; DOWN counts as down; the rest (NEW,
# PAUSED, UNKNOWN) is time nobody was watching and is left out of the ratio.
UP_LIKE = frozenset({Status.UP, Status.GRACE, Status.DEGRADED})
MONITORED = UP_LIKE | {Status.DOWN}


def uptime_ratio(
    flips: Sequence[Flip], current: Status, start: datetime, end: datetime
) -> float | None:
    """The share of monitored time in ``[start, end)`` that the source was up.

    Args:
        flips: the source's flips, in any order; those outside the window only
            tell the status at its start.
        current: the status now (after the last flip).
        start, end: the window.

    Returns:
        A ratio from 0 to 1, or None when the source was never monitored in the window.
    """
    ordered = sorted(flips, key=lambda flip: flip.at)
    before = [flip for flip in ordered if flip.at <= start]
    inside = [flip for flip in ordered if start < flip.at < end]
    if before:
        status = before[-1].to_status
    elif inside:
        status = inside[0].from_status
    else:
        status = current
    up = monitored = 0.0
    cursor = start
    for flip in [*inside, None]:
        until = end if flip is None else flip.at
        span = (until - cursor).total_seconds()
        if status in MONITORED:
            monitored += span
            if status in UP_LIKE:
                up += span
        if flip is not None:
            cursor, status = flip.at, flip.to_status
    return up / monitored if monitored > 0 else None
