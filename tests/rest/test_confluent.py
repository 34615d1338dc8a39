"""Confluent connector status (reference/confluent-connector-status.md, notes C.1)."""

import base64
import json

import pytest

from gateway.app import create_app
from gateway.domain.sources import KafkaClusterSpec
from gateway.loop.scheduler import ProbeScheduler
from gateway.services.kafka import KafkaService
from gateway.settings import Settings
from tests.conftest import BOOTSTRAP, CONNECTOR_KEY, OUTSIDER_KEY, OWNER_KEY, TEAMMATE_KEY
from tests.fakes import FakeUpstream, Reply, gateway_services

STATUS = "/connect/v1/environments/env-abc/clusters/lkc-123/connectors/{}/status"
CONNECTORS = {
    "orders-sink": {
        "status": {
            "name": "orders-sink",
            "connector": {"state": "RUNNING", "worker_id": "10.0.0.5:8083"},
            "tasks": [
                {"id": 0, "state": "RUNNING", "worker_id": "10.0.0.5:8083"},
                {"id": 1, "state": "FAILED", "worker_id": "10.0.0.6:8083", "trace": "Boom"},
            ],
            "type": "sink",
        }
    },
    "paused-source": {
        "status": {
            "name": "paused-source",
            "connector": {"state": "PAUSED", "worker_id": "10.0.0.5:8083"},
            "tasks": [{"id": 0, "state": "PAUSED", "worker_id": "10.0.0.5:8083"}],
            "type": "source",
        }
    },
}


@pytest.fixture
def settings() -> Settings:
    return Settings(
        bootstrap_keys=BOOTSTRAP,
        create_default_project=False,
        loop_enabled=False,
        loop_jitter_seconds=0,
        confluent_rate_limit=3,
        confluent_rate_window_seconds=60,
    )


@pytest.fixture
def app(settings, store, clock):
    return create_app(settings, clock=clock, store=store, background=[])


@pytest.fixture
async def cluster(settings, store, clock):
    """Cluster ``prod`` of project alpha (env-abc/lkc-123), read once from a fake cluster."""
    async with FakeUpstream.running() as upstream, gateway_services(settings, store, clock) as svc:
        body = json.dumps(CONNECTORS).encode()
        upstream.set("/connectors?expand=status", Reply(body=body))
        created = await svc.kafka.create(
            KafkaClusterSpec(
                project="alpha",
                name="prod",
                url=upstream.url(""),
                environment_id="env-abc",
                cluster_id="lkc-123",
                timeout=2,
            )
        )
        assert await ProbeScheduler(svc).run_due(clock()) == 1
        yield created


def basic(user: str, password: str = "") -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


async def test_it_serves_the_documented_status_body(client, cluster):
    response = await client.get(STATUS.format("orders-sink"), headers=basic(OWNER_KEY))
    assert response.status_code == 200
    assert response.json() == {
        "name": "orders-sink",
        "type": "sink",
        "connector": {"state": "DEGRADED", "worker_id": "10.0.0.5:8083", "trace": ""},
        "tasks": [
            {"id": 0, "state": "RUNNING", "worker_id": "10.0.0.5:8083", "msg": ""},
            {"id": 1, "state": "SYSTEM_ERROR", "worker_id": "10.0.0.6:8083", "msg": "Boom"},
        ],
    }
    assert len(response.headers["x-request-id"]) == 32
    assert response.headers["x-ratelimit-limit"] == "3"
    assert response.headers["x-ratelimit-remaining"] == "2"
    assert "retry-after" not in response.headers


async def test_a_stopped_self_managed_task_reads_as_stopped(client, cluster):
    response = await client.get(STATUS.format("paused-source"), headers=basic(TEAMMATE_KEY))
    assert response.status_code == 200
    body = response.json()
    assert (body["connector"]["state"], body["tasks"][0]["state"]) == ("PAUSED", "STOPPED")


