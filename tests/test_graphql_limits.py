"""Limits against abusive queries; masked internal errors; request ids."""

import logging

import pytest

from gateway.settings import Settings
from tests.conftest import BOOTSTRAP, OWNER_KEY

HEADERS = {"X-Api-Key": OWNER_KEY}


@pytest.fixture
def settings():
    return Settings(
        bootstrap_keys=BOOTSTRAP,
        create_default_project=False,
        graphql_max_depth=3,
        graphql_max_aliases=2,
        graphql_max_tokens=200,
    )


async def test_it_refuses_queries_deeper_than_the_limit(client):
    # sources > nodes > flips > nodes > name is 5 levels; the limit here is 3.
    query = "{ sources { nodes { flips { nodes { name } } } } }"
    response = await client.post("/graphql", json={"query": query}, headers=HEADERS)
    body = response.json()
    assert body.get("data") is None
    assert body["errors"][0]["message"] == "'anonymous' exceeds maximum operation depth of 3"


async def test_it_refuses_too_many_aliases(client):
    query = "{ a: viewer { project } b: viewer { project } c: viewer { project } }"
    response = await client.post("/graphql", json={"query": query}, headers=HEADERS)
    assert response.json()["errors"][0]["message"] == ("3 aliases found. Allowed: 2")


async def test_it_refuses_too_many_tokens(client):
    query = "{ viewer { " + " ".join(["project"] * 300) + " } }"
    response = await client.post("/graphql", json={"query": query}, headers=HEADERS)
    assert response.json()["errors"][0]["message"] == (
        "Syntax Error: Document contains more than 200 tokens. Parsing aborted."
    )


async def test_queries_within_the_limits_run(client):
    response = await client.post(
        "/graphql", json={"query": "{ a: viewer { project } }"}, headers=HEADERS
    )
    assert response.json() == {"data": {"a": {"project": "alpha"}}}


async def test_every_response_carries_a_request_id(client):
    response = await client.get("/api/v1/health/check")
    assert len(response.headers["x-request-id"]) == 32
    echoed = await client.get("/nope", headers={"X-Request-Id": "trace-123"})
    assert echoed.headers["x-request-id"] == "trace-123"
    forged = await client.get("/nope", headers={"X-Request-Id": "bad id\r\nX: y"})
    assert forged.headers["x-request-id"] != "bad id\r\nX: y"


async def test_an_internal_error_is_masked_and_logged_with_the_request_id(
    client, caplog, monkeypatch
):
    from resolvers.types.viewer import Viewer

    def broken(principal):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(Viewer, "from_domain", broken)
    with caplog.at_level(logging.ERROR, logger="healthgate.graphql"):
        response = await client.post(
            "/graphql",
            json={"query": "{ viewer { project } }"},
            headers={**HEADERS, "X-Request-Id": "req-42"},
        )
    (error,) = response.json()["errors"]
    assert error["message"] == "Unexpected error."
    assert error["extensions"] == {"code": "INTERNAL", "requestId": "req-42"}
    assert "secret internals" not in response.text
    (record,) = [r for r in caplog.records if r.name == "healthgate.graphql"]
    assert "request req-42" in record.getMessage()
    assert record.exc_info is not None
