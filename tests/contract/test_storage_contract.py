"""The storage contract: every repository call behaves the same on both backends.

Runs against the embedded store by default, and against a real MongoDB when
``MONGODB_URI`` is set (each run uses a fresh, dropped-afterwards database).
"""

import dataclasses
import os
from datetime import UTC, datetime, timedelta

import pytest

from gateway.domain.channels import Channel
from gateway.domain.keys import Scope
from gateway.domain.projects import Project
from gateway.domain.status import Flip, SourceKind, SourceRef, Status
from storage import open_store

REAL_URI = os.environ.get("MONGODB_URI")
NOW = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


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


# --- checks and pings -------------------------------------------------------------------

from gateway.domain.checks import Check, Ping, PingKind  # noqa: E402
from gateway.domain.checks.naming import unique_key  # noqa: E402
from storage.repos.checks import MongoChecksRepo  # noqa: E402
from storage.repos.checks_memory import MemoryChecksRepo  # noqa: E402
from storage.repos.pings import PingsRepo  # noqa: E402


@pytest.fixture(params=["store", "mongo-repo-on-this-backend"])
async def checks_repo(request, contract_store):
    """The store's own checks repo, and the MongoDB one on the same backend."""
    if request.param == "store":
        return contract_store.checks
    repo = MongoChecksRepo(contract_store.db["checks_mongo_repo"])
    await repo.ensure_indexes()
    return repo


def _check(n: int, project: str = "alpha", **fields) -> Check:
    return Check(
        uuid=f"{n:08d}-0000-4000-8000-000000000000",
        project=project,
        badge_key=f"badge-{n}",
        created=NOW + timedelta(seconds=n),
        **fields,
    )


def test_the_embedded_store_keeps_checks_in_a_hashed_index():
    assert isinstance(open_store(None, "x").checks, MemoryChecksRepo)


async def test_checks_are_found_by_every_key(checks_repo):
    one = _check(1, slug="a", alert_after=NOW)
    await checks_repo.insert(one)
    await checks_repo.insert(_check(2, slug="a"))
    await checks_repo.insert(_check(3, project="beta", slug="a"))
    assert await checks_repo.get(one.uuid) == one
    assert await checks_repo.get_by_unique_key(unique_key(one.uuid)) == one
    assert await checks_repo.get_by_badge_key("badge-1") == one
    assert await checks_repo.get("nope") is None
    assert [c.uuid for c in await checks_repo.find("alpha", slug="a")] == [
        one.uuid,
        _check(2).uuid,
    ]
    assert await checks_repo.count("alpha") == 2
    assert await checks_repo.count("gamma") == 0


async def test_a_check_is_changed_only_from_the_revision_it_was_read_at(checks_repo):
    one = _check(1)
    await checks_repo.insert(one)
    first = await checks_repo.compare_and_set(dataclasses.replace(one, name="first", slug="b"))
    assert first is not None
    assert (first.name, first.rev) == ("first", 1)
    assert await checks_repo.find("alpha", slug="") == []
    assert [c.uuid for c in await checks_repo.find("alpha", slug="b")] == [one.uuid]
    assert await checks_repo.compare_and_set(dataclasses.replace(one, name="late")) is None
    assert (await checks_repo.get(one.uuid)).name == "first"
    deleted = await checks_repo.delete(one.uuid)
    assert deleted == first
    assert await checks_repo.delete(one.uuid) is None
    assert await checks_repo.get_by_unique_key(unique_key(one.uuid)) is None
    assert await checks_repo.find("alpha", slug="b") == []
    assert await checks_repo.count("alpha") == 0


async def test_due_checks_come_earliest_first_and_never_down(checks_repo):
    await checks_repo.insert(_check(1, alert_after=NOW + timedelta(seconds=5)))
    await checks_repo.insert(_check(2, alert_after=NOW + timedelta(seconds=1)))
    await checks_repo.insert(_check(3, alert_after=NOW, status=Status.DOWN))
    await checks_repo.insert(_check(4, alert_after=NOW + timedelta(hours=1)))
    await checks_repo.insert(_check(5))
    due = await checks_repo.due(NOW + timedelta(seconds=10), 10)
    assert [c.uuid for c in due] == [_check(2).uuid, _check(1).uuid]
    assert len(await checks_repo.due(NOW + timedelta(seconds=10), 1)) == 1


