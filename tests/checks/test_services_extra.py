"""Service-level behaviour: races, the badge port, limits of auto-provisioning, status/."""

import asyncio

from gateway.domain.status import Status
from gateway.services.ports import BadgeChecks
from tests.checks.conftest import RW, client_with, make_check


async def test_concurrent_pings_to_one_check_are_all_counted(client, store):
    code = (await make_check(client))["uuid"]
    answers = await asyncio.gather(*(client.get(f"/ping/{code}") for _ in range(20)))
    assert {answer.text for answer in answers} == {"OK"}
    assert (await store.checks.get(code)).n_pings == 20
    numbers = [p.n for p in await store.pings.newest(code, above=0, limit=100)]
    assert numbers == list(range(20, 0, -1))


async def test_a_ping_that_loses_a_race_is_applied_to_the_newer_check(client, store, monkeypatch):
    code = (await make_check(client))["uuid"]
    real = store.checks.compare_and_set
    raced: list[object] = []

    async def first_loses(check):
        if not raced:
            raced.append(check)
            # Another writer changes the check between our read and our write.
            current = await store.checks.get(code)
            await real(current.__class__(**{**current.__dict__, "desc": "changed"}))
            return await real(check)  # stale rev: refused
        return await real(check)

    monkeypatch.setattr(store.checks, "compare_and_set", first_loses)
    assert (await client.get(f"/ping/{code}")).text == "OK"
    stored = await store.checks.get(code)
    assert (stored.desc, stored.n_pings, stored.status) == ("changed", 1, Status.UP)


async def test_the_checks_service_is_what_badges_need(client, settings, store, clock):
    from gateway.services.checks import ChecksService
    from gateway.services.events import EventBus
    from gateway.services.flips import FlipsService

    a = await make_check(client, name="a", tags="prod db")
    await make_check(client, name="b", tags="prod")
    await client.get(f"/ping/{a['uuid']}/fail")
    port: BadgeChecks = ChecksService(store, FlipsService(store, EventBus()), settings, clock)
    assert await port.project_tags("alpha") == ["db", "prod"]
    prod = await port.badge_checks("alpha", "prod")
    assert sorted((c.name, c.status) for c in prod) == [("a", Status.DOWN), ("b", Status.NEW)]
    assert [c.name for c in await port.badge_checks("alpha", "db")] == ["a"]
    key = a["badge_url"].rsplit("/", 1)[1].removesuffix(".svg")
    found = await port.badge_check(key)
    assert found is not None
    assert (found.uuid, found.project) == (a["uuid"], "alpha")
    assert await port.badge_check("nope") is None


async def test_create_1_stops_at_twice_the_check_limit(settings, store, clock):
    async with client_with(settings, store, clock, check_limit=1) as client:
        project = await store.projects.get("alpha")
        for slug in ("one", "two"):
            response = await client.get(f"/ping/{project.ping_key}/{slug}?create=1")
            assert response.status_code == 201
        over = await client.get(f"/ping/{project.ping_key}/three?create=1")
        assert (over.status_code, over.text) == (404, "not found")
        assert await store.checks.count("alpha") == 2


async def test_status_is_500_when_the_database_fails(client, store, monkeypatch):
    from pymongo.errors import AutoReconnect

    async def down():
        raise AutoReconnect("down")

    monkeypatch.setattr(store, "ping", down)
    response = await client.get("/api/v3/status/")
    assert response.status_code == 500
    assert "access-control-allow-origin" not in response.headers
    checks = await client.get("/api/v3/checks/", headers=RW)
    assert checks.status_code == 200  # the embedded checks do not need the database round trip
