"""Unknown routes and methods answer JSON, never an HTML page or a 500."""

import pytest


@pytest.mark.parametrize("path", ["/nope", "/api/v9/checks/", "/api/v1/health/other"])
async def test_unknown_routes_get_json_404(client, path):
    response = await client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"error": "not found"}


@pytest.mark.parametrize(
    ("method", "path"), [("DELETE", "/api/v1/health/check"), ("PUT", "/graphql")]
)
async def test_wrong_methods_get_json_405(client, method, path):
    response = await client.request(method, path)
    assert response.status_code == 405
    assert response.json() == {"error": "method not allowed"}
    assert "allow" in response.headers


async def test_a_database_outage_is_a_503_not_a_500():
    import httpx
    from asgi_lifespan import LifespanManager

    from gateway.app import create_app
    from gateway.settings import Settings
    from tests.conftest import OWNER_KEY

    settings = Settings(
        mongodb_uri="mongodb://db.invalid:27017/?serverSelectionTimeoutMS=200&connectTimeoutMS=200",
        db_timeout=0.3,
    )
    app = create_app(settings)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            response = await http.post(
                "/graphql",
                json={"query": "{ viewer { project } }"},
                headers={"X-Api-Key": OWNER_KEY},
            )
    assert response.status_code == 503
    assert response.json() == {"error": "the database is unavailable"}
