"""OnCalendar schedules: parsing, next occurrences in a time zone, and checks using them."""

import dataclasses
from datetime import UTC, datetime

import pytest

from gateway.domain.checks import Check, CheckKind
from gateway.domain.checks.oncalendar import next_occurrence
from gateway.domain.checks.schedule import is_valid_schedule
from gateway.domain.checks.spec import apply_spec, parse_spec
from gateway.domain.checks.state import display_status, next_ping
from gateway.domain.status import Status
from tests.checks.conftest import RW, make_check

T = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)  # a Thursday


@pytest.mark.parametrize(
    ("expression", "tz", "expected"),
    [
        ("daily", "UTC", datetime(2026, 1, 16, tzinfo=UTC)),
        ("12:34", "UTC", datetime(2026, 1, 15, 12, 34, tzinfo=UTC)),
        ("12:00", "UTC", datetime(2026, 1, 16, 12, 0, tzinfo=UTC)),  # strictly after
        ("Mon *-*-* 10:00", "UTC", datetime(2026, 1, 19, 10, 0, tzinfo=UTC)),
        ("Mon..Fri 09:30 Europe/Riga", "UTC", datetime(2026, 1, 16, 7, 30, tzinfo=UTC)),
        ("09:30", "Europe/Riga", datetime(2026, 1, 16, 7, 30, tzinfo=UTC)),
        ("*-*-* *:0/15", "UTC", datetime(2026, 1, 15, 12, 15, tzinfo=UTC)),
        ("*-*-01 00:00:00\n*-*-20 06:00", "UTC", datetime(2026, 1, 20, 6, 0, tzinfo=UTC)),
        ("quarterly", "UTC", datetime(2026, 4, 1, tzinfo=UTC)),
        ("2027-03-04 05:06:07", "UTC", datetime(2027, 3, 4, 5, 6, 7, tzinfo=UTC)),
        ("2020-01-01", "UTC", None),
    ],
)
def test_next_occurrence(expression, tz, expected):
    assert next_occurrence(expression, tz, T) == expected


def test_a_summer_time_change_moves_the_utc_time():
    # Europe/Riga leaves EET (+2) for EEST (+3) on 2026-03-29.
    after = datetime(2026, 3, 28, 12, tzinfo=UTC)
    assert next_occurrence("09:00", "Europe/Riga", after) == datetime(2026, 3, 29, 6, tzinfo=UTC)


@pytest.mark.parametrize(
    ("schedule", "valid"),
    [
        ("daily", True),
        ("Sat,Sun 08:00", True),
        ("2026-02-30", False),
        ("12:34\nsurprise", False),
        ("12:34 Europe/surprise", False),
        ("* * * * * *", False),
        ("25:00", False),
        ("Funday 10:00", False),
    ],
)
def test_oncalendar_validation(schedule, valid):
    assert is_valid_schedule(schedule) is valid


def test_a_check_with_an_oncalendar_schedule():
    base = Check(uuid="00000000-0000-4000-8000-000000000001", project="p", badge_key="b", created=T)
    check = apply_spec(
        base, parse_spec({"schedule": "Mon 10:00", "grace": 3600}), version=3, channels=None
    )
    assert check.kind is CheckKind.ONCALENDAR
    up = dataclasses.replace(check, status=Status.UP, last_ping=T)
    assert next_ping(up) == datetime(2026, 1, 19, 10, tzinfo=UTC)
    assert display_status(up, datetime(2026, 1, 19, 10, 30, tzinfo=UTC)) == "grace"
    assert display_status(up, datetime(2026, 1, 19, 11, tzinfo=UTC)) == "down"
    finished = dataclasses.replace(up, schedule="2026-01-01 00:00")
    assert next_ping(finished) is None  # no occurrence left: up for good
    assert display_status(finished, datetime(2030, 1, 1, tzinfo=UTC)) == "up"


async def test_the_api_accepts_and_echoes_an_oncalendar_schedule(client):
    made = await make_check(client, schedule="Mon..Fri 09:30", tz="Europe/Riga")
    assert (made["schedule"], made["tz"]) == ("Mon..Fri 09:30", "Europe/Riga")
    assert "timeout" not in made
    bad = await client.post("/api/v3/checks/", json={"schedule": "Funday"}, headers=RW)
    assert bad.json() == {
        "error": "json validation error: schedule is not a valid cron or OnCalendar expression"
    }
