"""The gateway's own health route, mosparo style (reference/mosparo-health.md, notes C.3)."""

import httpx
import pytest
from asgi_lifespan import LifespanManager

from gateway.app import create_app
from gateway.settings import Settings
from tests.conftest import BOOTSTRAP

URL = "/api/v1/health/check"


async def test_it_reports_healthy_with_the_documented_fields(client):
    response = await client.get(URL)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {
        "service": "healthgate",
        "healthy": True,
        "databaseStatus": "connected",
        "error": None,
    }


async def test_it_needs_no_key(client):
    response = await client.get(URL, headers={"X-Api-Key": "wrong"})
    assert response.status_code == 200


async def _get_from(address: str, settings: Settings, headers=None) -> httpx.Response:
    app = create_app(settings)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app, client=(address, 5555))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            return await http.get(URL, headers=headers)


@pytest.mark.parametrize(
    ("allow_list", "address", "status"),
    [
        ("127.0.0.1,::1", "127.0.0.1", 200),
        ("127.0.0.1,::1", "::1", 200),
        ("127.0.0.1,::1", "192.0.2.10", 404),
        ("10.0.0.0/8", "10.20.30.40", 200),
        ("10.0.0.0/8", "11.0.0.1", 404),
        ("fd00::/8", "fd12:3456::1", 200),
        ("fd00::/8", "fe80::1", 404),
        ("127.0.0.0/8", "::ffff:127.0.0.1", 404),
    ],
)
async def test_the_allow_list_admits_only_listed_callers(allow_list, address, status):
    settings = Settings(bootstrap_keys=BOOTSTRAP, health_allow_list=allow_list)
    response = await _get_from(address, settings)
    assert response.status_code == status
    if status == 404:
        # mosparo's route does not match a refused caller: 404, and here a JSON body.
        assert response.json() == {"error": "not found"}
    else:
        assert response.json()["healthy"] is True


async def test_forwarded_for_counts_from_a_trusted_proxy():
    settings = Settings(
        bootstrap_keys=BOOTSTRAP, health_allow_list="203.0.113.7", trusted_proxies="10.0.0.1"
    )
    forwarded = {"X-Forwarded-For": "203.0.113.7"}
    assert (await _get_from("10.0.0.1", settings, forwarded)).status_code == 200
    # The same header from a caller that is not a trusted proxy changes nothing.
    assert (await _get_from("10.0.0.2", settings, forwarded)).status_code == 404


async def test_a_spoofed_forwarded_for_does_not_open_the_route():
    settings = Settings(bootstrap_keys=BOOTSTRAP, trusted_proxies="")
    response = await _get_from("192.0.2.66", settings, {"X-Forwarded-For": "127.0.0.1"})
    assert response.status_code == 404


async def test_it_answers_500_within_the_bound_when_the_database_is_down():
    # A name under .invalid never resolves (RFC 6761): a database that cannot be reached,
    # and no socket is opened that the driver could leave unclosed.
    settings = Settings(
        bootstrap_keys=BOOTSTRAP,
        mongodb_uri="mongodb://db.invalid:27017/?serverSelectionTimeoutMS=200&connectTimeoutMS=200",
        db_timeout=0.5,
    )
    response = await _get_from("127.0.0.1", settings)
    assert response.status_code == 500
    body = response.json()
    assert body["service"] == "healthgate"
    assert body["healthy"] is False
    assert body["databaseStatus"] == "connection-failed"
    assert isinstance(body["error"], str)
    assert body["error"]
    assert set(body) == {"service", "healthy", "databaseStatus", "error"}


async def test_other_methods_get_json_405(client):
    response = await client.post(URL)
    assert response.status_code == 405
    assert response.json() == {"error": "method not allowed"}
