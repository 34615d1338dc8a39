"""Nested fields are batched: database round trips do not grow with the number of sources."""

import pytest

from tests.graphql_helpers import gql

QUERY = """{ sources(first: 100) { nodes { name status statusSince
  flips(first: 3) { totalCount } ... on Check { pings(first: 10) { nodes { n kind body } } } } } }"""


@pytest.fixture
def round_trips(monkeypatch):
    """Counts the embedded store's queries, by collection."""
    from mongomock_motor import AsyncMongoMockCollection

    counts: dict[str, int] = {}
    for method in ("find", "find_one", "count_documents", "aggregate"):
        original = getattr(AsyncMongoMockCollection, method)

        def counting(self, *args, _original=original, **kwargs):
            counts[self.name] = counts.get(self.name, 0) + 1
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(AsyncMongoMockCollection, method, counting)
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
    # One query for the caller's key, one for all pings, one for their bodies, and
    # one per flips window asked for (statusSince's newest flip, the flips page).
    assert trips == {"api_keys": 1, "pings": 2, "flips": 2}