@pytest.fixture(params=["store", "mongo-repo-on-this-backend"])
async def pings_repo(request, contract_store):
    """The store's own pings repo, and the MongoDB one on the same backend."""
    if request.param == "store":
        return contract_store.pings
    repo = PingsRepo(contract_store.db["pings_mongo_repo"])
    await repo.ensure_indexes()
    return repo


async def test_pings_are_listed_newest_first_and_trimmed(pings_repo):
    pings = pings_repo
    await pings.insert_many(
        [
            Ping(check="c1", n=n, kind=PingKind.SUCCESS, created=NOW, body=b"\xff" * n)
            for n in range(1, 6)
        ]
        + [Ping(check="c2", n=1, kind=PingKind.LOG, created=NOW)]
    )
    assert [p.n for p in await pings.newest("c1", above=1, limit=3)] == [5, 4, 3]
    assert (await pings.get("c1", 2)).body == b"\xff\xff"
    assert await pings.trim("c1", up_to=3) == 3
    assert [p.n for p in await pings.newest("c1", above=0, limit=10)] == [5, 4]
    assert await pings.delete_for_check("c1") == 2
    assert [p.kind for p in await pings.newest("c2", above=0, limit=10)] == [PingKind.LOG]


async def test_pings_of_many_checks_come_in_one_call(pings_repo):
    await pings_repo.insert_many(
        [
            Ping(check=check, n=n, kind=PingKind.SUCCESS, created=NOW, body=f"{check}{n}".encode())
            for check in ("c1", "c2")
            for n in range(1, 5)
        ]
    )
    found = await pings_repo.newest_for_checks({"c1": 1, "c2": 0, "c3": 0}, limit_each=2)
    assert {check: [p.n for p in pings] for check, pings in found.items()} == {
        "c1": [4, 3],
        "c2": [4, 3],
        "c3": [],
    }
    bodies = await pings_repo.bodies([("c1", 2), ("c2", 4), ("c2", 9)])
    assert bodies == {("c1", 2): b"c12", ("c2", 4): b"c24"}


# --- pulled sources -----------------------------------------------------------------


def _connector_spec(name: str, project: str = "alpha"):
    from gateway.domain.sources import ConnectorSpec

    return ConnectorSpec(project=project, name=name, url="http://127.0.0.1:9/", timeout=5)


async def test_connector_names_are_unique_per_project_and_freed_on_delete(contract_store):
    repo = contract_store.connectors
    first = await repo.insert(1, _connector_spec("npm"), "file", NOW)
    assert first is not None
    assert await repo.insert(2, _connector_spec("npm"), "file", NOW) is None
    assert await repo.insert(3, _connector_spec("npm", "beta"), "file", NOW) is not None
    assert [c.id for c in await repo.find_all("alpha")] == [1]
    assert await repo.delete(1) is True
    assert await repo.delete(1) is False
    assert await repo.insert(4, _connector_spec("npm"), "file", NOW) is not None


async def test_a_rename_to_a_taken_name_is_refused(contract_store):
    from pymongo.errors import DuplicateKeyError

    repo = contract_store.connectors
    await repo.insert(1, _connector_spec("a"), "file", NOW)
    await repo.insert(2, _connector_spec("b"), "file", NOW)
    with pytest.raises(DuplicateKeyError):
        await repo.update_spec(2, _connector_spec("a"))
    renamed = await repo.update_spec(2, _connector_spec("c"))
    assert renamed is not None
    assert renamed.spec.name == "c"
    assert await repo.insert(3, _connector_spec("b"), "file", NOW) is not None  # "b" was freed


async def test_counters_never_repeat(contract_store):
    assert [await contract_store.counters.next("connector_id") for _ in range(3)] == [1, 2, 3]
    assert await contract_store.counters.next("other") == 1


