"""Shared fixtures: settings, personas with their keys, the app in process, a live server."""

import asyncio
import os
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
import pytest
import uvicorn
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from gateway.app import create_app
from gateway.settings import Settings
from storage import Store, open_store
from tests.fakes import FakeUpstream

# Personas, as HC's alice, bob and charlie: the owner and a teammate share project
# "alpha" (read-write and read-only keys); the outsider has project "beta".
OWNER_KEY = "hgw_owner_" + "a" * 22
TEAMMATE_KEY = "hgr_teammate_" + "b" * 19
OUTSIDER_KEY = "hgw_outsider_" + "c" * 19
CONNECTOR_KEY = "hgc_connector_" + "d" * 18
BOOTSTRAP = ",".join(
    [
        f"alpha:read-write:{OWNER_KEY}",
        f"alpha:read-only:{TEAMMATE_KEY}",
        f"beta:read-write:{OUTSIDER_KEY}",
        f"alpha:connector-health:{CONNECTOR_KEY}",
    ]
)
NOW = datetime(2026, 1, 15, 12, 0, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests build their Settings themselves; nothing leaks in from the machine."""
    for name in list(os.environ):
        if name.startswith("HEALTHGATE_") or name == "MONGODB_URI":
            monkeypatch.delenv(name)


@dataclass
class FakeClock:
    """A clock the test moves by hand."""

    now: datetime = NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        from datetime import timedelta

        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings() -> Settings:
    return Settings(bootstrap_keys=BOOTSTRAP, create_default_project=False)


@pytest.fixture
def store() -> Store:
    return open_store(None, "healthgate_test")


@pytest.fixture
def app(settings: Settings, store: Store, clock: FakeClock) -> FastAPI:
    return create_app(settings, clock=clock, store=store)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client talking to the app in process, with its lifespan entered."""
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app, client=("127.0.0.1", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http


@pytest.fixture
async def upstream() -> AsyncIterator[FakeUpstream]:
    """A fake upstream HTTP server on 127.0.0.1 for probes to call."""
    async with FakeUpstream.running() as fake:
        yield fake


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
async def live_server(app: FastAPI) -> AsyncIterator[str]:
    """The app served by uvicorn on 127.0.0.1, for real WebSocket sessions."""
    port = _free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", ws="websockets-sansio"
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:  # start-up readiness, not the passing of time
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
