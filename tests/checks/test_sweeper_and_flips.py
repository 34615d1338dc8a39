"""The deadline sweeper, the flips endpoint and the v1/v2 status differences."""

import asyncio
from datetime import timedelta

import pytest

from gateway.domain.checks.naming import unique_key
from gateway.domain.status import SourceKind, SourceRef, Status
from gateway.services.flips import FlipsService
from gateway.services.sweeper import SweeperService
from tests.checks.conftest import EMAIL, RW, SMS, make_check
from tests.conftest import NOW, TEAMMATE_KEY


async def test_an_overdue_check_goes_down_at_its_deadline_once(client, store, clock, app, channels):
    code = (await make_check(client, timeout=600, grace=60, channels="*"))["uuid"]
    await client.get(f"/ping/{code}")
    sweeper = SweeperService(store, FlipsService(store, _bus()), clock)
    clock.advance(659)
    assert await sweeper.sweep_once() == 0
    clock.advance(3600)
    assert await sweeper.sweep_once() == 1
    assert await sweeper.sweep_once() == 0
    flips = await store.flips.for_source(SourceRef(SourceKind.CHECK, code))
    assert [(f.from_status, f.to_status, f.reason) for f in flips] == [
        (Status.UP, Status.DOWN, "timeout"),
        (Status.NEW, Status.UP, ""),
    ]
    assert flips[0].at == NOW + timedelta(seconds=660)  # the deadline, not the sweep time
    check = await store.checks.get(code)
    assert (check.status, check.alert_after) == (Status.DOWN, None)
    claimed = await store.flips.claim_pending(clock(), clock())
    assert claimed is not None
    assert claimed.channels == [EMAIL, SMS]


async def test_two_sweepers_at_once_record_exactly_one_flip_per_check(client, store, clock):
    codes = []
    for n in range(20):
        code = (await make_check(client, name=f"c{n}", timeout=60, grace=60))["uuid"]
        await client.get(f"/ping/{code}")
        codes.append(code)
    clock.advance(3600)
    first = SweeperService(store, FlipsService(store, _bus()), clock, batch=3)
    second = SweeperService(store, FlipsService(store, _bus()), clock, batch=3)
    flipped = await asyncio.gather(first.sweep_once(), second.sweep_once())
    assert sum(flipped) == 20
    for code in codes:
        flips = await store.flips.for_source(SourceRef(SourceKind.CHECK, code))
        assert [f.to_status for f in flips] == [Status.DOWN, Status.UP]


async def test_a_started_run_past_its_grace_goes_down_even_when_paused(client, store, clock):
    code = (await make_check(client, grace=60))["uuid"]
    await client.post(f"/api/v3/checks/{code}/pause", headers=RW)
    await client.get(f"/ping/{code}/start")
    body = (await client.get(f"/api/v3/checks/{code}", headers=RW)).json()
    assert (body["status"], body["started"], body["next_ping"]) == (
        "paused",
        True,
        NOW.isoformat(),
    )
    clock.advance(61)
    sweeper = SweeperService(store, FlipsService(store, _bus()), clock)
    assert await sweeper.sweep_once() == 1
    flips = await store.flips.for_source(SourceRef(SourceKind.CHECK, code))
    assert (flips[0].from_status, flips[0].at) == (Status.PAUSED, NOW + timedelta(seconds=60))


async def test_a_check_that_is_not_down_yet_gets_its_deadline_moved(client, store, clock):
    code = (await make_check(client, timeout=600, grace=60))["uuid"]
    await client.get(f"/ping/{code}")
    stored = await store.checks.get(code)
    early = stored.alert_after - timedelta(seconds=300)
    import dataclasses

    await store.checks.compare_and_set(dataclasses.replace(stored, alert_after=early))
    clock.advance(400)
    sweeper = SweeperService(store, FlipsService(store, _bus()), clock)
    assert await sweeper.sweep_once() == 0
    assert (await store.checks.get(code)).alert_after == NOW + timedelta(seconds=660)