async def test_due_sources_are_claimed_by_one_owner_until_the_lease_ends(contract_store):
    from gateway.domain.connectors import ProbeResult

    repo = contract_store.connectors
    await repo.insert(1, _connector_spec("due"), "file", NOW)
    await repo.insert(2, _connector_spec("later"), "file", NOW + timedelta(minutes=5))
    claims = await repo.claim_due(NOW, "owner-a", 30, 10)
    assert [(c.doc["_id"], c.owner) for c in claims] == [(1, "owner-a")]
    # timeout 5 s + lease 30 s: nobody else gets it before NOW + 35 s
    assert await repo.claim_due(NOW + timedelta(seconds=34), "owner-b", 30, 10) == []
    stolen = await repo.claim_due(NOW + timedelta(seconds=36), "owner-b", 30, 10)
    assert [(c.doc["_id"], c.owner) for c in stolen] == [(1, "owner-b")]
    # the first owner lost its lease: its result is not stored
    result = ProbeResult(Status.UP, None, 1.0)
    later = NOW + timedelta(minutes=1)
    assert await repo.record(claims[0], result, 0, NOW, later) is False
    assert await repo.record(stolen[0], result, 0, NOW, later) is True
    stored = await repo.get(1)
    assert stored is not None
    assert (stored.status, stored.last_checked) == (Status.UP, NOW)
    assert await repo.claim_due(NOW + timedelta(seconds=59), "owner-a", 30, 10) == []
    assert [c.doc["_id"] for c in await repo.claim_due(later, "owner-a", 30, 10)] == [1]


async def test_claims_honour_the_limit_and_skip_what_is_not_due(contract_store):
    repo = contract_store.service_sources
    from gateway.domain.sources import ServiceSpec

    for minutes in (3, -1, 2, 1):
        spec = ServiceSpec(project="alpha", name=f"s{minutes}", url="http://127.0.0.1:9/")
        await repo.insert(spec, "file", NOW - timedelta(minutes=minutes))
    first = await repo.claim_due(NOW, "owner", 30, 2)
    rest = await repo.claim_due(NOW, "owner", 30, 10)
    assert (len(first), len(rest)) == (2, 1)
    assert sorted(c.doc["name"] for c in first + rest) == ["s1", "s2", "s3"]


async def test_probe_history_is_kept_newest_first_with_a_ttl(contract_store):
    from gateway.domain.probes import ProbeSample

    history = contract_store.probe_history
    ref = SourceRef(SourceKind.CONNECTOR, "1")
    for minutes in range(3):
        sample = ProbeSample(NOW + timedelta(minutes=minutes), Status.UP, 2.5)
        await history.add(ref, sample)
    assert [s.at for s in await history.recent(ref, limit=2)] == [
        NOW + timedelta(minutes=m) for m in (2, 1)
    ]
    info = await contract_store.db["probe_history"].index_information()
    assert info["ttl"]["expireAfterSeconds"] == 86_400
    await history.set_retention(3600)
    info = await contract_store.db["probe_history"].index_information()
    assert info["ttl"]["expireAfterSeconds"] == 3600


async def test_kafka_clusters_are_found_by_address_and_connectors_by_name(contract_store):
    from gateway.domain.kafka import KafkaConnector, KafkaTask
    from gateway.domain.sources import KafkaClusterSpec

    spec = KafkaClusterSpec(
        project="alpha", name="prod", url="http://127.0.0.1:9", environment_id="env-1"
    )
    cluster = await contract_store.kafka_clusters.insert(spec, "file", NOW)
    assert cluster is not None
    twin = KafkaClusterSpec(
        project="beta", name="x", url="http://h", environment_id="env-1", cluster_id="prod"
    )
    assert await contract_store.kafka_clusters.insert(twin, "file", NOW) is None  # same address
    found = await contract_store.kafka_clusters.find_by_address("env-1", "prod")
    assert found == cluster
    connector = KafkaConnector(
        cluster=cluster.id,
        project="alpha",
        name="orders",
        type="sink",
        state="RUNNING",
        worker_id="w1",
        trace="",
        tasks=(KafkaTask(0, "RUNNING", "w1", ""),),
        status=Status.UP,
        confluent_state="RUNNING",
        last_checked=NOW,
    )
    await contract_store.kafka_connectors.put(connector)
    await contract_store.kafka_connectors.put(connector)  # replaced, not duplicated
    assert await contract_store.kafka_connectors.get(cluster.id, "orders") == connector
    assert await contract_store.kafka_connectors.for_cluster(cluster.id) == [connector]
    assert await contract_store.kafka_connectors.delete_for_cluster(cluster.id) == [connector]
    assert await contract_store.kafka_connectors.get(cluster.id, "orders") is None


