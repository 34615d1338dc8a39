"""The status engine at a given now: status, deadlines, pings, pause and resume."""

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from gateway.domain.checks import Check, CheckKind, PingKind
from gateway.domain.checks.state import (
    alert_after,
    apply_ping,
    display_status,
    next_ping,
    notifies,
    pause,
    resume,
)
from gateway.domain.status import Status

T0 = datetime(2000, 1, 1, tzinfo=UTC)
RID_A = "7d0e1f3a-1111-4a4a-8888-000000000001"
RID_B = "7d0e1f3a-1111-4a4a-8888-000000000002"


def make(**fields) -> Check:
    base = Check(
        uuid="00000000-0000-4000-8000-000000000001", project="p", badge_key="b", created=T0
    )
    return dataclasses.replace(base, **fields)


def at(**delta) -> datetime:
    return T0 + timedelta(**delta)


@pytest.mark.parametrize(
    ("schedule", "tz"), [("0 0 * * *", "UTC"), ("0 10 * * *", "Australia/Brisbane")]
)
def test_it_follows_the_cron_anchors(schedule, tz):
    check = make(
        kind=CheckKind.CRON, schedule=schedule, tz=tz, grace=3600, status=Status.UP, last_ping=T0
    )
    assert display_status(check, at(hours=23, minutes=59)) == "up"
    assert display_status(check, at(hours=24)) == "grace"
    assert display_status(check, at(hours=25)) == "down"
    assert next_ping(check) == at(hours=24)
    assert alert_after(check) == at(hours=25)


def test_a_simple_check_is_due_after_its_timeout():
    check = make(timeout=600, grace=60, status=Status.UP, last_ping=T0)
    assert display_status(check, at(seconds=599)) == "up"
    assert display_status(check, at(seconds=600)) == "grace"
    assert display_status(check, at(seconds=660)) == "down"
    assert alert_after(check) == at(seconds=660)


@pytest.mark.parametrize("status", [Status.NEW, Status.PAUSED, Status.DOWN])
def test_new_paused_and_down_show_as_stored_without_deadline(status):
    check = make(status=status, last_ping=T0 if status is Status.DOWN else None)
    assert display_status(check, at(days=400)) == status.value
    assert next_ping(check) is None
    assert alert_after(check) is None


@pytest.mark.parametrize("status", [Status.NEW, Status.PAUSED, Status.UP, Status.DOWN])
def test_a_run_longer_than_grace_is_down_whatever_the_stored_status(status):
    check = make(status=status, grace=60, last_start=T0, last_ping=T0)
    assert display_status(check, at(seconds=59)) == ("up" if status is Status.UP else status.value)
    assert display_status(check, at(seconds=59), v1=True) == "started"
    assert display_status(check, at(seconds=60)) == "down"
    assert display_status(check, at(seconds=60), v1=True) == "down"


def test_next_ping_shows_the_start_of_a_run_in_progress():
    up = make(status=Status.UP, last_ping=T0, timeout=3600, grace=60, last_start=at(minutes=5))
    assert next_ping(up) == at(minutes=5)
    assert alert_after(up) == at(minutes=6)
    assert next_ping(make(status=Status.NEW, last_start=at(minutes=5))) == at(minutes=5)
    assert next_ping(make(status=Status.DOWN, last_start=at(minutes=5))) is None


def test_cron_deadlines_survive_a_dst_change():
    # Europe/Riga skips 03:00-04:00 on 2026-03-29 and repeats 03:00-04:00 on 2026-10-25.
    spring = make(
        kind=CheckKind.CRON,
        schedule="30 3 * * *",
        tz="Europe/Riga",
        status=Status.UP,
        last_ping=datetime(2026, 3, 28, 12, tzinfo=UTC),
    )
    assert next_ping(spring) == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)  # 04:00 EEST
    after = dataclasses.replace(spring, last_ping=datetime(2026, 3, 29, 1, 0, tzinfo=UTC))
    assert next_ping(after) == datetime(2026, 3, 30, 0, 30, tzinfo=UTC)
    autumn = dataclasses.replace(spring, last_ping=datetime(2026, 10, 24, 12, tzinfo=UTC))
    assert next_ping(autumn) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 03:30 EEST
    hourly = dataclasses.replace(
        spring, schedule="0 * * * *", last_ping=datetime(2026, 10, 25, 0, 0, tzinfo=UTC)
    )
    assert next_ping(hourly) == datetime(2026, 10, 25, 1, 0, tzinfo=UTC)  # 03:00 EET


