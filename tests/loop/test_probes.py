"""The probe loop against real fake upstreams on 127.0.0.1, driven by an injected clock."""

import asyncio
import json
from datetime import timedelta

import pytest

from gateway.domain.sources import ConnectorSpec, KafkaClusterSpec, ServiceSpec
from gateway.domain.status import SourceKind, SourceRef, Status
from gateway.loop.scheduler import ProbeScheduler
from gateway.settings import Settings
from tests.conftest import BOOTSTRAP
from tests.fakes import Reply, gateway_services, refused_url


@pytest.fixture
def settings() -> Settings:
    return Settings(
        bootstrap_keys=BOOTSTRAP,
        create_default_project=False,
        loop_enabled=False,
        loop_jitter_seconds=0,
        loop_max_body_bytes=1024,
    )


@pytest.fixture
async def services(settings, store, clock):
    async with gateway_services(settings, store, clock) as built:
        yield built


def connector(url: str, name: str = "npmjs.org", **extra) -> ConnectorSpec:
    return ConnectorSpec(project="alpha", name=name, url=url, interval=60, timeout=0.3, **extra)


async def probe_once(services, spec: ConnectorSpec):
    created = await services.connectors.create(spec)
    assert await ProbeScheduler(services).run_due(services.clock()) == 1
    return await services.connectors.get("alpha", created.id)


async def test_a_healthy_connector_flips_from_unknown_to_up(services, upstream, clock, store):
    url = upstream.set("/ok", Reply(body=b"registry"))
    created = await services.connectors.create(connector(url))
    assert created.status is Status.UNKNOWN
    assert created.last_checked is None
    clock.advance(1)
    assert await ProbeScheduler(services).run_due(clock()) == 1
    found = await services.connectors.get("alpha", created.id)
    assert (found.status, found.error, found.last_checked) == (Status.UP, None, clock())
    assert found.latency_ms is not None
    ref = SourceRef(SourceKind.CONNECTOR, str(created.id))
    flips = await store.flips.for_source(ref)
    assert [(f.from_status, f.to_status, f.at, f.name) for f in flips] == [
        (Status.UNKNOWN, Status.UP, clock(), "npmjs.org")
    ]
    history = await store.probe_history.recent(ref)
    assert [(s.status, s.at) for s in history] == [(Status.UP, clock())]


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (Reply(503, "Service Unavailable", b"down"), "HTTP 503 Service Unavailable"),
        (Reply(404, "Not Found", b""), "HTTP 404 Not Found"),
        (Reply(hang_before_headers=True), "timed out after 0.3 s"),
        (Reply(body=b"x" * 100, hang_after_bytes=10), "timed out after 0.3 s"),
        (Reply(body=b"x" * 5000), "response body larger than 1024 bytes"),
        (Reply(close_without_reply=True), "the connection closed unexpectedly"),
    ],
    ids=["5xx", "4xx", "slow-headers", "slow-body", "oversized", "closed"],
)
async def test_each_upstream_failure_is_an_error_with_a_short_message(
    services, upstream, reply, expected
):
    found = await probe_once(services, connector(upstream.set("/p", reply)))
    assert (found.status, found.state.value, found.error) == (Status.DOWN, "error", expected)


async def test_a_refused_connection_is_an_error(services):
    found = await probe_once(services, connector(refused_url()))
    assert (found.state.value, found.error) == ("error", "connection refused")


async def test_a_name_that_does_not_resolve_is_an_error(services):
    found = await probe_once(services, connector("http://nowhere.invalid/"))
    assert (found.state.value, found.error) == ("error", "DNS lookup failed")


