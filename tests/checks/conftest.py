"""The app without background jobs, so tests drive the sweeper themselves with the fake clock."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from gateway.app import create_app
from gateway.domain.channels import Channel
from gateway.settings import Settings
from storage import Store
from tests.conftest import OWNER_KEY, FakeClock

EMAIL = "11111111-1111-4111-8111-111111111111"
SMS = "22222222-2222-4222-8222-222222222222"
OTHER = "33333333-3333-4333-8333-333333333333"
RW = {"X-Api-Key": OWNER_KEY}


@pytest.fixture
def app(settings: Settings, store: Store, clock: FakeClock) -> FastAPI:
    return create_app(settings, clock=clock, store=store, background=[])


@pytest.fixture
async def channels(store: Store) -> None:
    await store.channels.upsert(Channel(EMAIL, "alpha", "Email to Alice", "email"))
    await store.channels.upsert(Channel(SMS, "alpha", "SMS to Alice", "webhook"))
    await store.channels.upsert(Channel(OTHER, "beta", "Beta hook", "webhook"))


async def make_check(client, version: int = 3, **body):
    response = await client.post(f"/api/v{version}/checks/", json=body, headers=RW)
    assert response.status_code == 201, response.text
    return response.json()


@asynccontextmanager
async def client_with(
    settings: Settings, store: Store, clock: FakeClock, peer: str = "127.0.0.1", **changes
) -> AsyncIterator[httpx.AsyncClient]:
    """A client for an app built with changed settings, on the same store and clock."""
    app = create_app(settings.model_copy(update=changes), clock=clock, store=store, background=[])
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app, client=(peer, 1))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            yield client