async def test_the_sweep_job_survives_a_failing_sweep(services_for_job):
    services, calls = services_for_job
    from gateway.loop.deadlines import sweep_deadlines

    task = asyncio.create_task(sweep_deadlines(services))
    await calls.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


@pytest.fixture
async def services_for_job(settings, store, clock):
    import httpx

    from gateway.services import build_services

    http = httpx.AsyncClient()
    services = build_services(
        settings.model_copy(update={"sweep_interval_seconds": 0.001}), store, http, clock
    )
    done = asyncio.Event()
    attempts = []

    async def flaky(now=None):
        attempts.append(now)
        if len(attempts) == 1:
            raise RuntimeError("one bad round")
        done.set()
        return 0

    services.sweeper.sweep_once = flaky  # type: ignore[method-assign]
    yield services, done
    await http.aclose()


def _bus():
    from gateway.services.events import EventBus

    return EventBus()


async def test_flips_are_wrapped_in_an_object_newest_first(client, clock):
    # The docs show a bare array; the real server answers {"flips": [...]}.
    code = (await make_check(client))["uuid"]
    await client.get(f"/ping/{code}")
    clock.advance(100)
    await client.get(f"/ping/{code}/fail")
    response = await client.get(f"/api/v3/checks/{code}/flips/", headers=RW)
    assert response.json() == {
        "flips": [
            {"timestamp": (NOW + timedelta(seconds=100)).isoformat(), "up": 0},
            {"timestamp": NOW.isoformat(), "up": 1},
        ]
    }
    start = int((NOW + timedelta(seconds=100)).timestamp())
    window = await client.get(f"/api/v3/checks/{code}/flips/?start={start}", headers=RW)
    assert len(window.json()["flips"]) == 1
    before = await client.get(f"/api/v3/checks/{code}/flips/?end={start}", headers=RW)
    assert before.json()["flips"][0]["up"] == 1
    recent = await client.get(f"/api/v3/checks/{code}/flips/?seconds=50", headers=RW)
    assert len(recent.json()["flips"]) == 1
    ignored = await client.get(f"/api/v3/checks/{code}/flips/?seconds=0", headers=RW)
    assert len(ignored.json()["flips"]) == 2
    by_key = await client.get(
        f"/api/v3/checks/{unique_key(code)}/flips/", headers={"X-Api-Key": TEAMMATE_KEY}
    )
    assert by_key.json() == response.json()


@pytest.mark.parametrize(
    "query", ["seconds=-1", "seconds=31536001", "start=abc", "end=10000000001", "start=1.5"]
)
async def test_bad_flip_queries_are_400(client, query):
    code = (await make_check(client))["uuid"]
    response = await client.get(f"/api/v3/checks/{code}/flips/?{query}", headers=RW)
    assert response.status_code == 400
    assert "error" in response.json()


async def test_v1_reports_a_running_check_as_started(client):
    code = (await make_check(client))["uuid"]
    await client.get(f"/ping/{code}")
    await client.get(f"/ping/{code}/start")
    v1 = (await client.get(f"/api/v1/checks/{code}", headers=RW)).json()
    v2 = (await client.get(f"/api/v2/checks/{code}", headers=RW)).json()
    assert (v1["status"], v1["started"]) == ("started", True)
    assert (v2["status"], v2["started"]) == ("up", True)
    assert v1["update_url"].endswith(f"/api/v1/checks/{code}")


async def test_the_grace_and_down_statuses_show_at_the_right_second(client, clock):
    code = (await make_check(client, schedule="0 10 * * *", tz="Australia/Brisbane"))["uuid"]
    clock.now = NOW.replace(hour=0)
    await client.get(f"/ping/{code}")
    clock.now = NOW.replace(hour=23, minute=59)
    assert (await client.get(f"/api/v3/checks/{code}", headers=RW)).json()["status"] == "up"
    clock.now = NOW.replace(day=16, hour=0)
    assert (await client.get(f"/api/v3/checks/{code}", headers=RW)).json()["status"] == "grace"
    clock.now = NOW.replace(day=16, hour=1)
    assert (await client.get(f"/api/v3/checks/{code}", headers=RW)).json()["status"] == "down"