async def test_a_tls_failure_is_an_error(services):
    async def plain_http(reader, writer):  # answers a TLS hello with plain HTTP
        writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(plain_http, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        found = await probe_once(services, connector(f"https://127.0.0.1:{port}/"))
    finally:
        server.close()
        await server.wait_closed()
    assert (found.state.value, found.error) == ("error", "TLS error: wrong version number")


async def test_a_missing_keyword_is_an_error(services, upstream):
    url = upstream.set("/ok", Reply(body=b"maintenance page"))
    found = await probe_once(services, connector(url, expect_keyword="packages"))
    assert found.error == "keyword 'packages' not found in the response"


async def test_a_status_inside_expect_status_is_healthy(services, upstream):
    url = upstream.set("/moved", Reply(301, "Moved Permanently", b""))
    found = await probe_once(services, connector(url, expect_status=(200, 399)))
    assert (found.state.value, found.error) == ("healthy", None)


async def test_a_source_is_probed_again_only_after_its_interval(services, upstream, clock):
    url = upstream.set("/ok", Reply())
    await services.connectors.create(connector(url))
    scheduler = ProbeScheduler(services)
    assert await scheduler.run_due(clock()) == 1
    clock.advance(59)
    assert await scheduler.run_due(clock()) == 0
    clock.advance(1)
    assert await scheduler.run_due(clock()) == 1
    assert upstream.hits["/ok"] == 2


async def test_a_failing_source_backs_off_up_to_ten_intervals(services, clock):
    await services.connectors.create(
        ConnectorSpec(project="alpha", name="gone", url=refused_url(), interval=10, timeout=1)
    )
    scheduler = ProbeScheduler(services)
    waits = []
    assert await scheduler.run_due(clock()) == 1
    for _ in range(6):
        waited = 0
        while await scheduler.run_due(clock()) == 0:
            clock.advance(1)
            waited += 1
        waits.append(waited)
    assert waits == [10, 20, 40, 80, 100, 100]


async def test_state_changes_are_flips_with_the_reason(services, upstream, clock, store):
    url = upstream.set("/svc", Reply())
    created = await services.connectors.create(connector(url))
    scheduler = ProbeScheduler(services)
    await scheduler.run_due(clock())
    upstream.set("/svc", Reply(500, "Internal Server Error", b""))
    clock.advance(60)
    await scheduler.run_due(clock())
    clock.advance(60)
    await scheduler.run_due(clock())  # still down: no new flip
    upstream.set("/svc", Reply())
    clock.advance(120)  # the second failure doubled the wait
    assert await scheduler.run_due(clock()) == 1
    flips = await store.flips.for_source(SourceRef(SourceKind.CONNECTOR, str(created.id)))
    assert [(f.from_status, f.to_status, f.reason) for f in reversed(flips)] == [
        (Status.UNKNOWN, Status.UP, ""),
        (Status.UP, Status.DOWN, "HTTP 500 Internal Server Error"),
        (Status.DOWN, Status.UP, ""),
    ]
    assert len(await store.probe_history.recent(flips[0].source)) == 4


async def test_two_gateways_on_one_store_probe_each_source_once_per_interval(
    settings, store, clock, upstream
):
    async with (
        gateway_services(settings, store, clock) as first,
        gateway_services(settings, store, clock) as second,
    ):
        for n in range(20):
            await first.connectors.create(connector(upstream.set(f"/c{n}", Reply()), f"c{n}"))
        a, b = ProbeScheduler(first), ProbeScheduler(second)
        for _ in range(3):
            counts = await asyncio.gather(a.run_due(clock()), b.run_due(clock()))
            assert sum(counts) == 20
            clock.advance(60)
        assert upstream.hits == {f"/c{n}": 3 for n in range(20)}


async def test_a_probe_in_flight_is_not_claimed_again(services, upstream, clock, store):
    url = upstream.set("/hang", Reply(hang_before_headers=True))
    await services.connectors.create(
        ConnectorSpec(project="alpha", name="slow", url=url, interval=1, timeout=30)
    )
    running = asyncio.create_task(ProbeScheduler(services).run_due(clock()))
    await upstream.reached("/hang")
    clock.advance(5)  # past the interval, inside timeout + lease
    assert await store.connectors.claim_due(clock(), "other", 30, 10) == []
    running.cancel()
    with pytest.raises(asyncio.CancelledError):
        await running


async def test_a_claim_whose_lease_ran_short_while_waiting_is_not_probed(
    services, upstream, clock, store, monkeypatch
):
    url = upstream.set("/ok", Reply())
    created = await services.connectors.create(connector(url))
    original = store.connectors.claim_due
    waited: list[bool] = []

    async def claim_then_wait_for_a_seat(*args, **kwargs):
        claims = await original(*args, **kwargs)
        if claims and not waited:
            waited.append(True)
            clock.advance(31)  # past timeout 0.3 s + lease 30 s
        return claims

    monkeypatch.setattr(store.connectors, "claim_due", claim_then_wait_for_a_seat)
    start = clock()
    assert await ProbeScheduler(services).run_due(start) == 1
    assert upstream.hits == {}
    assert (await services.connectors.get("alpha", created.id)).status is Status.UNKNOWN
    # It is due again at once and probed by the next claim.
    assert await ProbeScheduler(services).run_due(clock()) == 1
    assert upstream.hits == {"/ok": 1}


async def test_cancelling_the_loop_stops_probes_in_flight_and_writes_nothing(
    services, upstream, clock, store
):
    url = upstream.set("/hang", Reply(hang_before_headers=True))
    created = await services.connectors.create(connector(url))
    loop = asyncio.create_task(ProbeScheduler(services).run_forever())
    await upstream.reached("/hang")
    loop.cancel()
    with pytest.raises(asyncio.CancelledError):
        await loop
    found = await services.connectors.get("alpha", created.id)
    assert (found.status, found.last_checked) == (Status.UNKNOWN, None)
    assert await store.flips.for_source(SourceRef(SourceKind.CONNECTOR, str(created.id))) == []


MOSPARO_OK = {"service": "mosparo", "healthy": True, "databaseStatus": "connected", "error": None}


@pytest.mark.parametrize(
    ("reply", "status", "healthy", "database", "error"),
    [
        (Reply(body=json.dumps(MOSPARO_OK).encode()), Status.UP, True, "connected", None),
        (
            Reply(body=json.dumps({**MOSPARO_OK, "databaseStatus": "not-configured"}).encode()),
            Status.UP,
            True,
            "not-configured",
            None,
        ),
        (
            Reply(
                body=json.dumps(
                    {
                        **MOSPARO_OK,
                        "databaseStatus": "test-skipped__update-not-finished",
                        "statusCode": 200,
                    }
                ).encode()
            ),
            Status.UP,
            True,
            "test-skipped__update-not-finished",
            None,
        ),
        (
            Reply(
                500,
                "Internal Server Error",
                json.dumps(
                    {
                        **MOSPARO_OK,
                        "healthy": False,
                        "databaseStatus": "connection-failed",
                        "error": "SQLSTATE[HY000] [2002] Connection refused",
                        "statusCode": 500,
                    }
                ).encode(),
            ),
            Status.DOWN,
            False,
            "connection-failed",
            "SQLSTATE[HY000] [2002] Connection refused",
        ),
        (
            Reply(
                body=json.dumps(
                    {**MOSPARO_OK, "healthy": None, "databaseStatus": "bypassed", "error": ""}
                ).encode()
            ),
            Status.UNKNOWN,
            None,
            "bypassed",
            "the service bypasses its health check",
        ),
        (Reply(204, "No Content", b""), Status.UP, True, None, None),
        (Reply(502, "Bad Gateway", b"<html>"), Status.DOWN, False, None, "HTTP 502 Bad Gateway"),
        (Reply(body=b"{not json"), Status.DOWN, None, None, "invalid JSON in the response"),
    ],
    ids=[
        "connected",
        "not-configured",
        "test-skipped",
        "connection-failed",
        "bypassed",
        "plain-2xx",
        "plain-5xx",
        "invalid-json",
    ],
)
async def test_a_service_result_is_stored_and_normalised(
    services, upstream, clock, reply, status, healthy, database, error
):
    url = upstream.set("/api/v1/health/check", reply)
    created = await services.service_sources.create(
        ServiceSpec(project="alpha", name="captcha", url=url, timeout=1)
    )
    assert await ProbeScheduler(services).run_due(clock()) == 1
    found = await services.service_sources.get("alpha", created.id)
    assert (found.status, found.healthy, found.database_status, found.error) == (
        status,
        healthy,
        database,
        error,
    )
    assert found.last_checked == clock()
    assert found.latency_ms is not None


def connect_status(state: str, tasks: list[str], type_: str = "source") -> dict[str, object]:
    return {
        "status": {
            "name": "ignored",
            "connector": {"state": state, "worker_id": "w1:8083"},
            "tasks": [
                {
                    "id": n,
                    "state": s,
                    "worker_id": "w1:8083",
                    **({"trace": "boom"} if s == "FAILED" else {}),
                }
                for n, s in enumerate(tasks)
            ],
            "type": type_,
        }
    }


async def test_a_kafka_cluster_read_stores_each_connector_and_flips_it(
    services, upstream, clock, store
):
    body = {
        "orders-sink": connect_status("RUNNING", ["RUNNING", "FAILED"], "sink"),
        "users-source": connect_status("RUNNING", ["RUNNING"]),
    }
    upstream.set("/connectors?expand=status", Reply(body=json.dumps(body).encode()))
    cluster = await services.kafka.create(
        KafkaClusterSpec(project="alpha", name="prod", url=upstream.url(""), timeout=1)
    )
    assert await ProbeScheduler(services).run_due(clock()) == 1
    found = {c.name: c for c in await services.kafka.connectors(cluster.id)}
    assert {n: (c.status, c.confluent_state) for n, c in found.items()} == {
        "orders-sink": (Status.DEGRADED, "DEGRADED"),
        "users-source": (Status.UP, "RUNNING"),
    }
    assert found["orders-sink"].tasks[1].msg == "boom"
    flips = await store.flips.for_source(
        SourceRef(SourceKind.KAFKA_CONNECTOR, f"{cluster.id}/orders-sink")
    )
    assert [(f.from_status, f.to_status) for f in flips] == [(Status.UNKNOWN, Status.DEGRADED)]

    del body["users-source"]  # removed from the cluster: removed here, with a flip
    upstream.set("/connectors?expand=status", Reply(body=json.dumps(body).encode()))
    clock.advance(30)
    assert await ProbeScheduler(services).run_due(clock()) == 1
    assert [c.name for c in await services.kafka.connectors(cluster.id)] == ["orders-sink"]


async def test_an_unreadable_kafka_cluster_leaves_its_connectors_unknown(services, upstream, clock):
    body = {"orders": connect_status("RUNNING", ["RUNNING"])}
    upstream.set("/connectors?expand=status", Reply(body=json.dumps(body).encode()))
    cluster = await services.kafka.create(
        KafkaClusterSpec(project="alpha", name="prod", url=upstream.url(""), timeout=1)
    )
    await ProbeScheduler(services).run_due(clock())
    upstream.set("/connectors?expand=status", Reply(body=b"{oops"))
    clock.advance(30)
    await ProbeScheduler(services).run_due(clock())
    [orders] = await services.kafka.connectors(cluster.id)
    assert (orders.status, orders.confluent_state, orders.trace) == (
        Status.UNKNOWN,
        "NONE",
        "invalid JSON in the response",
    )
    [stored] = await services.kafka.in_project("alpha")
    assert stored.error == "invalid JSON in the response"


async def test_a_confluent_cloud_cluster_is_read_with_basic_auth(services, upstream, clock):
    path = "/connect/v1/environments/env-abc/clusters/lkc-123/connectors?expand=status"
    body = {"orders": connect_status("PROVISIONING", [])}
    upstream.set(path, Reply(body=json.dumps(body).encode()))
    cluster = await services.kafka.create(
        KafkaClusterSpec(
            project="alpha",
            name="cloud",
            kind="confluent-cloud",
            url=upstream.url(""),
            environment_id="env-abc",
            cluster_id="lkc-123",
            api_key="KEY",
            api_secret="SECRET",
            timeout=1,
        )
    )
    await ProbeScheduler(services).run_due(clock())
    assert upstream.auth[path] == "Basic S0VZOlNFQ1JFVA=="  # KEY:SECRET
    [orders] = await services.kafka.connectors(cluster.id)
    assert (orders.status, orders.confluent_state) == (Status.UNKNOWN, "PROVISIONING")


async def test_one_bad_source_does_not_stop_the_others(services, upstream, clock, monkeypatch):
    good = await services.connectors.create(connector(upstream.set("/ok", Reply()), "good"))
    await services.connectors.create(connector(upstream.set("/bad", Reply()), "bad"))
    original = services.connectors.record_probe

    async def record(claim, outcome):
        if claim.doc["name"] == "bad":
            raise RuntimeError("a bug while recording")
        await original(claim, outcome)

    monkeypatch.setattr(services.connectors, "record_probe", record)
    assert await ProbeScheduler(services).run_due(clock()) == 2
    assert (await services.connectors.get("alpha", good.id)).status is Status.UP
    clock.advance(timedelta(minutes=1).total_seconds())
    # "bad" kept no result; its lease ran out, so it is probed again with "good".
    assert await ProbeScheduler(services).run_due(clock()) == 2