def test_a_success_ping_brings_a_new_check_up_with_a_flip():
    effect = apply_ping(make(), PingKind.SUCCESS, T0, None)
    assert effect.check.status is Status.UP
    assert effect.check.n_pings == 1
    assert effect.check.last_ping == T0
    assert (effect.flip_from, effect.flip_to, effect.flip_reason) == (Status.NEW, Status.UP, "")
    assert effect.check.alert_after == at(seconds=86400 + 3600)


def test_a_fail_ping_flips_down_with_reason_fail():
    effect = apply_ping(make(status=Status.UP, last_ping=T0), PingKind.FAIL, at(hours=1), None)
    assert (effect.flip_from, effect.flip_to, effect.flip_reason) == (
        Status.UP,
        Status.DOWN,
        "fail",
    )
    assert effect.check.alert_after is None


def test_start_then_success_with_the_same_rid_measures_the_run():
    started = apply_ping(make(status=Status.UP, last_ping=T0), PingKind.START, at(hours=1), RID_A)
    assert started.flip_to is None
    assert started.check.last_ping == T0
    other = apply_ping(started.check, PingKind.SUCCESS, at(hours=1, minutes=1), RID_B)
    assert other.check.last_start == at(hours=1)  # a different rid leaves the run open
    done = apply_ping(other.check, PingKind.SUCCESS, at(hours=1, minutes=5), RID_A)
    assert done.check.last_duration == 300.0
    assert done.check.last_start is None


def test_a_ping_without_rid_forgets_a_run_without_duration():
    started = apply_ping(make(status=Status.UP, last_ping=T0), PingKind.START, at(hours=1), RID_A)
    done = apply_ping(started.check, PingKind.SUCCESS, at(hours=2), None)
    assert done.check.last_start is None
    assert done.check.last_duration is None


def test_a_paused_check_with_manual_resume_ignores_pings():
    check = make(status=Status.PAUSED, manual_resume=True)
    effect = apply_ping(check, PingKind.SUCCESS, T0, None)
    assert effect.kind is PingKind.IGN
    assert effect.check.status is Status.PAUSED
    assert effect.check.n_pings == 1


def test_a_success_unpauses_a_paused_check_without_notifying():
    effect = apply_ping(make(status=Status.PAUSED), PingKind.SUCCESS, T0, None)
    assert (effect.flip_from, effect.flip_to) == (Status.PAUSED, Status.UP)
    assert notifies(Status.PAUSED, Status.UP) is False
    assert notifies(Status.NEW, Status.UP) is False
    assert notifies(Status.DOWN, Status.UP) is True
    assert notifies(Status.UP, Status.DOWN) is True
    assert notifies(Status.UP, Status.PAUSED) is False


def test_log_and_ignored_pings_change_only_the_count():
    check = make(status=Status.UP, last_ping=T0)
    for kind in (PingKind.LOG, PingKind.IGN):
        effect = apply_ping(check, kind, at(hours=3), None)
        assert effect.check.last_ping == T0
        assert effect.check.status is Status.UP
        assert effect.flip_to is None


def test_pause_and_resume_clear_the_deadline():
    check = make(status=Status.UP, last_ping=T0, last_start=T0)
    paused = pause(check)
    assert (paused.status, paused.alert_after, paused.last_start) == (Status.PAUSED, None, None)
    resumed = resume(paused)
    assert (resumed.status, resumed.last_ping, resumed.alert_after) == (Status.NEW, None, None)
