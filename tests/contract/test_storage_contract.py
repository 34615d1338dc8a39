"""The storage contract: every repository call behaves the same on both backends.

Runs against the embedded store by default, and against a real MongoDB when
``MONGODB_URI`` is set (each run uses a fresh, dropped-afterwards database).
"""

import os
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from gateway.domain.keys import Scope
from gateway.domain.projects import Project
from storage import Store, open_store

REAL_URI = os.environ.get("MONGODB_URI")
NOW = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
async def contract_store() -> AsyncIterator[Store]:
    name = f"healthgate_contract_{uuid.uuid4().hex[:8]}"
    store = open_store(REAL_URI, name)
    await store.ensure_indexes()
    try:
        yield store
    finally:
        if not store.embedded:
            await store.db.client.drop_database(name)
        await store.close()


def _project(name: str) -> Project:
    return Project(name=name, created_at=NOW, ping_key=f"pk-{name}", badge_key=f"bk-{name}")


def test_it_runs_against_the_expected_backend():
    store = open_store(REAL_URI, "healthgate_contract_probe")
    assert store.embedded is (REAL_URI is None)


async def test_indexes_can_be_created_again(contract_store):
    await contract_store.ensure_indexes()
    assert {"key_hash_unique", "project"} <= await contract_store.index_names("api_keys")


async def test_projects_are_unique_by_name(contract_store):
    assert await contract_store.projects.any_exists() is False
    assert await contract_store.projects.insert(_project("alpha")) is True
    assert await contract_store.projects.insert(_project("alpha")) is False
    assert await contract_store.projects.any_exists() is True
    found = await contract_store.projects.get("alpha")
    assert found is not None
    assert found.created_at == NOW
    assert (await contract_store.projects.get_by_ping_key("pk-alpha")) == found
    assert (await contract_store.projects.get_by_badge_key("bk-alpha")) == found
    assert await contract_store.projects.get("nope") is None


async def test_keys_are_unique_by_hash_and_revoked_once(contract_store):
    keys = contract_store.keys
    first = await keys.insert(
        project="alpha", scope=Scope.READ_ONLY, key_hash="h1", prefix="p1", label="", now=NOW
    )
    assert first is not None
    assert (
        await keys.insert(
            project="beta", scope=Scope.READ_WRITE, key_hash="h1", prefix="p1", label="", now=NOW
        )
        is None
    )
    assert (await keys.find_by_hash("h1")) == first
    assert await keys.find_by_hash("h2") is None
    later = NOW + timedelta(minutes=5)
    revoked = await keys.revoke(first.id, later)
    assert revoked is not None
    assert revoked.revoked_at == later
    assert await keys.revoke(first.id, later) is None
    assert await keys.revoke("not-an-object-id", later) is None
    assert [k.id for k in await keys.find_all("alpha")] == [first.id]
    assert await keys.find_all("beta") == []
