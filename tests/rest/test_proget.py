"""ProGet connector health: ``GET``/``HEAD /api/connector-health[/<id>]``
(reference/proget-connector-health.md, notes C.2)."""

import pytest

from gateway.app import create_app
from gateway.domain.sources import ConnectorSpec
from gateway.loop.scheduler import ProbeScheduler
from gateway.settings import Settings
from tests.conftest import BOOTSTRAP, CONNECTOR_KEY, OUTSIDER_KEY, OWNER_KEY, TEAMMATE_KEY
from tests.fakes import Reply, gateway_services

URL = "/api/connector-health"


@pytest.fixture
def settings() -> Settings:
    return Settings(
        bootstrap_keys=BOOTSTRAP,
        create_default_project=False,
        loop_enabled=False,
        loop_jitter_seconds=0,
    )


@pytest.fixture
def app(settings, store, clock):
    return create_app(settings, clock=clock, store=store, background=[])


@pytest.fixture
async def services(settings, store, clock):
    async with gateway_services(settings, store, clock) as built:
        yield built


def spec(name: str, url: str, project: str = "alpha") -> ConnectorSpec:
    return ConnectorSpec(project=project, name=name, url=url, timeout=2)


def key(value: str) -> dict[str, str]:
    return {"X-ApiKey": value}


async def test_connectors_are_unknown_until_their_first_probe(client, services, upstream):
    url = upstream.set("/npm", Reply())
    await services.connectors.create(spec("npmjs.org", url))
    response = await client.get(URL, headers=key(CONNECTOR_KEY))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == [
        {
            "id": 1,
            "name": "npmjs.org",
            "url": url,
            "state": "unknown",
            "errorMessage": None,
            "lastChecked": None,
        }
    ]


async def test_it_lists_healthy_and_error_connectors_with_stable_ids(
    client, services, upstream, clock
):
    npm = upstream.set("/npm", Reply())
    nuget = upstream.set("/nuget", Reply(503, "Service Unavailable", b""))
    await services.connectors.create(spec("npmjs.org", npm))
    await services.connectors.create(spec("nuget.org", nuget))
    await services.connectors.create(spec("theirs", npm, project="beta"))
    clock.advance(1.5)
    assert await ProbeScheduler(services).run_due(clock()) == 3
    response = await client.get(URL, headers=key(OWNER_KEY))
    assert response.status_code == 200
    # The docs' example says "unhealthy" and "erroMessage": the data-model table wins.
    assert response.json() == [
        {
            "id": 1,
            "name": "npmjs.org",
            "url": npm,
            "state": "healthy",
            "errorMessage": None,
            "lastChecked": "2026-01-15T12:00:01.500+00:00",
        },
        {
            "id": 2,
            "name": "nuget.org",
            "url": nuget,
            "state": "error",
            "errorMessage": "HTTP 503 Service Unavailable",
            "lastChecked": "2026-01-15T12:00:01.500+00:00",
        },
    ]


async def test_one_connector_by_id(client, services, upstream):
    url = upstream.set("/npm", Reply())
    await services.connectors.create(spec("npmjs.org", url))
    created = await services.connectors.create(spec("pypi.org", url))
    response = await client.get(f"{URL}/{created.id}", headers=key(CONNECTOR_KEY))
    assert response.status_code == 200
    assert response.json() == {
        "id": 2,
        "name": "pypi.org",
        "url": url,
        "state": "unknown",
        "errorMessage": None,
        "lastChecked": None,
    }


@pytest.mark.parametrize("connector_id", ["99", "abc", "-1", "1.0", "0"])
async def test_an_unknown_id_is_404(client, services, upstream, connector_id):
    await services.connectors.create(spec("npmjs.org", upstream.set("/npm", Reply())))
    response = await client.get(f"{URL}/{connector_id}", headers=key(CONNECTOR_KEY))
    assert response.status_code == 404
    assert response.json() == {"error": "connector not found"}


async def test_another_projects_connector_is_404_and_not_listed(client, services, upstream):
    created = await services.connectors.create(spec("npmjs.org", upstream.set("/n", Reply())))
    response = await client.get(f"{URL}/{created.id}", headers=key(OUTSIDER_KEY))
    assert response.status_code == 404
    listing = await client.get(URL, headers=key(OUTSIDER_KEY))
    assert (listing.status_code, listing.json()) == (200, [])


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({}, "missing api key"),
        (key("x" * 32), "wrong api key"),
        (key(TEAMMATE_KEY), "this API key may not read connector health"),
    ],
    ids=["missing", "invalid", "read-only-scope"],
)
@pytest.mark.parametrize("path", [URL, f"{URL}/1"])
async def test_a_missing_invalid_or_unfit_key_is_403(
    client, services, upstream, headers, message, path
):
    await services.connectors.create(spec("npmjs.org", upstream.set("/n", Reply())))
    response = await client.get(path, headers=headers)
    assert response.status_code == 403
    assert response.json() == {"error": message}


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"headers": {"X-ApiKey": CONNECTOR_KEY}},
        {"headers": {"x-apikey": CONNECTOR_KEY}},
        {"params": {"key": CONNECTOR_KEY}},
        {"json": {"API_Key": CONNECTOR_KEY}},
        {"data": {"key": CONNECTOR_KEY}},
    ],
    ids=["header", "header-lowercase", "query", "json-API_Key", "form"],
)
async def test_it_takes_the_key_in_each_way_proget_documents(client, request_kwargs):
    response = await client.request("GET", URL, **request_kwargs)
    assert (response.status_code, response.json()) == (200, [])


@pytest.mark.parametrize(
    ("path", "headers", "status"),
    [
        (URL, key(CONNECTOR_KEY), 200),
        (f"{URL}/1", key(CONNECTOR_KEY), 200),
        (f"{URL}/7", key(CONNECTOR_KEY), 404),
        (URL, {}, 403),
    ],
)
async def test_head_has_the_status_and_headers_of_get_and_no_body(
    client, services, upstream, path, headers, status
):
    await services.connectors.create(spec("npmjs.org", upstream.set("/n", Reply())))
    got = await client.get(path, headers=headers)
    head = await client.head(path, headers=headers)
    assert (got.status_code, head.status_code) == (status, status)
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers["content-length"] == got.headers["content-length"]


async def test_the_collection_path_is_served_without_a_redirect(client):
    response = await client.get(URL, headers=key(CONNECTOR_KEY))
    assert response.status_code == 200
    slash = await client.get(URL + "/", headers=key(CONNECTOR_KEY))
    assert slash.status_code == 200


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
async def test_other_methods_are_405(client, method):
    response = await client.request(method, URL, headers=key(CONNECTOR_KEY))
    assert response.status_code == 405
    assert response.json() == {"error": "method not allowed"}


async def test_kept_connectors_keep_their_id_when_another_is_deleted(client, services, upstream):
    url = upstream.set("/n", Reply())
    first = await services.connectors.create(spec("a", url))
    second = await services.connectors.create(spec("b", url))
    await services.connectors.delete(first.id)
    third = await services.connectors.create(spec("c", url))
    response = await client.get(URL, headers=key(CONNECTOR_KEY))
    assert [(c["id"], c["name"]) for c in response.json()] == [(second.id, "b"), (third.id, "c")]
    assert third.id == 3  # ids are never reused
