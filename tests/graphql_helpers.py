"""Running GraphQL operations against the app in process."""

from typing import Any

import httpx

from tests.conftest import OWNER_KEY


async def gql(
    client: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any] | None = None,
    key: str = OWNER_KEY,
) -> dict[str, Any]:
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers={"X-Api-Key": key}
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def error_of(body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The only error's message and extensions."""
    (error,) = body["errors"]
    return error["message"], error.get("extensions", {})
