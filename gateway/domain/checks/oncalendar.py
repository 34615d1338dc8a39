"""systemd OnCalendar expressions: parsing and the next occurrence.

Supported: ``[weekdays] [date] [time] [time zone]`` per line, where each date
and time component is ``*``, a value, a list (``a,b``), a range (``a..b``) and
a repetition (``a/step``, ``*/step``); and the shorthands ``minutely``,
``hourly``, ``daily``, ``weekly``, ``monthly``, ``quarterly``,
``semiannually``, ``yearly``/``annually``. Several lines are alternatives.
"""

import zoneinfo
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import product

__all__ = ["next_occurrence", "parse_oncalendar"]

_WEEKDAYS = {
    name: number
    for number, names in enumerate(
        [
            ("mon", "monday"),
            ("tue", "tuesday"),
            ("wed", "wednesday"),
            ("thu", "thursday"),
            ("fri", "friday"),
            ("sat", "saturday"),
            ("sun", "sunday"),
        ]
    )
    for name in names
}
_SHORTHANDS = {
    "minutely": "*-*-* *:*:00",
    "hourly": "*-*-* *:00:00",
    "daily": "*-*-* 00:00:00",
    "weekly": "Mon *-*-* 00:00:00",
    "monthly": "*-*-01 00:00:00",
    "quarterly": "*-01,04,07,10-01 00:00:00",
    "semiannually": "*-01,07-01 00:00:00",
    "yearly": "*-01-01 00:00:00",
    "annually": "*-01-01 00:00:00",
}
_SEARCH_DAYS = 366 * 28  # weekday and leap-year patterns repeat within 28 years


@dataclass(frozen=True)
class _Line:
    weekdays: frozenset[int]
    years: frozenset[int] | None  # None: any year
    months: frozenset[int]
    days: frozenset[int]
    hours: tuple[int, ...]
    minutes: tuple[int, ...]
    seconds: tuple[int, ...]
    tz: str | None


def _values(text: str, low: int, high: int) -> frozenset[int]:
    """A component: ``*``, ``5``, ``1,2``, ``1..5``, ``*/15``, ``0/20``, ``1..10/2``."""
    result: set[int] = set()
    for item in text.split(","):
        step = 1
        if "/" in item:
            item, step_text = item.split("/", 1)
            step = int(step_text)
            if step < 1:
                raise ValueError(text)
        if item == "*":
            start, end = low, high
        elif ".." in item:
            first, last = item.split("..", 1)
            start, end = int(first), int(last)
        else:
            start = int(item)
            end = high if "/" in text else start
        if not low <= start <= end <= high:
            raise ValueError(text)
        result.update(range(start, end + 1, step))
    return frozenset(result)


def _weekdays(text: str) -> frozenset[int]:
    result: set[int] = set()
    for item in text.lower().split(","):
        if ".." in item:
            first, last = (_WEEKDAYS[part] for part in item.split("..", 1))
            result.update(range(first, last + 1) if first <= last else [])
        else:
            result.add(_WEEKDAYS[item])
    if not result:
        raise ValueError(text)
    return frozenset(result)


def _line(text: str) -> _Line:
    tokens = text.split()
    if len(tokens) == 1 and tokens[0].lower() in _SHORTHANDS:
        tokens = _SHORTHANDS[tokens[0].lower()].split()
    if not tokens:
        raise ValueError("empty expression")
    weekdays = frozenset(range(7))
    tz = None
    if tokens[0][0].isalpha():
        weekdays = _weekdays(tokens.pop(0))
    if tokens and (("/" in tokens[-1] and tokens[-1][0].isalpha()) or tokens[-1] == "UTC"):
        tz = tokens.pop()
        zoneinfo.ZoneInfo(tz)  # raises for an unknown zone
    date_text, time_text = "*-*-*", "00:00:00"
    for token in tokens:
        if ":" in token and time_text == "00:00:00" and token is tokens[-1]:
            time_text = token
        elif "-" in token and date_text == "*-*-*":
            date_text = token
        else:
            raise ValueError(token)
    date_parts = date_text.split("-")
    if len(date_parts) == 2:
        date_parts.insert(0, "*")
    if len(date_parts) != 3:
        raise ValueError(date_text)
    time_parts = time_text.split(":")
    if len(time_parts) == 2:
        time_parts.append("00")
    if len(time_parts) != 3:
        raise ValueError(time_text)
    year_text, month_text, day_text = date_parts
    return _Line(
        weekdays=weekdays,
        years=None if year_text == "*" else _values(year_text, 1970, 2199),
        months=_values(month_text, 1, 12),
        days=_values(day_text, 1, 31),
        hours=tuple(sorted(_values(time_parts[0], 0, 23))),
        minutes=tuple(sorted(_values(time_parts[1], 0, 59))),
        seconds=tuple(sorted(_values(time_parts[2], 0, 59))),
        tz=tz,
    )


def parse_oncalendar(expression: str) -> list[_Line]:
    """Parse every line.

    Raises:
        ValueError: a line is not a supported OnCalendar expression.
    """
    try:
        return [_line(line) for line in expression.strip().split("\n")]
    except (KeyError, IndexError, zoneinfo.ZoneInfoNotFoundError) as exc:
        raise ValueError(str(exc)) from None


def _next_for_line(line: _Line, tz: str, after: datetime) -> datetime | None:
    zone = zoneinfo.ZoneInfo(line.tz or tz)
    local = after.astimezone(zone)
    day = local.date()
    times = list(product(line.hours, line.minutes, line.seconds))
    for _ in range(_SEARCH_DAYS):
        if (
            (line.years is None or day.year in line.years)
            and day.month in line.months
            and day.day in line.days
            and day.weekday() in line.weekdays
        ):
            for hour, minute, second in times:
                candidate = datetime(
                    day.year, day.month, day.day, hour, minute, second, tzinfo=zone
                ).astimezone(UTC)
                if candidate > after:
                    return candidate
        day += timedelta(days=1)
        if line.years is not None and day.year > max(line.years):
            return None
    return None


def next_occurrence(expression: str, tz: str, after: datetime) -> datetime | None:
    """The first occurrence strictly after ``after``, in UTC, or None when there is none.

    Raises:
        ValueError: the expression cannot be parsed.
    """
    found = [_next_for_line(line, tz, after) for line in parse_oncalendar(expression)]
    candidates = [when for when in found if when is not None]
    return min(candidates) if candidates else None