async def test_recent_probes_of_many_sources_come_in_one_call(contract_store):
    from gateway.domain.probes import ProbeSample

    history = contract_store.probe_history
    one, two, quiet = (SourceRef(SourceKind.CONNECTOR, str(n)) for n in (1, 2, 3))
    kafka = SourceRef(SourceKind.KAFKA_CONNECTOR, "1")  # same id, another kind
    for minutes in range(4):
        at = NOW + timedelta(minutes=minutes)
        await history.add(one, ProbeSample(at, Status.UP, float(minutes)))
        await history.add(kafka, ProbeSample(at, Status.DOWN, None, "gone"))
    await history.add(two, ProbeSample(NOW, Status.DOWN, 9.5, "HTTP 500"))
    found = await history.recent_many([two, one, quiet, kafka], limit_each=2)
    assert found == [
        [ProbeSample(NOW, Status.DOWN, 9.5, "HTTP 500")],
        [
            ProbeSample(NOW + timedelta(minutes=3), Status.UP, 3.0),
            ProbeSample(NOW + timedelta(minutes=2), Status.UP, 2.0),
        ],
        [],
        [
            ProbeSample(NOW + timedelta(minutes=3), Status.DOWN, None, "gone"),
            ProbeSample(NOW + timedelta(minutes=2), Status.DOWN, None, "gone"),
        ],
    ]
    assert await history.recent_many([], limit_each=2) == []
    assert await history.recent_many([one], limit_each=0) == [[]]


async def test_probe_now_makes_a_source_due_unless_it_is_being_probed(contract_store):
    from gateway.domain.sources import KafkaClusterSpec, ServiceSpec

    later = NOW + timedelta(minutes=5)
    connectors = contract_store.connectors
    await connectors.insert(1, _connector_spec("npm"), "api", later)
    assert await connectors.claim_due(NOW, "owner", 30, 10) == []
    assert await connectors.probe_now(1, NOW) is True
    assert await connectors.probe_now(1, NOW) is False  # already due
    assert await connectors.probe_now(99, NOW) is False
    assert [c.doc["_id"] for c in await connectors.claim_due(NOW, "owner", 30, 10)] == [1]
    assert await connectors.probe_now(1, NOW) is False  # in flight: leased
    services = contract_store.service_sources
    service = await services.insert(
        ServiceSpec(project="alpha", name="s", url="http://127.0.0.1:9/"), "api", later
    )
    assert service is not None
    assert await services.probe_now(service.id, NOW) is True
    assert await services.probe_now("not-an-id", NOW) is False
    assert [c.doc["name"] for c in await services.claim_due(NOW, "owner", 30, 10)] == ["s"]
    clusters = contract_store.kafka_clusters
    cluster = await clusters.insert(
        KafkaClusterSpec(project="alpha", name="k", url="http://127.0.0.1:9"), "api", later
    )
    assert cluster is not None
    assert await clusters.probe_now(cluster.id, NOW) is True
    assert await clusters.probe_now("0" * 24, NOW) is False
    assert [c.doc["name"] for c in await clusters.claim_due(NOW, "owner", 30, 10)] == ["k"]


async def test_connectors_of_many_clusters_come_in_one_call(contract_store):
    from gateway.domain.kafka import KafkaConnector

    def connector(cluster: str, name: str) -> KafkaConnector:
        return KafkaConnector(cluster, "alpha", name, "sink", "RUNNING", "w1", "", ())

    for cluster, name in [("c1", "zeta"), ("c2", "beta"), ("c1", "alpha")]:
        await contract_store.kafka_connectors.put(connector(cluster, name))
    found = await contract_store.kafka_connectors.for_clusters(["c2", "none", "c1"])
    assert [[c.id for c in group] for group in found] == [
        ["c2/beta"],
        [],
        ["c1/alpha", "c1/zeta"],
    ]
    assert await contract_store.kafka_connectors.for_clusters([]) == []
