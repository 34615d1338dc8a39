"""The storage contract: every repository call behaves the same on both backends.

Runs against the embedded store by default, and against a real MongoDB when
``MONGODB_URI`` is set (each run uses a fresh, dropped-afterwards database).
"""

import os
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from gateway.domain.channels import Channel
from gateway.domain.keys import Scope
from gateway.domain.projects import Project
from gateway.domain.status import Flip, SourceKind, SourceRef, Status
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


def _flip(source_id: str, minutes: int, to: str = "down") -> Flip:
    return Flip(
        project="alpha",
        source=SourceRef(SourceKind.CHECK, source_id),
        name=f"check {source_id}",
        from_status=Status.UP,
        to_status=Status(to),
        at=NOW + timedelta(minutes=minutes),
        reason="timeout",
    )


async def test_flips_are_listed_newest_first_within_a_window(contract_store):
    flips = contract_store.flips
    for minutes in (0, 10, 20):
        await flips.insert(_flip("c1", minutes))
    await flips.insert(_flip("c2", 5))
    ref = SourceRef(SourceKind.CHECK, "c1")
    assert [f.at for f in await flips.for_source(ref)] == [
        NOW + timedelta(minutes=m) for m in (20, 10, 0)
    ]
    window = await flips.for_source(
        ref, since=NOW + timedelta(minutes=10), until=NOW + timedelta(minutes=20)
    )
    assert [f.at for f in window] == [NOW + timedelta(minutes=10)]
    assert [
        len(group)
        for group in await flips.for_sources(
            [ref, SourceRef(SourceKind.CHECK, "c2"), SourceRef(SourceKind.SERVICE, "c1")],
            limit_each=2,
        )
    ] == [2, 1, 0]


async def test_a_pending_flip_is_claimed_by_one_worker_until_its_lease_ends(contract_store):
    flips = contract_store.flips
    stored = await flips.insert(_flip("c1", 0), notify_channels=["ch-1", "ch-2"])
    await flips.insert(_flip("c1", 1))  # not queued for notification
    lease = NOW + timedelta(seconds=30)
    claimed = await flips.claim_pending(NOW, lease)
    assert claimed is not None
    assert claimed.flip.id == stored.id
    assert claimed.channels == ["ch-1", "ch-2"]
    assert await flips.claim_pending(NOW, lease) is None  # held by the first worker
    again = await flips.claim_pending(lease + timedelta(seconds=1), lease + timedelta(seconds=31))
    assert again is not None
    assert again.flip.id == stored.id  # the lease ran out: at-least-once
    await flips.mark_notified(stored.id or "", NOW)
    assert await flips.claim_pending(lease + timedelta(hours=1), lease + timedelta(hours=2)) is None


async def test_channels_are_listed_per_project_and_pruned(contract_store):
    channels = contract_store.channels
    hook = Channel("11111111-1111-4111-8111-111111111111", "alpha", "ops hook", "webhook")
    mail = Channel("22222222-2222-4222-8222-222222222222", "alpha", "ops mail", "email")
    other = Channel("33333333-3333-4333-8333-333333333333", "beta", "b", "webhook")
    for channel in (hook, mail, other):
        await channels.upsert(channel)
    await channels.upsert(Channel(hook.id, "alpha", "ops hook", "webhook", {"url": "http://x"}))
    assert [c.name for c in await channels.find_all("alpha")] == ["ops hook", "ops mail"]
    assert [c.config for c in await channels.get_many([hook.id])] == [{"url": "http://x"}]
    assert await channels.delete_except([hook.id]) == 2
    assert await channels.find_all("beta") == []
