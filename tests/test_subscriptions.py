"""statusChanged over real WebSocket sessions; the event buses behind it."""

import asyncio
import json
import uuid
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from websockets.asyncio.client import connect
from websockets.typing import Subprotocol

from gateway.domain.status import Flip, SourceKind, SourceRef, Status
from gateway.services.events import ChangeStreamBus, EventBus, SubscriberOverflowError
from resolvers.ids import source_global_id
from tests.conftest import NOW, OUTSIDER_KEY, OWNER_KEY, TEAMMATE_KEY

TRANSPORT_WS = Subprotocol("graphql-transport-ws")
STATUS_CHANGED = """subscription ($filter: StatusChangeFilter) {
  statusChanged(filter: $filter) { sourceId kind name project from to at reason }
}"""


def _ref(kind: SourceKind, source_id: str) -> SourceRef:
    # Checks are identified by uuids; other kinds by their own ids.
    if kind is SourceKind.CHECK:
        return SourceRef(kind, str(uuid.uuid5(uuid.NAMESPACE_URL, source_id)))
    return SourceRef(kind, source_id)


def _flip(project="alpha", kind=SourceKind.CHECK, source_id="c-1", to=Status.DOWN) -> Flip:
    return Flip(
        project=project,
        source=_ref(kind, source_id),
        name=f"{kind.value} {source_id}",
        from_status=Status.UP,
        to_status=to,
        at=NOW,
        reason="timeout",
    )


@asynccontextmanager
async def _subscribed(server, key, variables=None, subscribers_before=0):
    services = server.app.state.services
    async with connect(f"ws://{server.address}/graphql", subprotocols=[TRANSPORT_WS]) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {"apiKey": key}}))
        assert json.loads(await ws.recv()) == {"type": "connection_ack"}
        payload = {"query": STATUS_CHANGED, "variables": variables or {}}
        await ws.send(json.dumps({"id": "s", "type": "subscribe", "payload": payload}))
        # Waits for the server to register the subscriber (readiness, not time).
        while services.bus.subscriber_count <= subscribers_before:  # noqa: ASYNC110
            await asyncio.sleep(0.005)
        yield ws


@dataclass
class Server:
    app: FastAPI
    address: str


@pytest.fixture
async def server(app, live_server):
    return Server(app, live_server)


async def test_a_recorded_flip_reaches_a_subscriber(server):
    services = server.app.state.services
    async with _subscribed(server, OWNER_KEY) as ws:
        await services.flips.record(_flip())
        message = json.loads(await ws.recv())
    assert message == {
        "id": "s",
        "type": "next",
        "payload": {
            "data": {
                "statusChanged": {
                    "sourceId": source_global_id(_ref(SourceKind.CHECK, "c-1")),
                    "kind": "CHECK",
                    "name": "check c-1",
                    "project": "alpha",
                    "from": "UP",
                    "to": "DOWN",
                    "at": "2026-01-15T12:00:00+00:00",
                    "reason": "timeout",
                }
            }
        },
    }


async def test_subscribers_see_only_their_own_project_and_their_filter(server):
    services = server.app.state.services
    connectors_only = {"filter": {"kinds": ["CONNECTOR"]}}
    async with (
        _subscribed(server, OUTSIDER_KEY) as beta,
        _subscribed(server, TEAMMATE_KEY, connectors_only, subscribers_before=1) as alpha,
    ):
        await services.flips.record(_flip(project="alpha", kind=SourceKind.CHECK))
        await services.flips.record(_flip(project="beta", source_id="b-1"))
        await services.flips.record(
            _flip(project="alpha", kind=SourceKind.CONNECTOR, source_id="7")
        )
        beta_got = json.loads(await beta.recv())["payload"]["data"]["statusChanged"]
        alpha_got = json.loads(await alpha.recv())["payload"]["data"]["statusChanged"]
    assert (beta_got["project"], beta_got["name"]) == ("beta", "check b-1")
    assert (alpha_got["project"], alpha_got["kind"], alpha_got["name"]) == (
        "alpha",
        "CONNECTOR",
        "connector 7",
    )


async def test_a_source_id_filter_selects_one_source(server):
    services = server.app.state.services
    wanted = source_global_id(SourceRef(SourceKind.SERVICE, "s-2"))
    async with _subscribed(server, OWNER_KEY, {"filter": {"sourceIds": [wanted]}}) as ws:
        await services.flips.record(_flip(kind=SourceKind.SERVICE, source_id="s-1"))
        await services.flips.record(_flip(kind=SourceKind.SERVICE, source_id="s-2", to=Status.UP))
        got = json.loads(await ws.recv())["payload"]["data"]["statusChanged"]
    assert (got["sourceId"], got["to"]) == (wanted, "UP")


