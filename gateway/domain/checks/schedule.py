"""Schedules in a time zone: validation and the next expected tick.

A schedule of one line with exactly five whitespace-separated fields is cron;
anything else is a systemd OnCalendar expression (``oncalendar.py``).
"""

import functools
import zoneinfo
from datetime import UTC, datetime

from croniter import croniter

from gateway.domain.checks.oncalendar import next_occurrence

__all__ = [
    "is_cron",
    "is_valid_schedule",
    "is_valid_tz",
    "next_oncalendar",
    "next_tick",
    "normalize_tz",
]

# Names tzdata keeps only as links; Healthchecks rewrites them before validating
# and echoes the rewritten name back.
_LEGACY_TZ = {
    "Europe/Kiev": "Europe/Kyiv",
    "UCT": "Etc/UTC",
    "CET": "Europe/Brussels",
}

_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def normalize_tz(name: str) -> str:
    return _LEGACY_TZ.get(name, name)


@functools.cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def is_valid_tz(name: str) -> bool:
    return name in _zones()


def is_cron(schedule: str) -> bool:
    return "\n" not in schedule and len(schedule.split()) == 5


def is_valid_schedule(schedule: str) -> bool:
    """A cron or OnCalendar expression with a next time after 2000-01-01.

    ``0 0 31 2 *`` and ``2026-02-30`` parse but never happen: both are invalid.
    """
    try:
        if not is_cron(schedule):
            return next_oncalendar(schedule, "UTC", _EPOCH) is not None
        return next_tick(schedule, "UTC", _EPOCH) > _EPOCH
    except (ValueError, KeyError, TypeError, OverflowError):
        # croniter raises CroniterError subclasses of ValueError, and KeyError or
        # TypeError for some malformed fields.
        return False


def next_oncalendar(schedule: str, tz: str, after: datetime) -> datetime | None:
    """The next OnCalendar occurrence strictly after ``after`` in UTC, None if none is left.

    Raises:
        ValueError: the expression cannot be parsed.
    """
    return next_occurrence(schedule, tz, after)


def next_tick(schedule: str, tz: str, after: datetime) -> datetime:
    """The first tick strictly after ``after``, in UTC.

    The iteration runs on time-zone-aware local times, so ticks in a DST gap
    or overlap are handled by croniter, and the result is converted to UTC.

    Raises:
        ValueError: the expression has no next tick or is malformed.
    """
    local = after.astimezone(zoneinfo.ZoneInfo(tz))
    result: datetime = croniter(schedule, local).get_next(datetime)
    return result.astimezone(UTC)