async def test_the_key_may_be_the_password(client, cluster):
    response = await client.get(STATUS.format("orders-sink"), headers=basic("api", OWNER_KEY))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {},
        basic("x" * 32, "y" * 32),
        {"Authorization": f"Bearer {OWNER_KEY}"},
        {"Authorization": "Basic %%%"},
        {"X-Api-Key": OWNER_KEY},
        basic(CONNECTOR_KEY),
    ],
    ids=["none", "wrong", "bearer", "garbled", "header-key", "connector-health-scope"],
)
async def test_anything_but_a_readable_key_in_basic_auth_is_401(client, cluster, headers):
    response = await client.get(STATUS.format("orders-sink"), headers=headers)
    assert response.status_code == 401
    assert response.json() == {"error": {"code": 401, "message": "Unauthorized"}}
    assert response.headers["www-authenticate"] == 'Basic realm="healthgate"'
    assert response.headers["x-request-id"]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (
            "/connect/v1/environments/env-zzz/clusters/lkc-123/connectors/orders-sink/status",
            "environment 'env-zzz' or cluster 'lkc-123' not found",
        ),
        (
            "/connect/v1/environments/env-abc/clusters/lkc-999/connectors/orders-sink/status",
            "environment 'env-abc' or cluster 'lkc-999' not found",
        ),
        (STATUS.format("nope"), "connector 'nope' not found"),
    ],
    ids=["environment", "cluster", "connector"],
)
async def test_unknown_names_are_404_in_the_envelope(client, cluster, path, message):
    response = await client.get(path, headers=basic(OWNER_KEY))
    assert response.status_code == 404
    assert response.json() == {"error": {"code": 404, "message": message}}
    assert response.headers["x-request-id"]


async def test_another_projects_cluster_is_404(client, cluster):
    response = await client.get(STATUS.format("orders-sink"), headers=basic(OUTSIDER_KEY))
    assert response.status_code == 404


async def test_past_the_rate_limit_it_answers_429_with_relative_reset(client, cluster, clock):
    clock.advance(15)  # 45 s left in this minute's window
    path = STATUS.format("orders-sink")
    for remaining in ("2", "1", "0"):
        ok = await client.get(path, headers=basic(OWNER_KEY))
        assert (ok.status_code, ok.headers["x-ratelimit-remaining"]) == (200, remaining)
    limited = await client.get(path, headers=basic(OWNER_KEY))
    assert limited.status_code == 429
    assert limited.json() == {"error": {"code": 429, "message": "Too Many Requests"}}
    assert limited.headers["x-ratelimit-limit"] == "3"
    assert limited.headers["x-ratelimit-remaining"] == "0"
    assert limited.headers["x-ratelimit-reset"] == "45"
    assert limited.headers["retry-after"] == "45"
    assert limited.headers["x-request-id"]
    # Another key has its own budget; the window ends and the budget returns.
    assert (await client.get(path, headers=basic(TEAMMATE_KEY))).status_code == 200
    clock.advance(45)
    assert (await client.get(path, headers=basic(OWNER_KEY))).status_code == 200


async def test_an_unexpected_failure_is_500_in_the_envelope(client, cluster, monkeypatch):
    async def broken(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(KafkaService, "connector_status", broken)
    response = await client.get(STATUS.format("orders-sink"), headers=basic(OWNER_KEY))
    assert response.status_code == 500
    assert response.json() == {"error": {"code": 500, "message": "Oops, something went wrong"}}
    assert response.headers["x-request-id"]


async def test_each_response_has_its_own_request_id(client, cluster):
    first = await client.get(STATUS.format("orders-sink"), headers=basic(OWNER_KEY))
    second = await client.get(STATUS.format("orders-sink"), headers=basic(OWNER_KEY))
    assert first.headers["x-request-id"] != second.headers["x-request-id"]


async def test_other_methods_are_405_with_a_request_id(client, cluster):
    response = await client.post(STATUS.format("orders-sink"), headers=basic(OWNER_KEY))
    assert response.status_code == 405
    assert response.headers["x-request-id"]
