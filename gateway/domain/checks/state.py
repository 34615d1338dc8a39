"""The status engine: a check's status, deadlines and pings at a given ``now``.

Everything here is pure: the caller passes ``now``, nothing reads a clock.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from gateway.domain.checks.evolve import evolve
from gateway.domain.checks.model import Check, CheckKind, PingKind
from gateway.domain.checks.schedule import next_oncalendar, next_tick
from gateway.domain.status import Status

__all__ = [
    "PingEffect",
    "alert_after",
    "apply_ping",
    "display_status",
    "expected_at",
    "going_down_after",
    "next_ping",
    "notifies",
    "pause",
    "resume",
]

STARTED = "started"


def expected_at(check: Check) -> datetime | None:
    """When the next ping is due (the grace period starts), only while stored up.

    Simple checks: last ping + timeout. Cron and OnCalendar checks: the next
    tick strictly after the last ping, computed in the check's time zone.

    Raises:
        ValueError: the stored schedule cannot be evaluated.
    """
    if check.status is not Status.UP or check.last_ping is None:
        return None
    if check.kind is CheckKind.SIMPLE:
        return check.last_ping + timedelta(seconds=check.timeout)
    if check.kind is CheckKind.ONCALENDAR:
        # No occurrence left: the check stays up for good.
        return next_oncalendar(check.schedule, check.tz, check.last_ping)
    return next_tick(check.schedule, check.tz, check.last_ping)


def next_ping(check: Check) -> datetime | None:
    """``next_ping`` of the API: the expected time, or the start of a run in progress."""
    result = expected_at(check)
    if check.last_start is not None and check.status is not Status.DOWN:
        result = check.last_start if result is None else min(result, check.last_start)
    return result


def going_down_after(check: Check) -> datetime | None:
    """When the check goes down unless pinged (next_ping + grace), or None."""
    start = next_ping(check)
    return None if start is None else start + timedelta(seconds=check.grace)


def alert_after(check: Check) -> datetime | None:
    """What the sweeper stores; a schedule that cannot be evaluated is retried in an hour."""
    try:
        return going_down_after(check)
    except ValueError:
        return None


def display_status(check: Check, now: datetime, *, v1: bool = False) -> str:
    """The status the API shows at ``now``: new, up, grace, down, paused (v1 also started).

    1. A run started longer than the grace period ago is down, whatever the stored status.
    2. Else a run in progress is ``started`` for v1 callers.
    3. Stored new, paused or down are shown as stored.
    4. Up: down past expected + grace, grace past expected, else up.
    """
    grace = timedelta(seconds=check.grace)
    if check.last_start is not None:
        if now >= check.last_start + grace:
            return Status.DOWN.value
        if v1:
            return STARTED
    if check.status in (Status.NEW, Status.PAUSED, Status.DOWN):
        return check.status.value
    expected = expected_at(check)
    if expected is None:
        return Status.UP.value
    if now >= expected + grace:
        return Status.DOWN.value
    if now >= expected:
        return Status.GRACE.value
    return Status.UP.value


def notifies(from_status: Status, to_status: Status) -> bool:
    """Whether a flip is sent to the check's channels: changes to down, and down to up."""
    if to_status is Status.DOWN:
        return True
    return to_status is Status.UP and from_status is Status.DOWN


@dataclass(frozen=True)
class PingEffect:
    """What a ping did: the check after it, the kind it was stored as, and a flip if any."""

    check: Check
    kind: PingKind
    flip_from: Status | None = None
    flip_to: Status | None = None
    flip_reason: str = ""


def apply_ping(check: Check, kind: PingKind, now: datetime, rid: str | None) -> PingEffect:
    """Apply one ping to ``check`` (Healthchecks' ``Check.ping``).

    1. A paused check with manual_resume ignores every ping.
    2. ``start`` records the run start and its rid; last ping and status stay.
    3. ``success``/``fail`` set last_ping; a start with the same rid ends with a
       duration; a fail, or a ping without rid, forgets the start; the status
       becomes up or down, with a flip when it changes.
    4. ``log``/``ign`` change nothing but the count.
    """
    if check.status is Status.PAUSED and check.manual_resume:
        kind = PingKind.IGN
    changes: dict[str, object] = {"n_pings": check.n_pings + 1}
    flip_from: Status | None = None
    flip_to: Status | None = None
    reason = ""
    if kind is PingKind.START:
        changes.update(last_start=now, last_start_rid=rid)
    elif kind in (PingKind.SUCCESS, PingKind.FAIL):
        changes["last_ping"] = now
        if check.last_start is not None and check.last_start_rid == rid:
            changes.update(
                last_duration=(now - check.last_start).total_seconds(),
                last_start=None,
                last_start_rid=None,
            )
        elif kind is PingKind.FAIL or rid is None:
            changes.update(last_start=None, last_start_rid=None)
        new_status = Status.DOWN if kind is PingKind.FAIL else Status.UP
        if check.status is not new_status:
            flip_from, flip_to = check.status, new_status
            reason = "fail" if kind is PingKind.FAIL else ""
            changes["status"] = new_status
    after = evolve(check, **changes)
    after = evolve(after, alert_after=alert_after(after))
    return PingEffect(after, kind, flip_from, flip_to, reason)


def pause(check: Check) -> Check:
    """Paused: no deadline and no run in progress (a later start ping may begin one)."""
    return evolve(
        check, status=Status.PAUSED, last_start=None, last_start_rid=None, alert_after=None
    )


def resume(check: Check) -> Check:
    """Back to new: monitoring starts again with the next ping."""
    return evolve(
        check,
        status=Status.NEW,
        last_ping=None,
        last_start=None,
        last_start_rid=None,
        alert_after=None,
    )
