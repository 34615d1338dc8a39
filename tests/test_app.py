"""Start-up: bootstrap keys (idempotent), the first-run default project, the embedded store."""

import logging

import httpx
from asgi_lifespan import LifespanManager

from gateway.app import create_app
from gateway.services.keys import KeysService
from gateway.settings import Settings
from tests.conftest import BOOTSTRAP, OWNER_KEY

VIEWER = {"query": "{ viewer { project scope } }"}


async def _viewer(app, key):
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            return await http.post("/graphql", json=VIEWER, headers={"X-Api-Key": key})


async def test_bootstrap_keys_are_created_once_however_often_it_starts(store, clock):
    settings = Settings(bootstrap_keys=BOOTSTRAP)
    for _ in range(3):
        response = await _viewer(create_app(settings, store=store, clock=clock), OWNER_KEY)
        assert response.json()["data"]["viewer"] == {"project": "alpha", "scope": "READ_WRITE"}
    keys = await KeysService(store, clock).list_keys()
    assert len(keys) == 4
    assert sorted(p.name for p in await store.projects.find_all()) == ["alpha", "beta"]


async def test_a_bootstrap_key_stored_for_another_project_stops_start_up(store, clock):
    import pytest

    from gateway.errors import ConfigurationError

    await KeysService(store, clock).bootstrap(Settings(bootstrap_keys=BOOTSTRAP).bootstrap)
    clash = Settings(bootstrap_keys=f"gamma:read-write:{OWNER_KEY}")
    app = create_app(clash, store=store, clock=clock)
    with pytest.raises(ConfigurationError, match="already stored for project 'alpha'"):
        async with LifespanManager(app):
            pass


async def test_a_revoked_bootstrap_key_stays_revoked_after_a_restart(store, clock):
    settings = Settings(bootstrap_keys=BOOTSTRAP)
    assert (
        await _viewer(create_app(settings, store=store, clock=clock), OWNER_KEY)
    ).status_code == 200
    await KeysService(store, clock).revoke(OWNER_KEY)
    assert (
        await _viewer(create_app(settings, store=store, clock=clock), OWNER_KEY)
    ).status_code == 401


async def test_a_first_run_creates_the_default_project_and_prints_its_keys(store, clock, capsys):
    app = create_app(Settings(), store=store, clock=clock)
    async with LifespanManager(app):
        pass
    printed = capsys.readouterr().out
    lines = [line.split() for line in printed.splitlines() if line.startswith("  read-")]
    assert [scope for scope, _ in lines] == ["read-write", "read-only"]
    rw_key, ro_key = (key for _, key in lines)
    response = await _viewer(create_app(Settings(), store=store, clock=clock), ro_key)
    assert response.json()["data"]["viewer"] == {"project": "default", "scope": "READ_ONLY"}
    # The second start found a project, so it made no new keys and printed nothing.
    assert "default" not in capsys.readouterr().out
    assert len(await KeysService(store, clock).list_keys()) == 2
    assert rw_key != ro_key


async def test_the_embedded_store_warns_that_data_is_lost(caplog):
    app = create_app(Settings(create_default_project=False))
    with caplog.at_level(logging.WARNING, logger="healthgate"):
        async with LifespanManager(app):
            pass
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "embedded in-memory store" in warnings[0]
    assert "lost when healthgate stops" in warnings[0]


async def test_keys_never_reach_the_log(store, clock, caplog):
    with caplog.at_level(logging.DEBUG):
        await _viewer(create_app(Settings(), store=store, clock=clock), OWNER_KEY)
        await _viewer(
            create_app(Settings(bootstrap_keys=BOOTSTRAP), store=store, clock=clock), OWNER_KEY
        )
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert OWNER_KEY not in text
    assert "created read-write key" in text
