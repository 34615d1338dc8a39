"""Pings: what an HTTP ping means (keywords, methods, exit status) and run durations."""

import uuid
from collections.abc import Sequence
from datetime import timedelta

from gateway.domain.checks.model import Check, Ping, PingKind

__all__ = ["MAX_DURATION", "classify", "durations", "parse_rid"]

MAX_DURATION = timedelta(hours=72)


def _keywords(text: str) -> list[str]:
    return [word.strip() for word in text.split(",") if word.strip()]


def _contains_any(body: str, keywords: str) -> bool:
    return any(word in body for word in _keywords(keywords))


def classify(
    check: Check, action: str, exit_status: int | None, method: str, body: str
) -> PingKind:
    """The kind of an HTTP ping before it reaches the check.

    1. The URL gives start, fail, log, an exit status (0 success, else fail) or success.
    2. ``methods == "POST"`` and another method: ignored.
    3. With ``filter_http_body``, the body decides: failure_kw, then success_kw,
       then start_kw (comma-separated, case-sensitive substrings); no match is
       a failure with ``filter_default_fail``, else ignored.
    """
    if exit_status is not None:
        kind = PingKind.FAIL if exit_status > 0 else PingKind.SUCCESS
    else:
        kind = PingKind(action) if action else PingKind.SUCCESS
    if check.methods == "POST" and method != "POST":
        return PingKind.IGN
    if check.filter_http_body:
        if _contains_any(body, check.failure_kw):
            return PingKind.FAIL
        if _contains_any(body, check.success_kw):
            return PingKind.SUCCESS
        if _contains_any(body, check.start_kw):
            return PingKind.START
        return PingKind.FAIL if check.filter_default_fail else PingKind.IGN
    return kind


def parse_rid(text: str | None) -> str | None:
    """A run id: a canonical UUID (upper case accepted), returned lower case.

    Raises:
        ValueError: not a canonical UUID.
    """
    if text is None:
        return None
    value = str(uuid.UUID(text))
    if value != text.lower():
        raise ValueError(text)
    return value


def durations(pings: Sequence[Ping]) -> dict[int, float]:
    """Seconds each success/fail ping's run took, by ping number.

    ``pings`` is newest first. A run is matched to the latest earlier ``start``
    with the same rid (None matches None), at most 72 h back, with no
    success/fail of that rid in between; ping #1 never has a duration.
    """
    result: dict[int, float] = {}
    ordered = sorted(pings, key=lambda p: p.n)
    open_starts: dict[str | None, Ping] = {}
    for ping in ordered:
        if ping.kind is PingKind.START:
            open_starts[ping.rid] = ping
        elif ping.kind in (PingKind.SUCCESS, PingKind.FAIL):
            start = open_starts.pop(ping.rid, None)
            if start is None or ping.n == 1:
                continue
            elapsed = ping.created - start.created
            if elapsed <= MAX_DURATION:
                result[ping.n] = round(elapsed.total_seconds(), 2)
    return result
