"""Connectors, services and Kafka connectors through GraphQL: queries, mutations,
probeNow, latency history and a live status change, through the real app."""

import json
from datetime import timedelta

import pytest

from gateway.domain.probes import ProbeSample
from gateway.domain.sources import ConnectorSpec
from gateway.domain.status import SourceKind, SourceRef, Status
from gateway.loop.scheduler import ProbeScheduler
from gateway.settings import Settings
from resolvers.ids import encode_global_id
from tests.conftest import BOOTSTRAP, NOW, OUTSIDER_KEY, TEAMMATE_KEY
from tests.fakes import Reply
from tests.graphql_helpers import error_of, gql
from tests.test_subscriptions import Server, _subscribed

CONNECTOR_FIELDS = """id kind name project status lastCheckedAt progetId url interval timeout
  expectStatus expectKeyword state errorMessage origin"""
CREATE_CONNECTOR = f"""mutation ($input: ConnectorInput!) {{
  createConnector(input: $input) {{ {CONNECTOR_FIELDS} }} }}"""
UPDATE_CONNECTOR = f"""mutation ($id: ID!, $input: ConnectorInput!) {{
  updateConnector(id: $id, input: $input) {{ {CONNECTOR_FIELDS} }} }}"""
DELETE_CONNECTOR = "mutation ($id: ID!) { deleteConnector(id: $id) { name } }"
CREATE_SERVICE = """mutation ($input: ServiceInput!) {
  createService(input: $input) { id kind name status url interval timeout healthy databaseStatus error origin } }"""
CREATE_CLUSTER = """mutation ($input: KafkaClusterInput!) {
  createKafkaCluster(input: $input) { id name project kind url environmentId clusterId interval timeout error hasCredentials origin } }"""
PROBE_NOW = "mutation ($id: ID!) { probeNow(id: $id) { id name status } }"
NODE = "query ($id: ID!) { node(id: $id) { __typename ... on HealthSource { name status } } }"

