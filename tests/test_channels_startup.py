"""The channels file at start-up, and the notification worker running in the app."""

import asyncio

import httpx
import pytest
from asgi_lifespan import LifespanManager

from gateway.app import create_app
from gateway.domain.channel_config import channel_id
from gateway.domain.status import Flip, SourceKind, SourceRef, Status
from gateway.errors import ConfigurationError
from gateway.loop import default_jobs
from gateway.loop.notifier import notification_worker
from gateway.settings import Settings
from tests.conftest import BOOTSTRAP

HOOK = """
[[channels]]
project = "alpha"
name = "{name}"
kind = "webhook"
url = "https://hooks.test/{name}"
headers = {{ Authorization = "Bearer very-secret" }}
"""


def _settings(path, **extra):
    return Settings(
        bootstrap_keys=BOOTSTRAP, create_default_project=False, channels_file=path, **extra
    )


async def _start(settings, store, clock, background=None, http=None):
    app = create_app(settings, clock=clock, store=store, background=background or [], http=http)
    async with LifespanManager(app):
        pass


async def test_channels_are_synced_with_stable_ids(tmp_path, store, clock, caplog):
    path = tmp_path / "channels.toml"
    path.write_text(HOOK.format(name="ops") + HOOK.format(name="dev"))
    caplog.set_level("INFO", logger="healthgate.channels")
    await _start(_settings(path), store, clock)
    stored = await store.channels.find_all("alpha")
    assert [(c.name, c.id) for c in stored] == [
        ("dev", channel_id("alpha", "dev")),
        ("ops", channel_id("alpha", "ops")),
    ]
    assert "very-secret" not in caplog.text
    assert "alpha/ops [webhook]" in caplog.text

    path.write_text(HOOK.format(name="ops").replace("hooks.test", "new.test"))
    await _start(_settings(path), store, clock)
    (ops,) = await store.channels.find_all("alpha")
    assert ops.id == channel_id("alpha", "ops")
    assert ops.config["url"] == "https://new.test/ops"


async def test_without_a_channels_file_stored_channels_are_kept(tmp_path, store, clock):
    path = tmp_path / "channels.toml"
    path.write_text(HOOK.format(name="ops"))
    await _start(_settings(path), store, clock)
    await _start(_settings(None), store, clock)
    assert [c.name for c in await store.channels.find_all("alpha")] == ["ops"]


def test_an_invalid_channels_file_stops_create_app(tmp_path, store):
    path = tmp_path / "channels.toml"
    path.write_text(HOOK.format(name="ops") + "colour = 'red'\n")
    with pytest.raises(ConfigurationError) as caught:
        create_app(_settings(path), store=store)
    assert caught.value.message == (
        f"{path}: [[channels]] table 1, key 'colour': is not a key of webhook channels"
    )


def test_the_worker_is_a_default_job():
    assert notification_worker in default_jobs(Settings())
    assert default_jobs(Settings(loop_enabled=False)) == []


async def test_the_running_app_delivers_a_queued_flip(tmp_path, store, clock):
    path = tmp_path / "channels.toml"
    path.write_text(HOOK.format(name="ops"))
    delivered = asyncio.Event()
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        delivered.set()
        return httpx.Response(204)

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        settings = _settings(path, loop_idle_seconds=0.01)
        app = create_app(settings, clock=clock, store=store, http=http)
        async with LifespanManager(app):
            ref = SourceRef(SourceKind.CHECK, "c1")
            flip = Flip("alpha", ref, "backup", Status.UP, Status.DOWN, clock())
            stored = await store.flips.insert(flip, notify_channels=[channel_id("alpha", "ops")])
            await asyncio.wait_for(delivered.wait(), timeout=5)
    assert [str(r.url) for r in seen] == ["https://hooks.test/ops"]
    assert seen[0].headers["authorization"] == "Bearer very-secret"
    assert await store.flips.notify_state(stored.id) == "done"
