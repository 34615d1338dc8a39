"""GraphQL over HTTP (POST and GET) and over real WebSocket sessions, both protocols."""

import json

import pytest
from websockets.asyncio.client import connect
from websockets.typing import Subprotocol

from gateway.services.keys import KeysService
from tests.conftest import CONNECTOR_KEY, OUTSIDER_KEY, OWNER_KEY, TEAMMATE_KEY

VIEWER = "{ viewer { project scope keyPrefix } }"
TRANSPORT_WS = Subprotocol("graphql-transport-ws")
LEGACY_WS = Subprotocol("graphql-ws")


@pytest.mark.parametrize(
    ("key", "project", "scope"),
    [
        (OWNER_KEY, "alpha", "READ_WRITE"),
        (TEAMMATE_KEY, "alpha", "READ_ONLY"),
        (OUTSIDER_KEY, "beta", "READ_WRITE"),
    ],
)
async def test_viewer_names_the_project_and_scope_of_the_key(client, key, project, scope):
    response = await client.post("/graphql", json={"query": VIEWER}, headers={"X-Api-Key": key})
    assert response.status_code == 200
    assert response.json() == {
        "data": {"viewer": {"project": project, "scope": scope, "keyPrefix": key[:8]}}
    }


async def test_it_accepts_a_bearer_token(client):
    response = await client.post(
        "/graphql", json={"query": VIEWER}, headers={"Authorization": f"Bearer {OWNER_KEY}"}
    )
    assert response.json()["data"]["viewer"]["project"] == "alpha"


async def test_it_answers_queries_sent_with_get(client):
    response = await client.get(
        "/graphql", params={"query": VIEWER}, headers={"X-Api-Key": TEAMMATE_KEY}
    )
    assert response.status_code == 200
    assert response.json()["data"]["viewer"]["scope"] == "READ_ONLY"


@pytest.mark.parametrize(
    ("headers", "error"),
    [
        ({}, "missing api key"),
        ({"X-Api-Key": "short"}, "missing api key"),
        ({"X-Api-Key": "hgw_" + "z" * 28}, "wrong api key"),
    ],
)
async def test_it_refuses_a_missing_or_wrong_key_with_401_json(client, headers, error):
    response = await client.post("/graphql", json={"query": VIEWER}, headers=headers)
    assert response.status_code == 401
    assert response.json() == {"error": error}


async def test_a_connector_health_key_cannot_use_graphql(client):
    response = await client.post(
        "/graphql", json={"query": VIEWER}, headers={"X-Api-Key": CONNECTOR_KEY}
    )
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"] == {"code": "FORBIDDEN"}


async def test_a_revoked_key_stops_working_at_once(client, store, clock):
    headers = {"X-Api-Key": OWNER_KEY}
    assert (
        await client.post("/graphql", json={"query": VIEWER}, headers=headers)
    ).status_code == 200
    await KeysService(store, clock).revoke(OWNER_KEY)
    response = await client.post("/graphql", json={"query": VIEWER}, headers=headers)
    assert response.status_code == 401
    assert response.json() == {"error": "wrong api key"}


async def test_the_graphiql_page_loads_in_a_browser_without_a_key(client):
    response = await client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


async def test_a_syntax_error_is_reported_not_masked(client):
    response = await client.post(
        "/graphql", json={"query": "{ viewer { "}, headers={"X-Api-Key": OWNER_KEY}
    )
    assert response.status_code == 200
    assert response.json()["data"] is None
    assert response.json()["errors"][0]["message"].startswith("Syntax Error: Expected Name")


async def _transport_ws_session(url, payload):
    async with connect(url, subprotocols=[TRANSPORT_WS]) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
        ack = json.loads(await ws.recv())
        if ack["type"] != "connection_ack":
            return ack, []
        await ws.send(
            json.dumps(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {
                        "query": "subscription { heartbeat(intervalSeconds: 0.01, count: 3) "
                        "{ sequence } }"
                    },
                }
            )
        )
        messages = [json.loads(await ws.recv()) for _ in range(4)]
        return ack, messages


async def test_a_subscription_runs_over_graphql_transport_ws(live_server):
    ack, messages = await _transport_ws_session(
        f"ws://{live_server}/graphql", {"apiKey": OWNER_KEY}
    )
    assert ack == {"type": "connection_ack"}
    assert messages == [
        {"id": "1", "type": "next", "payload": {"data": {"heartbeat": {"sequence": n}}}}
        for n in (1, 2, 3)
    ] + [{"id": "1", "type": "complete"}]


async def test_graphql_transport_ws_rejects_a_wrong_key(live_server):
    from websockets.exceptions import ConnectionClosed

    with pytest.raises(ConnectionClosed) as closed:
        await _transport_ws_session(f"ws://{live_server}/graphql", {"apiKey": "x" * 32})
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4403


async def test_a_subscription_runs_over_the_older_graphql_ws(live_server):
    async with connect(f"ws://{live_server}/graphql", subprotocols=[LEGACY_WS]) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {"apiKey": TEAMMATE_KEY}}))
        assert json.loads(await ws.recv()) == {"type": "connection_ack"}
        query = "subscription { heartbeat(intervalSeconds: 0.01, count: 2) { sequence } }"
        await ws.send(json.dumps({"id": "7", "type": "start", "payload": {"query": query}}))
        received = []
        while True:
            message = json.loads(await ws.recv())
            if message["type"] == "ka":
                continue
            received.append(message)
            if message["type"] == "complete":
                break
    assert received == [
        {"id": "7", "type": "data", "payload": {"data": {"heartbeat": {"sequence": 1}}}},
        {"id": "7", "type": "data", "payload": {"data": {"heartbeat": {"sequence": 2}}}},
        {"id": "7", "type": "complete"},
    ]


async def test_a_websocket_key_in_the_upgrade_header_works(live_server):
    async with connect(
        f"ws://{live_server}/graphql",
        subprotocols=[TRANSPORT_WS],
        additional_headers={"X-Api-Key": OUTSIDER_KEY},
    ) as ws:
        await ws.send(json.dumps({"type": "connection_init"}))
        assert json.loads(await ws.recv()) == {"type": "connection_ack"}
        await ws.send(
            json.dumps(
                {
                    "id": "a",
                    "type": "subscribe",
                    "payload": {"query": "subscription { heartbeat(count: 1) { sequence } }"},
                }
            )
        )
        assert json.loads(await ws.recv())["payload"] == {"data": {"heartbeat": {"sequence": 1}}}


async def test_a_subscription_with_a_bad_argument_gets_a_coded_error(live_server):
    async with connect(f"ws://{live_server}/graphql", subprotocols=[TRANSPORT_WS]) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {"apiKey": OWNER_KEY}}))
        await ws.recv()
        query = "subscription { heartbeat(intervalSeconds: 0) { sequence } }"
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query}}))
        message = json.loads(await ws.recv())
    assert message["type"] == "next"
    (error,) = message["payload"]["errors"]
    assert error["message"] == "intervalSeconds must be between 0.01 and 3600"
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "intervalSeconds"}