KAFKA_BODY = {
    "orders-sink": {
        "status": {
            "name": "orders-sink",
            "connector": {"state": "RUNNING", "worker_id": "w1:8083"},
            "tasks": [
                {"id": 0, "state": "RUNNING", "worker_id": "w1:8083"},
                {"id": 1, "state": "FAILED", "worker_id": "w2:8083", "trace": "boom"},
            ],
            "type": "sink",
        }
    },
    "audit-source": {
        "status": {
            "name": "audit-source",
            "connector": {"state": "PAUSED", "worker_id": "w2:8083"},
            "tasks": [],
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
    )


@pytest.fixture
def services(app, client):
    return app.state.services


async def _probe(services, clock) -> int:
    return await ProbeScheduler(services).run_due(clock())


async def _ok(client, query, variables=None, key=None):
    body = await (
        gql(client, query, variables) if key is None else gql(client, query, variables, key)
    )
    assert "errors" not in body, body
    return body["data"]


async def _connector(client, **fields):
    data = await _ok(client, CREATE_CONNECTOR, {"input": fields})
    return data["createConnector"]


async def test_a_created_connector_is_unknown_until_probed_then_healthy(
    client, services, upstream, clock
):
    url = upstream.set("/npm", Reply())
    created = await _connector(client, name="npmjs.org", url=url, interval=30)
    assert created == {
        "id": encode_global_id("Connector", "1"),
        "kind": "CONNECTOR",
        "name": "npmjs.org",
        "project": "alpha",
        "status": "UNKNOWN",
        "lastCheckedAt": None,
        "progetId": 1,
        "url": url,
        "interval": 30.0,
        "timeout": 10.0,
        "expectStatus": [200, 299],
        "expectKeyword": None,
        "state": "UNKNOWN",
        "errorMessage": None,
        "origin": "API",
    }
    assert await _probe(services, clock) == 1
    data = await _ok(
        client, f"{{ connectors {{ totalCount nodes {{ {CONNECTOR_FIELDS} latencyMs }} }} }}"
    )
    (node,) = data["connectors"]["nodes"]
    assert (node["status"], node["state"], node["errorMessage"]) == ("UP", "HEALTHY", None)
    assert node["lastCheckedAt"] == "2026-01-15T12:00:00+00:00"
    assert isinstance(node["latencyMs"], float)
    assert data["connectors"]["totalCount"] == 1


async def test_a_failing_connector_shows_the_proget_error(client, services, upstream, clock):
    url = upstream.set("/nuget", Reply(503, "Service Unavailable", b""))
    created = await _connector(client, name="nuget.org", url=url, expectStatus=[200, 204])
    await _probe(services, clock)
    data = await _ok(
        client,
        "query ($id: ID!) { node(id: $id) { ... on Connector { status state errorMessage expectStatus } } }",
        {"id": created["id"]},
    )
    assert data["node"] == {
        "status": "DOWN",
        "state": "ERROR",
        "errorMessage": "HTTP 503 Service Unavailable",
        "expectStatus": [200, 204],
    }


@pytest.mark.parametrize(
    ("fields", "message", "field"),
    [
        ({"url": "http://h/x"}, "name is required", "name"),
        ({"name": "x"}, "url is required", "url"),
        ({"name": "x", "url": "ftp://h/"}, "url must be an http:// or https:// URL", "url"),
        (
            {"name": "x", "url": "http://h/", "interval": 0.5},
            "interval must be between 1 and 86400 (got 0.5)",
            "interval",
        ),
        (
            {"name": "x", "url": "http://h/", "timeout": 4000},
            "timeout must be between 0.1 and 3600 (got 4000.0)",
            "timeout",
        ),
        (
            {"name": "x", "url": "http://h/", "expectStatus": [500, 200]},
            "expectStatus must be [low, high] with 100 <= low <= high <= 599",
            "expectStatus",
        ),
        (
            {"name": "x", "url": "http://h/", "expectStatus": [200]},
            "expectStatus must be an array [low, high]",
            "expectStatus",
        ),
        ({"name": "", "url": "http://h/"}, "name must not be empty", "name"),
        ({"name": None, "url": "http://h/"}, "name must not be null", "name"),
    ],
)
async def test_invalid_connector_input_is_a_coded_error_and_stores_nothing(
    client, fields, message, field
):
    body = await gql(client, CREATE_CONNECTOR, {"input": fields})
    assert error_of(body) == (message, {"code": "BAD_USER_INPUT", "field": field})
    assert (await _ok(client, "{ connectors { totalCount } }"))["connectors"]["totalCount"] == 0


async def test_a_duplicate_name_is_a_conflict(client):
    await _connector(client, name="npm", url="http://127.0.0.1:9/")
    body = await gql(client, CREATE_CONNECTOR, {"input": {"name": "npm", "url": "http://h/"}})
    assert error_of(body) == (
        "project 'alpha' has a connector named 'npm'",
        {"code": "CONFLICT"},
    )


async def test_update_writes_only_the_given_fields_and_keeps_the_id(client):
    created = await _connector(client, name="npm", url="http://127.0.0.1:9/", expectKeyword="ok")
    other = await _connector(client, name="pypi", url="http://127.0.0.1:9/")
    data = await _ok(
        client, UPDATE_CONNECTOR, {"id": created["id"], "input": {"name": "npm2", "timeout": 2.5}}
    )
    updated = data["updateConnector"]
    assert (updated["id"], updated["progetId"], updated["name"]) == (created["id"], 1, "npm2")
    assert (updated["timeout"], updated["interval"], updated["expectKeyword"]) == (2.5, 60.0, "ok")
    cleared = await _ok(
        client, UPDATE_CONNECTOR, {"id": created["id"], "input": {"expectKeyword": None}}
    )
    assert cleared["updateConnector"]["expectKeyword"] is None
    taken = await gql(client, UPDATE_CONNECTOR, {"id": other["id"], "input": {"name": "npm2"}})
    assert error_of(taken)[1] == {"code": "CONFLICT"}
    bad = await gql(client, UPDATE_CONNECTOR, {"id": created["id"], "input": {"interval": 0}})
    assert error_of(bad) == (
        "interval must be between 1 and 86400 (got 0.0)",
        {"code": "BAD_USER_INPUT", "field": "interval"},
    )


async def test_delete_returns_the_connector_and_forgets_it(client):
    created = await _connector(client, name="npm", url="http://127.0.0.1:9/")
    data = await _ok(client, DELETE_CONNECTOR, {"id": created["id"]})
    assert data["deleteConnector"] == {"name": "npm"}
    again = await gql(client, DELETE_CONNECTOR, {"id": created["id"]})
    assert error_of(again) == ("connector not found", {"code": "NOT_FOUND"})
    assert (await _ok(client, NODE, {"id": created["id"]}))["node"] is None


@pytest.mark.parametrize(
    "bad_id",
    [
        encode_global_id("Connector", "99"),
        encode_global_id("Connector", "abc"),
        encode_global_id("Service", "1"),
        "!!",
    ],
)
async def test_an_unknown_connector_id_is_not_found(client, bad_id):
    body = await gql(client, UPDATE_CONNECTOR, {"id": bad_id, "input": {"name": "x"}})
    assert error_of(body)[1] == {"code": "NOT_FOUND"}


MUTATIONS = [
    (CREATE_CONNECTOR, {"input": {"name": "x", "url": "http://h/"}}),
    (UPDATE_CONNECTOR, {"id": encode_global_id("Connector", "1"), "input": {}}),
    (DELETE_CONNECTOR, {"id": encode_global_id("Connector", "1")}),
    (CREATE_SERVICE, {"input": {"name": "x", "url": "http://h/"}}),
    (
        "mutation ($id: ID!) { updateService(id: $id, input: {timeout: 1}) { name } }",
        {"id": encode_global_id("Service", "x")},
    ),
    ("mutation ($id: ID!) { deleteService(id: $id) { name } }", {"id": "x"}),
    (CREATE_CLUSTER, {"input": {"name": "x", "url": "http://h/"}}),
    (
        "mutation ($id: ID!) { updateKafkaCluster(id: $id, input: {}) { name } }",
        {"id": "x"},
    ),
    ("mutation ($id: ID!) { deleteKafkaCluster(id: $id) { name } }", {"id": "x"}),
    (PROBE_NOW, {"id": encode_global_id("Connector", "1")}),
]


@pytest.mark.parametrize(("mutation", "variables"), MUTATIONS)
async def test_read_only_keys_cannot_use_any_mutation(client, mutation, variables):
    await _connector(client, name="x0", url="http://127.0.0.1:9/")
    body = await gql(client, mutation, variables, key=TEAMMATE_KEY)
    assert error_of(body) == ("this needs a read-write key", {"code": "FORBIDDEN"})


async def test_another_project_sees_nothing_and_finds_nothing(client, services, upstream, clock):
    connector = await _connector(client, name="npm", url=upstream.set("/n", Reply()))
    service = (await _ok(client, CREATE_SERVICE, {"input": {"name": "api", "url": "http://h/"}}))[
        "createService"
    ]
    cluster = (await _ok(client, CREATE_CLUSTER, {"input": {"name": "k", "url": "http://h/"}}))[
        "createKafkaCluster"
    ]
    lists = "{ connectors { totalCount } services { totalCount } kafkaConnectors { totalCount } kafkaClusters { name } sources { totalCount } }"
    seen = await _ok(client, lists, key=OUTSIDER_KEY)
    assert seen == {
        "connectors": {"totalCount": 0},
        "services": {"totalCount": 0},
        "kafkaConnectors": {"totalCount": 0},
        "kafkaClusters": [],
        "sources": {"totalCount": 0},
    }
    for source_id in (connector["id"], service["id"], cluster["id"]):
        assert (await _ok(client, NODE, {"id": source_id}, key=OUTSIDER_KEY))["node"] is None
    for mutation, source_id in [
        (UPDATE_CONNECTOR, connector["id"]),
        (DELETE_CONNECTOR, connector["id"]),
        (PROBE_NOW, connector["id"]),
        (PROBE_NOW, service["id"]),
        ("mutation ($id: ID!) { deleteService(id: $id) { name } }", service["id"]),
        ("mutation ($id: ID!) { deleteKafkaCluster(id: $id) { name } }", cluster["id"]),
    ]:
        variables = {"id": source_id, "input": {"name": "mine"}}
        if "input" not in mutation:
            variables.pop("input")
        body = await gql(client, mutation, variables, key=OUTSIDER_KEY)
        assert error_of(body)[1] == {"code": "NOT_FOUND"}, mutation
    still = await _ok(client, lists)
    assert (still["connectors"], still["services"], still["sources"]) == (
        {"totalCount": 1},
        {"totalCount": 1},
        {"totalCount": 2},
    )


async def test_sources_from_the_file_are_read_only_but_can_be_probed_now(
    client, services, upstream, clock
):
    spec = ConnectorSpec(project="alpha", name="declared", url=upstream.set("/d", Reply()))
    declared = await services.connectors.create(spec, "file")
    global_id = encode_global_id("Connector", str(declared.id))
    for mutation in (UPDATE_CONNECTOR, DELETE_CONNECTOR):
        variables = {"id": global_id, "input": {"timeout": 1}} if "input" in mutation else {}
        variables["id"] = global_id
        body = await gql(client, mutation, variables)
        assert error_of(body) == (
            "this connector is declared in the sources file; change the file",
            {"code": "CONFLICT"},
        )
    await _probe(services, clock)
    clock.advance(10)
    assert await _probe(services, clock) == 0  # next due at +60 s
    data = await _ok(client, PROBE_NOW, {"id": global_id})
    assert data["probeNow"] == {"id": global_id, "name": "declared", "status": "UP"}
    assert await _probe(services, clock) == 1
    node = await _ok(
        client,
        "query ($id: ID!) { node(id: $id) { ... on Connector { origin } } }",
        {"id": global_id},
    )
    assert node["node"] == {"origin": "FILE"}


async def test_probe_now_refuses_a_check(client):
    created = await gql(client, 'mutation { createCheck(input: {name: "c"}) { check { id } } }')
    check_id = created["data"]["createCheck"]["check"]["id"]
    body = await gql(client, PROBE_NOW, {"id": check_id})
    assert error_of(body) == (
        "id is not the id of a probed source (a check is pinged)",
        {"code": "BAD_USER_INPUT", "field": "id"},
    )


async def test_services_are_created_probed_updated_and_deleted(client, services, upstream, clock):
    body = json.dumps({"healthy": False, "databaseStatus": "error", "error": "db down"})
    url = upstream.set("/api/v1/health/check", Reply(500, "Internal Server Error", body.encode()))
    created = (await _ok(client, CREATE_SERVICE, {"input": {"name": "mosparo", "url": url}}))[
        "createService"
    ]
    assert created == {
        "id": created["id"],
        "kind": "SERVICE",
        "name": "mosparo",
        "status": "UNKNOWN",
        "url": url,
        "interval": 30.0,
        "timeout": 10.0,
        "healthy": None,
        "databaseStatus": None,
        "error": None,
        "origin": "API",
    }
    await _probe(services, clock)
    data = await _ok(client, "{ services { nodes { name status healthy databaseStatus error } } }")
    assert data["services"]["nodes"] == [
        {
            "name": "mosparo",
            "status": "DOWN",
            "healthy": False,
            "databaseStatus": "error",
            "error": "db down",
        }
    ]
    clock.advance(5)
    assert await _probe(services, clock) == 0
    probed = await _ok(client, PROBE_NOW, {"id": created["id"]})
    assert probed["probeNow"] == {"id": created["id"], "name": "mosparo", "status": "DOWN"}
    assert await _probe(services, clock) == 1
    update = "mutation ($id: ID!, $input: ServiceInput!) { updateService(id: $id, input: $input) { name interval url } }"
    changed = await _ok(client, update, {"id": created["id"], "input": {"interval": 5}})
    assert changed["updateService"] == {"name": "mosparo", "interval": 5.0, "url": url}
    bad = await gql(client, update, {"id": created["id"], "input": {"url": "nope"}})
    assert error_of(bad) == (
        "url must be an http:// or https:// URL",
        {"code": "BAD_USER_INPUT", "field": "url"},
    )
    dup = await gql(client, CREATE_SERVICE, {"input": {"name": "mosparo", "url": url}})
    assert error_of(dup) == ("project 'alpha' has a service named 'mosparo'", {"code": "CONFLICT"})
    deleted = await _ok(
        client, "mutation ($id: ID!) { deleteService(id: $id) { name } }", {"id": created["id"]}
    )
    assert deleted["deleteService"] == {"name": "mosparo"}
    assert (await _ok(client, "{ services { totalCount } }"))["services"]["totalCount"] == 0


async def _kafka(client, services, upstream, clock, **fields):
    url = upstream.set("/connectors?expand=status", Reply(body=json.dumps(KAFKA_BODY).encode()))
    base = url.removesuffix("/connectors?expand=status")
    data = await _ok(client, CREATE_CLUSTER, {"input": {"name": "prod", "url": base, **fields}})
    await _probe(services, clock)
    return data["createKafkaCluster"], base


async def test_kafka_clusters_and_their_connectors(client, services, upstream, clock):
    cluster, base = await _kafka(client, services, upstream, clock, apiKey="k", apiSecret="s")
    assert cluster == {
        "id": cluster["id"],
        "name": "prod",
        "project": "alpha",
        "kind": "KAFKA_CONNECT",
        "url": base,
        "environmentId": "alpha",
        "clusterId": "prod",
        "interval": 30.0,
        "timeout": 10.0,
        "error": None,
        "hasCredentials": True,
        "origin": "API",
    }
    data = await _ok(
        client,
        """{ kafkaConnectors { totalCount nodes { id kind name status state confluentState type
          workerId trace tasks { id state workerId msg } cluster { name } } }
          kafkaClusters { name lastCheckedAt connectors { name } } }""",
    )
    audit, orders = data["kafkaConnectors"]["nodes"]
    assert audit == {
        "id": encode_global_id("KafkaConnector", f"{_local(cluster['id'])}/audit-source"),
        "kind": "KAFKA_CONNECTOR",
        "name": "audit-source",
        "status": "PAUSED",
        "state": "PAUSED",
        "confluentState": "PAUSED",
        "type": "source",
        "workerId": "w2:8083",
        "trace": "",
        "tasks": [],
        "cluster": {"name": "prod"},
    }
    assert (orders["status"], orders["state"], orders["confluentState"]) == (
        "DEGRADED",
        "RUNNING",
        "DEGRADED",
    )
    assert orders["tasks"] == [
        {"id": 0, "state": "RUNNING", "workerId": "w1:8083", "msg": ""},
        {"id": 1, "state": "FAILED", "workerId": "w2:8083", "msg": "boom"},
    ]
    assert data["kafkaClusters"] == [
        {
            "name": "prod",
            "lastCheckedAt": "2026-01-15T12:00:00+00:00",
            "connectors": [{"name": "audit-source"}, {"name": "orders-sink"}],
        }
    ]
    node = await _ok(client, NODE, {"id": orders["id"]})
    assert node["node"] == {
        "__typename": "KafkaConnector",
        "name": "orders-sink",
        "status": "DEGRADED",
    }
    by_id = await _ok(
        client,
        "query ($id: ID!) { node(id: $id) { ... on KafkaCluster { name } } }",
        {"id": cluster["id"]},
    )
    assert by_id["node"] == {"name": "prod"}
    clock.advance(5)
    assert await _probe(services, clock) == 0  # the cluster is read every 30 s
    probed = await _ok(client, PROBE_NOW, {"id": orders["id"]})
    assert probed["probeNow"] == {"id": orders["id"], "name": "orders-sink", "status": "DEGRADED"}
    assert await _probe(services, clock) == 1


def _local(global_id: str) -> str:
    from resolvers.ids import decode_global_id

    return decode_global_id(global_id)[1]


async def test_kafka_clusters_are_updated_and_deleted_with_their_connectors(
    client, services, upstream, clock
):
    cluster, _ = await _kafka(client, services, upstream, clock)
    update = """mutation ($id: ID!, $input: KafkaClusterInput!) {
      updateKafkaCluster(id: $id, input: $input) { name kind environmentId clusterId hasCredentials } }"""
    changed = await _ok(
        client,
        update,
        {"id": cluster["id"], "input": {"kind": "CONFLUENT_CLOUD", "environmentId": "env-1"}},
    )
    assert changed["updateKafkaCluster"] == {
        "name": "prod",
        "kind": "CONFLUENT_CLOUD",
        "environmentId": "env-1",
        "clusterId": "prod",
        "hasCredentials": False,
    }
    dup = await gql(client, CREATE_CLUSTER, {"input": {"name": "prod", "url": "http://h/"}})
    assert error_of(dup)[1] == {"code": "CONFLICT"}
    bad = await gql(client, update, {"id": cluster["id"], "input": {"environmentId": ""}})
    assert error_of(bad) == (
        "environmentId must not be empty",
        {"code": "BAD_USER_INPUT", "field": "environmentId"},
    )
    deleted = await _ok(
        client,
        "mutation ($id: ID!) { deleteKafkaCluster(id: $id) { name connectors { name } } }",
        {"id": cluster["id"]},
    )
    assert deleted["deleteKafkaCluster"] == {"name": "prod", "connectors": []}
    left = await _ok(client, "{ kafkaConnectors { totalCount } kafkaClusters { name } }")
    assert left == {"kafkaConnectors": {"totalCount": 0}, "kafkaClusters": []}


async def test_sources_and_overview_cover_every_kind(client, services, upstream, clock):
    await gql(client, 'mutation { createCheck(input: {name: "backup", tags: ["db"]}) { created } }')
    await _connector(client, name="npm", url=upstream.set("/n", Reply()))
    await _connector(client, name="nuget", url=upstream.set("/g", Reply(500, "Oops", b"")))
    await _ok(
        client, CREATE_SERVICE, {"input": {"name": "api", "url": upstream.set("/s", Reply())}}
    )
    await _kafka(client, services, upstream, clock)  # probes everything due
    data = await _ok(
        client,
        """{ sources { totalCount nodes { __typename name status } }
             down: sources(filter: {statuses: [DOWN]}) { nodes { name } }
             pulled: sources(filter: {kinds: [CONNECTOR, KAFKA_CONNECTOR]}) { nodes { name } }
             tagged: sources(filter: {tags: ["db"]}) { nodes { name } }
             overview { total worst byKind { kind count } byStatus { status count } byTag { tag status count } } }""",
    )
    assert data["sources"]["nodes"] == [
        {"__typename": "Service", "name": "api", "status": "UP"},
        {"__typename": "KafkaConnector", "name": "audit-source", "status": "PAUSED"},
        {"__typename": "Check", "name": "backup", "status": "NEW"},
        {"__typename": "Connector", "name": "npm", "status": "UP"},
        {"__typename": "Connector", "name": "nuget", "status": "DOWN"},
        {"__typename": "KafkaConnector", "name": "orders-sink", "status": "DEGRADED"},
    ]
    assert data["down"]["nodes"] == [{"name": "nuget"}]
    assert [n["name"] for n in data["pulled"]["nodes"]] == [
        "audit-source",
        "npm",
        "nuget",
        "orders-sink",
    ]
    assert data["tagged"]["nodes"] == [{"name": "backup"}]
    assert data["overview"] == {
        "total": 6,
        "worst": "DOWN",
        "byKind": [
            {"kind": "CHECK", "count": 1},
            {"kind": "CONNECTOR", "count": 2},
            {"kind": "SERVICE", "count": 1},
            {"kind": "KAFKA_CONNECTOR", "count": 2},
        ],
        "byStatus": [
            {"status": "DOWN", "count": 1},
            {"status": "DEGRADED", "count": 1},
            {"status": "NEW", "count": 1},
            {"status": "PAUSED", "count": 1},
            {"status": "UP", "count": 2},
        ],
        "byTag": [{"tag": "db", "status": "NEW", "count": 1}],
    }


async def test_pages_of_connectors_follow_the_cursor(client):
    for name in ("c", "a", "b"):
        await _connector(client, name=name, url="http://127.0.0.1:9/")
    first = await _ok(
        client, "{ connectors(first: 2) { nodes { name } pageInfo { endCursor hasNextPage } } }"
    )
    assert first["connectors"]["nodes"] == [{"name": "a"}, {"name": "b"}]
    after = first["connectors"]["pageInfo"]["endCursor"]
    rest = await _ok(
        client,
        "query ($after: String) { connectors(first: 2, after: $after) { nodes { name } pageInfo { hasNextPage } } }",
        {"after": after},
    )
    assert rest["connectors"] == {"nodes": [{"name": "c"}], "pageInfo": {"hasNextPage": False}}


async def test_latency_lists_recent_probes_newest_first(client, services, upstream, clock):
    created = await _connector(client, name="npm", url=upstream.set("/n", Reply()))
    ref = SourceRef(SourceKind.CONNECTOR, "1")
    for seconds, status, latency, error in [
        (0, Status.UP, 12.5, None),
        (60, Status.DOWN, 30.0, "HTTP 500 Oops"),
        (120, Status.UP, 8.25, None),
    ]:
        at = NOW + timedelta(seconds=seconds)
        await services.store.probe_history.add(ref, ProbeSample(at, status, latency, error))
    query = "query ($id: ID!, $n: Int!) { node(id: $id) { ... on ProbedSource { latency(first: $n) { at status latencyMs error } } } }"
    data = await _ok(client, query, {"id": created["id"], "n": 2})
    assert data["node"]["latency"] == [
        {"at": "2026-01-15T12:02:00+00:00", "status": "UP", "latencyMs": 8.25, "error": None},
        {
            "at": "2026-01-15T12:01:00+00:00",
            "status": "DOWN",
            "latencyMs": 30.0,
            "error": "HTTP 500 Oops",
        },
    ]
    too_many = await gql(client, query, {"id": created["id"], "n": 10_000})
    assert error_of(too_many)[1] == {"code": "BAD_USER_INPUT", "field": "first"}


async def test_probes_are_kept_in_the_latency_history(client, services, upstream, clock):
    created = await _connector(client, name="npm", url=upstream.set("/n", Reply()))
    await _probe(services, clock)
    clock.advance(60)
    upstream.set("/n", Reply(502, "Bad Gateway", b""))
    await _probe(services, clock)
    data = await _ok(
        client,
        "query ($id: ID!) { node(id: $id) { ... on Connector { latency { at status error } } } }",
        {"id": created["id"]},
    )
    assert data["node"]["latency"] == [
        {"at": "2026-01-15T12:01:00+00:00", "status": "DOWN", "error": "HTTP 502 Bad Gateway"},
        {"at": "2026-01-15T12:00:00+00:00", "status": "UP", "error": None},
    ]


async def test_badges_list_every_tag_and_all(client):
    await gql(client, 'mutation { createCheck(input: {name: "b", tags: ["db"]}) { created } }')
    data = await _ok(
        client, "{ badges { tag svg svg3 json json3 shields shields3 } }", key=TEAMMATE_KEY
    )
    tags = [badge["tag"] for badge in data["badges"]]
    assert tags == ["db", "*"]
    db = data["badges"][0]
    rest = await client.get("/api/v3/badges/", headers={"X-Api-Key": TEAMMATE_KEY})
    expected = rest.json()["badges"]
    assert {k: v for k, v in db.items() if k != "tag"} == expected["db"]
    assert {k: v for k, v in data["badges"][1].items() if k != "tag"} == expected["*"]


@pytest.fixture
async def server(app, live_server):
    return Server(app, live_server)


async def test_a_connector_that_starts_failing_reaches_a_subscriber(server, upstream, clock):
    services = server.app.state.services
    spec = ConnectorSpec(project="alpha", name="npm", url=upstream.set("/n", Reply()), interval=60)
    connector = await services.connectors.create(spec)
    await ProbeScheduler(services).run_due(clock())  # UNKNOWN -> UP
    async with _subscribed(server, TEAMMATE_KEY, {"filter": {"kinds": ["CONNECTOR"]}}) as ws:
        upstream.set("/n", Reply(503, "Service Unavailable", b""))
        clock.advance(60)
        assert await ProbeScheduler(services).run_due(clock()) == 1
        message = json.loads(await ws.recv())
    assert message["payload"]["data"]["statusChanged"] == {
        "sourceId": encode_global_id("Connector", str(connector.id)),
        "kind": "CONNECTOR",
        "name": "npm",
        "project": "alpha",
        "from": "UP",
        "to": "DOWN",
        "at": "2026-01-15T12:01:00+00:00",
        "reason": "HTTP 503 Service Unavailable",
    }
