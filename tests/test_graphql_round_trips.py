"""Nested fields are batched: database round trips do not grow with the number of sources."""

import inspect

import pytest

from gateway.domain.kafka import KafkaConnector
from gateway.domain.probes import ProbeSample
from gateway.domain.sources import ConnectorSpec, KafkaClusterSpec, ServiceSpec
from gateway.domain.status import Status
from tests.conftest import NOW
from tests.graphql_helpers import gql

QUERY = """{ sources(first: 100) { nodes { name status statusSince
  flips(first: 3) { totalCount } ... on Check { pings(first: 10) { nodes { n kind body } } } } } }"""


@pytest.fixture
def app(settings, store, clock):
    """No background jobs: the notifier or the probe loop would add calls of their own."""
    from gateway.app import create_app

    return create_app(settings, clock=clock, store=store, background=[])


@pytest.fixture
def round_trips(monkeypatch, store):
    """Counts calls to the store's repositories (each is one database round trip)."""
    counts: dict[str, int] = {}
    for repo_name, repo in store.repositories.items():
        for method in dir(repo):
            original = getattr(repo, method)
            if method.startswith("_") or not inspect.iscoroutinefunction(original):
                continue

            async def counting(*args, _original=original, _name=f"{repo_name}.{method}", **kw):
                counts[_name] = counts.get(_name, 0) + 1
                return await _original(*args, **kw)

            monkeypatch.setattr(repo, method, counting)
    return counts


async def _trips_for(client, round_trips, n_checks: int) -> dict[str, int]:
    for n in range(n_checks):
        created = await gql(
            client,
            "mutation ($n: String!) { createCheck(input: {name: $n}) { check { uuid } } }",
            {"n": f"c{n:03}"},
        )
        uuid = created["data"]["createCheck"]["check"]["uuid"]
        for kind in ("FAIL", "SUCCESS"):
            await gql(
                client,
                f'mutation ($id: String!) {{ pingCheck(id: $id, kind: {kind}, body: "b") {{ status }} }}',
                {"id": uuid},
            )
    round_trips.clear()
    body = await gql(client, QUERY)
    nodes = body["data"]["sources"]["nodes"]
    assert len(nodes) == n_checks
    assert all(len(node["pings"]["nodes"]) == 2 for node in nodes)
    assert all(node["flips"]["totalCount"] == 2 for node in nodes)
    assert all(node["pings"]["nodes"][0]["body"] == "b" for node in nodes)
    return dict(round_trips)


@pytest.mark.parametrize("n_checks", [3, 30])
async def test_round_trips_do_not_grow_with_the_number_of_sources(client, round_trips, n_checks):
    trips = await _trips_for(client, round_trips, n_checks)
    # The caller's key, the project's checks, all their pings, the bodies asked
    # for, and one query per flips window (statusSince's newest flip, the page);
    # and one query per kind of probed source (none of which exist here).
    assert trips == {
        "keys.find_by_hash": 1,
        "checks.find": 1,
        "connectors.find_all": 1,
        "service_sources.find_all": 1,
        "kafka_clusters.find_all": 1,
        "pings.newest_for_checks": 1,
        "pings.bodies": 1,
        "flips.for_sources": 2,
    }


MIXED = """{ sources(first: 100) { nodes { name status statusSince flips(first: 3) { totalCount }
  ... on ProbedSource { latency(first: 5) { status } }
  ... on KafkaConnector { tasks { id } cluster { name connectors { name } } } } } }"""


async def _mixed_trips(app, client, round_trips, n: int) -> dict[str, int]:
    services = app.state.services
    url = "http://127.0.0.1:9/"
    for i in range(n):
        connector = await services.connectors.create(
            ConnectorSpec(project="alpha", name=f"c{i}", url=url)
        )
        service = await services.service_sources.create(
            ServiceSpec(project="alpha", name=f"s{i}", url=url)
        )
        cluster = await services.kafka.create(
            KafkaClusterSpec(project="alpha", name=f"k{i}", url=url)
        )
        kafka = KafkaConnector(cluster.id, "alpha", f"kc{i}", "sink", "RUNNING", "w", "", ())
        await services.store.kafka_connectors.put(kafka)
        for ref in (
            services.connectors.ref(connector.id),
            services.service_sources.ref(service.id),
        ):
            await services.store.probe_history.add(ref, ProbeSample(NOW, Status.UP, 1.0))
    round_trips.clear()
    body = await gql(client, MIXED)
    nodes = body["data"]["sources"]["nodes"]
    assert len(nodes) == 3 * n
    assert sum(len(node["latency"]) for node in nodes) == 2 * n
    return dict(round_trips)


@pytest.mark.parametrize("n", [2, 12])
async def test_a_page_mixing_kinds_costs_the_same_round_trips_for_any_size(
    app, client, round_trips, n
):
    trips = await _mixed_trips(app, client, round_trips, n)
    # One query per kind, one for the Kafka connectors of the page's clusters and one
    # for the clusters' connectors field, one for the latency of every probed source.
    assert trips == {
        "keys.find_by_hash": 1,
        "checks.find": 1,
        "connectors.find_all": 1,
        "service_sources.find_all": 1,
        "kafka_clusters.find_all": 1,
        "kafka_connectors.for_clusters": 2,
        "probe_history.recent_many": 1,
        "flips.for_sources": 2,
    }
