from datetime import UTC, datetime, timedelta

import pytest

from gateway.domain.status import Flip, SourceKind, SourceRef, Status
from gateway.domain.uptime import uptime_ratio

T0 = datetime(2026, 5, 1, tzinfo=UTC)
DAY = timedelta(days=1)


def flip(hours: float, frm: Status, to: Status) -> Flip:
    return Flip(
        project="p",
        source=SourceRef(SourceKind.CONNECTOR, "1"),
        name="c",
        from_status=frm,
        to_status=to,
        at=T0 + timedelta(hours=hours),
    )


def test_no_flips_means_the_current_status_all_window():
    assert uptime_ratio([], Status.UP, T0, T0 + DAY) == 1.0
    assert uptime_ratio([], Status.DOWN, T0, T0 + DAY) == 0.0
    assert uptime_ratio([], Status.PAUSED, T0, T0 + DAY) is None


def test_six_hours_down_in_a_day_is_75_percent():
    flips = [flip(6, Status.UP, Status.DOWN), flip(12, Status.DOWN, Status.UP)]
    assert uptime_ratio(flips, Status.UP, T0, T0 + DAY) == pytest.approx(0.75)


def test_a_flip_before_the_window_sets_its_starting_status():
    flips = [flip(-5, Status.UP, Status.DOWN), flip(12, Status.DOWN, Status.UP)]
    assert uptime_ratio(flips, Status.UP, T0, T0 + DAY) == pytest.approx(0.5)


def test_paused_and_new_time_is_left_out():
    flips = [
        flip(0.0001, Status.NEW, Status.UP),
        flip(12, Status.UP, Status.PAUSED),
        flip(18, Status.PAUSED, Status.DOWN),
    ]
    # 12 h up, 6 h paused (ignored), 6 h down: 12 / 18.
    assert uptime_ratio(flips, Status.DOWN, T0, T0 + DAY) == pytest.approx(12 / 18, rel=1e-4)


def test_grace_and_degraded_count_as_up():
    flips = [flip(6, Status.UP, Status.GRACE), flip(12, Status.GRACE, Status.DEGRADED)]
    assert uptime_ratio(flips, Status.DEGRADED, T0, T0 + DAY) == 1.0