async def test_a_bad_source_id_is_a_coded_error(server):
    async with connect(f"ws://{server.address}/graphql", subprotocols=[TRANSPORT_WS]) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {"apiKey": OWNER_KEY}}))
        await ws.recv()
        payload = {"query": STATUS_CHANGED, "variables": {"filter": {"sourceIds": ["!!"]}}}
        await ws.send(json.dumps({"id": "s", "type": "subscribe", "payload": payload}))
        message = json.loads(await ws.recv())
    (error,) = message["payload"]["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "id"}


async def test_a_subscriber_that_falls_behind_is_told_and_dropped_without_blocking_others():
    bus = EventBus(queue_size=2)
    received = []
    async with bus.subscribe() as slow, bus.subscribe() as fast:
        for n in range(3):
            bus.publish(n)  # never blocks, although "slow" reads nothing
            received.append(await anext(fast))
        assert bus.subscriber_count == 1  # the slow one was dropped at the third event
        with pytest.raises(SubscriberOverflowError, match="fell behind and was disconnected"):
            await anext(slow)
    assert received == [0, 1, 2]


class FakeChangeStream:
    """Stands in for MongoDB's change stream: yields queued (token, flip) pairs."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue[Any] = asyncio.Queue()
        self.opened_with: list[Any] = []
        self.fail_next = False

    @asynccontextmanager
    async def __call__(self, resume_after):
        self.opened_with.append(resume_after)
        if self.fail_next:
            self.fail_next = False
            raise ConnectionError("stream lost")

        async def events():
            while True:
                item = await self.queue.get()
                if isinstance(item, Exception):
                    raise item
                yield item

        yield events()


async def test_the_change_stream_bus_publishes_what_the_stream_reports(monkeypatch):
    import gateway.services.events as events

    monkeypatch.setattr(events, "_RETRY_SECONDS", (0,))
    stream = FakeChangeStream()
    bus = ChangeStreamBus(stream)
    runner = asyncio.create_task(bus.run())
    try:
        async with bus.subscribe() as subscription:
            bus.announce(_flip(source_id="local"))  # a local record waits for the stream
            await stream.queue.put(("token-1", _flip(source_id="from-replica-2")))
            first = await anext(subscription)
            await stream.queue.put(ConnectionError("primary stepped down"))
            await stream.queue.put(("token-2", _flip(source_id="after-resume")))
            second = await anext(subscription)
    finally:
        runner.cancel()
        await asyncio.gather(runner, return_exceptions=True)
    assert [first.name, second.name] == ["check from-replica-2", "check after-resume"]
    # It resumed after the error from the last token it had seen.
    assert stream.opened_with == [None, "token-1"]


def test_the_change_stream_bus_needs_a_real_mongodb():
    from pydantic import ValidationError

    from gateway.settings import Settings

    with pytest.raises(ValidationError, match="needs MONGODB_URI"):
        Settings(event_bus="changestream")
    settings = Settings(event_bus="changestream", mongodb_uri="mongodb://db/?replicaSet=rs0")
    assert settings.event_bus == "changestream"


async def test_a_check_missing_its_deadline_reaches_a_subscriber(server, clock):
    """End to end: create and ping a check over HTTP, miss the deadline, get the flip."""
    import httpx

    services = server.app.state.services
    async with httpx.AsyncClient(base_url=f"http://{server.address}") as http:
        created = await http.post(
            "/graphql",
            headers={"X-Api-Key": OWNER_KEY},
            json={
                "query": 'mutation { createCheck(input: {name: "nightly", timeout: 60, grace: 60}) '
                "{ check { uuid id } } }"
            },
        )
        check = created.json()["data"]["createCheck"]["check"]
        assert (await http.get(f"/ping/{check['uuid']}")).text == "OK"
        filter_ = {"filter": {"sourceIds": [check["id"]]}}
        async with _subscribed(server, TEAMMATE_KEY, filter_) as ws:
            clock.advance(121)  # one second past timeout + grace
            await services.sweeper.sweep_once()
            message = json.loads(await ws.recv())
    change = message["payload"]["data"]["statusChanged"]
    assert change == {
        "sourceId": check["id"],
        "kind": "CHECK",
        "name": "nightly",
        "project": "alpha",
        "from": "UP",
        "to": "DOWN",
        "at": "2026-01-15T12:02:00+00:00",  # the deadline, not when it was noticed
        "reason": "timeout",
    }


async def test_pinged_yields_each_ping_of_one_check(server):
    import httpx

    services = server.app.state.services
    async with httpx.AsyncClient(base_url=f"http://{server.address}") as http:
        made = []
        for name in ("watched", "other"):
            created = await http.post(
                "/graphql",
                headers={"X-Api-Key": OWNER_KEY},
                json={
                    "query": "mutation ($n: String!) { createCheck(input: {name: $n}) "
                    "{ check { uuid uniqueKey } } }",
                    "variables": {"n": name},
                },
            )
            made.append(created.json()["data"]["createCheck"]["check"])
        watched, other = made
        async with connect(f"ws://{server.address}/graphql", subprotocols=[TRANSPORT_WS]) as ws:
            await ws.send(
                json.dumps({"type": "connection_init", "payload": {"apiKey": TEAMMATE_KEY}})
            )
            await ws.recv()
            query = "subscription ($id: String!) { pinged(checkId: $id) { n kind method body } }"
            payload = {"query": query, "variables": {"id": watched["uniqueKey"]}}
            await ws.send(json.dumps({"id": "p", "type": "subscribe", "payload": payload}))
            while services.bus.subscriber_count < 1:  # noqa: ASYNC110 - readiness, not time
                await asyncio.sleep(0.005)
            await http.post(f"/ping/{other['uuid']}", content=b"not this one")
            await http.post(f"/ping/{watched['uuid']}/fail", content=b"disk full")
            message = json.loads(await ws.recv())
    assert message["payload"]["data"]["pinged"] == {
        "n": 1,
        "kind": "FAIL",
        "method": "POST",
        "body": "disk full",
    }
