"""The Management API's check endpoints through HTTP, for every key kind and version."""

import pytest

from gateway.domain.checks.naming import unique_key
from tests.checks.conftest import EMAIL, OTHER, RW, SMS, make_check
from tests.conftest import CONNECTOR_KEY, OUTSIDER_KEY, TEAMMATE_KEY

RO = {"X-Api-Key": TEAMMATE_KEY}
BETA = {"X-Api-Key": OUTSIDER_KEY}
SITE = "http://localhost:8000"
MISSING_UUID = "00000000-0000-4000-8000-000000000000"


async def test_it_creates_a_simple_check_with_every_default(client):
    response = await client.post("/api/v3/checks/", json={"name": "Backups"}, headers=RW)
    assert response.status_code == 201
    body = response.json()
    code = body["uuid"]
    assert len(body) == 29
    assert {k: v for k, v in body.items() if k not in ("uuid", "badge_url")} == {
        "name": "Backups",
        "slug": "",
        "tags": "",
        "desc": "",
        "grace": 3600,
        "n_pings": 0,
        "status": "new",
        "started": False,
        "last_ping": None,
        "next_ping": None,
        "manual_resume": False,
        "methods": "",
        "subject": "",
        "subject_fail": "",
        "start_kw": "",
        "success_kw": "",
        "failure_kw": "",
        "filter_subject": False,
        "filter_body": False,
        "filter_http_body": False,
        "filter_default_fail": False,
        "ping_url": f"{SITE}/ping/{code}",
        "update_url": f"{SITE}/api/v3/checks/{code}",
        "pause_url": f"{SITE}/api/v3/checks/{code}/pause",
        "resume_url": f"{SITE}/api/v3/checks/{code}/resume",
        "channels": "",
        "timeout": 86400,
    }
    assert body["badge_url"].startswith(f"{SITE}/b/2/")
    assert code not in body["badge_url"]
    assert (await client.get(f"/api/v3/checks/{code}", headers=RW)).json() == body
    assert response.headers["access-control-allow-origin"] == "*"


async def test_a_cron_check_shows_schedule_and_tz_instead_of_timeout(client):
    body = await make_check(client, schedule="*/5 * * * *", tz="Europe/Kiev", timeout=120)
    assert (body["schedule"], body["tz"]) == ("*/5 * * * *", "Europe/Kyiv")
    assert "timeout" not in body


@pytest.mark.parametrize(("version", "slug"), [(1, "my-backups"), (2, "my-backups"), (3, "")])
async def test_only_v1_and_v2_derive_the_slug(client, version, slug):
    body = await make_check(client, version, name="My Backups")
    assert body["slug"] == slug
    assert body["update_url"].endswith(f"/api/v{version}/checks/{body['uuid']}")


async def test_the_key_can_come_from_the_body_but_a_header_wins(client):
    from tests.conftest import OWNER_KEY

    response = await client.post("/api/v3/checks/", json={"api_key": OWNER_KEY, "name": "b"})
    assert response.status_code == 201
    response = await client.post(
        "/api/v3/checks/",
        json={"api_key": OWNER_KEY},
        headers={"X-Api-Key": "x" * 32},
    )
    assert (response.status_code, response.json()) == (401, {"error": "wrong api key"})


@pytest.mark.parametrize(
    ("headers", "error"),
    [
        ({}, "missing api key"),
        ({"X-Api-Key": "short"}, "missing api key"),
        ({"X-Api-Key": "y" * 32}, "wrong api key"),
        ({"X-Api-Key": TEAMMATE_KEY}, "wrong api key"),
        ({"X-Api-Key": CONNECTOR_KEY}, "wrong api key"),
    ],
)
async def test_create_needs_a_read_write_key(client, store, headers, error):
    response = await client.post("/api/v3/checks/", json={"name": "x"}, headers=headers)
    assert (response.status_code, response.json()) == (401, {"error": error})
    assert await store.checks.count("alpha") == 0


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b"{nope", "could not parse request body"),
        (b"[1, 2]", "json validation error: value is not an object"),
        (b'{"timeout": "60"}', "json validation error: timeout is not a number"),
        (b'{"timeout": null}', "json validation error: timeout is not a number"),
        (b'{"grace": 59}', "json validation error: grace is too small"),
        (
            b'{"schedule": "0 0 31 2 *"}',
            "json validation error: schedule is not a valid cron or OnCalendar expression",
        ),
        (b'{"tz": "Mars/Base"}', "json validation error: tz is not a valid timezone"),
        (b'{"unique": "name"}', "json validation error: unique is not an array"),
    ],
)
async def test_a_bad_body_is_a_400_and_stores_nothing(client, store, content, error):
    response = await client.post("/api/v3/checks/", content=content, headers=RW)
    assert (response.status_code, response.json()) == (400, {"error": error})
    assert await store.checks.count("alpha") == 0


async def test_a_bad_body_is_rejected_before_the_key_is_checked(client):
    response = await client.post("/api/v3/checks/", content=b"{nope")
    assert (response.status_code, response.json()) == (
        400,
        {"error": "could not parse request body"},
    )


async def test_unique_updates_the_matching_check_with_200(client, store):
    first = await make_check(client, name="Backups", tags="prod", unique=["name"])
    response = await client.post(
        "/api/v3/checks/",
        json={"name": "Backups", "tags": "prod www", "unique": ["name"]},
        headers=RW,
    )
    assert response.status_code == 200
    assert (response.json()["uuid"], response.json()["tags"]) == (first["uuid"], "prod www")
    response = await client.post(
        "/api/v3/checks/", json={"tags": "x", "unique": ["name"]}, headers=RW
    )
    assert response.status_code == 201  # "name" not in the body: no lookup
    assert await store.checks.count("alpha") == 2


async def test_the_check_limit_answers_403(settings, store, clock):
    import httpx
    from asgi_lifespan import LifespanManager

    from gateway.app import create_app

    limited = settings.model_copy(update={"check_limit": 1})
    app = create_app(limited, clock=clock, store=store, background=[])
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            one = await make_check(client, name="one", unique=["name"])
            response = await client.post("/api/v3/checks/", json={"name": "two"}, headers=RW)
            assert response.status_code == 403
            assert response.json() == {"error": "the project has reached its check limit"}
            again = await client.post(
                "/api/v3/checks/", json={"name": "one", "unique": ["name"]}, headers=RW
            )
            assert (again.status_code, again.json()["uuid"]) == (200, one["uuid"])
    assert await store.checks.count("alpha") == 1


@pytest.mark.usefixtures("channels")
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("*", f"{EMAIL},{SMS}"),
        ("", ""),
        (SMS, SMS),
        ("Email to Alice,SMS to Alice", f"{EMAIL},{SMS}"),
    ],
)
async def test_channels_are_assigned_by_star_uuid_or_name(client, value, expected):
    assert (await make_check(client, channels=value))["channels"] == expected


@pytest.mark.usefixtures("channels")
@pytest.mark.parametrize(
    ("value", "error"),
    [
        (f"{EMAIL},", "empty channel identifier"),
        ("Email to Alice ", "invalid channel identifier: Email to Alice "),
        (OTHER, f"invalid channel identifier: {OTHER}"),
    ],
)
async def test_bad_channel_identifiers_are_a_400(client, store, value, error):
    response = await client.post("/api/v3/checks/", json={"channels": value}, headers=RW)
    assert (response.status_code, response.json()) == (400, {"error": error})
    assert await store.checks.count("alpha") == 0


async def test_an_ambiguous_channel_name_is_a_400(client, store, channels):
    from gateway.domain.channels import Channel

    await store.channels.upsert(
        Channel("44444444-4444-4444-8444-444444444444", "alpha", "SMS to Alice", "x")
    )
    response = await client.post("/api/v3/checks/", json={"channels": "SMS to Alice"}, headers=RW)
    assert response.json() == {"error": "non-unique channel identifier: SMS to Alice"}


async def test_the_list_filters_by_whole_tags_and_slug(client):
    a = await make_check(client, name="a", tags="prod db", slug="a")
    b = await make_check(client, name="b", tags="prod", slug="b")
    await make_check(client, name="c", tags="a1-prod")
    await client.post("/api/v3/checks/", json={"name": "beta"}, headers=BETA)

    async def names(query):
        response = await client.get(f"/api/v3/checks/{query}", headers=RW)
        assert response.status_code == 200
        return sorted(check["name"] for check in response.json()["checks"])

    assert await names("") == ["a", "b", "c"]
    assert await names("?tag=prod") == ["a", "b"]
    assert await names("?tag=prod&tag=db") == ["a"]
    assert await names("?tag=nope") == []
    assert await names("?slug=b") == ["b"]
    assert a["uuid"] != b["uuid"]


async def test_a_read_only_key_sees_unique_key_and_no_write_urls(client):
    made = await make_check(client, name="a")
    listed = (await client.get("/api/v3/checks/", headers=RO)).json()["checks"][0]
    for hidden in ("uuid", "ping_url", "update_url", "pause_url", "resume_url", "channels"):
        assert hidden not in listed
    assert listed["unique_key"] == unique_key(made["uuid"])
    by_key = await client.get(f"/api/v3/checks/{listed['unique_key']}", headers=RO)
    assert by_key.json() == listed
    full = await client.get(f"/api/v3/checks/{listed['unique_key']}", headers=RW)
    assert full.json()["uuid"] == made["uuid"]  # a read-write key gets the full dict
    get = await client.get(f"/api/v3/checks/{made['uuid']}", headers=RO)
    assert get.json() == listed


async def test_another_projects_check_is_403_by_uuid_and_404_by_unique_key(client):
    made = await make_check(client, name="a")
    code = made["uuid"]
    for method, path in [
        ("GET", ""),
        ("POST", ""),
        ("DELETE", ""),
        ("POST", "/pause"),
        ("POST", "/resume"),
        ("GET", "/pings/"),
        ("GET", "/flips/"),
    ]:
        response = await client.request(method, f"/api/v3/checks/{code}{path}", headers=BETA)
        assert response.status_code == 403, (method, path)
        assert "error" in response.json()
    by_key = await client.get(f"/api/v3/checks/{unique_key(code)}", headers=BETA)
    assert by_key.status_code == 404
    flips = await client.get(f"/api/v3/checks/{unique_key(code)}/flips/", headers=BETA)
    assert flips.status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v3/checks/{MISSING_UUID}",
        "/api/v3/checks/not-a-uuid",
        f"/api/v3/checks/{MISSING_UUID.upper()}",
        f"/api/v3/checks/{MISSING_UUID.replace('-', '')}",
        f"/api/v3/checks/{MISSING_UUID}/",
        f"/api/v3/checks/{'a' * 40}",
    ],
)
async def test_unknown_or_malformed_ids_are_404(client, path):
    response = await client.get(path, headers=RW)
    assert response.status_code == 404
    assert "error" in response.json()


async def test_a_unique_key_path_takes_only_get(client):
    made = await make_check(client)
    key = unique_key(made["uuid"])
    for method in ("POST", "DELETE"):
        response = await client.request(method, f"/api/v3/checks/{key}", headers=RW)
        assert response.status_code == 405


async def test_update_writes_only_the_given_fields(client):
    made = await make_check(client, name="a", tags="x", timeout=300, grace=120)
    response = await client.post(
        f"/api/v3/checks/{made['uuid']}", json={"desc": "nightly", "grace": 60}, headers=RW
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["tags"], body["timeout"], body["grace"], body["desc"]) == (
        "a",
        "x",
        300,
        60,
        "nightly",
    )
    bad = await client.post(f"/api/v3/checks/{made['uuid']}", json={"grace": 1}, headers=RW)
    assert bad.status_code == 400
    again = await client.get(f"/api/v3/checks/{made['uuid']}", headers=RW)
    assert again.json()["grace"] == 60
    ro = await client.post(f"/api/v3/checks/{made['uuid']}", json={}, headers=RO)
    assert (ro.status_code, ro.json()) == (401, {"error": "wrong api key"})
    missing = await client.post(f"/api/v3/checks/{MISSING_UUID}", json={}, headers=RW)
    assert missing.status_code == 404


async def test_pause_is_idempotent_and_resume_needs_a_paused_check(client, store):
    made = await make_check(client)
    code = made["uuid"]
    conflict = await client.post(f"/api/v3/checks/{code}/resume", headers=RW)
    assert (conflict.status_code, conflict.json()) == (409, {"error": "check is not paused"})
    for _ in range(2):
        paused = await client.post(f"/api/v3/checks/{code}/pause", headers=RW)
        assert (paused.status_code, paused.json()["status"]) == (200, "paused")
    flips = (await client.get(f"/api/v3/checks/{code}/flips/", headers=RW)).json()["flips"]
    assert len(flips) == 1
    assert flips[0]["up"] == 0
    resumed = await client.post(f"/api/v3/checks/{code}/resume", headers=RW)
    assert (resumed.status_code, resumed.json()["status"]) == (200, "new")
    assert len((await client.get(f"/api/v3/checks/{code}/flips/", headers=RW)).json()["flips"]) == 2
    assert (await client.get(f"/api/v3/checks/{code}/pause", headers=RW)).status_code == 405
    ro = await client.post(f"/api/v3/checks/{code}/pause", headers=RO)
    assert (ro.status_code, ro.json()) == (401, {"error": "wrong api key"})
    bad = await client.post(f"/api/v3/checks/{code}/pause", content=b"{", headers=RW)
    assert bad.status_code == 400
    assert (
        await client.post(f"/api/v3/checks/{MISSING_UUID}/pause", headers=RW)
    ).status_code == 404
    pending = await store.flips.claim_pending(made_now(), made_now())
    assert pending is None  # pause and resume flips never notify


def made_now():
    from tests.conftest import NOW

    return NOW


async def test_delete_returns_the_check_and_removes_it(client, store):
    made = await make_check(client, name="gone")
    ro = await client.delete(f"/api/v3/checks/{made['uuid']}", headers=RO)
    assert ro.status_code == 401
    response = await client.delete(f"/api/v3/checks/{made['uuid']}", headers=RW)
    assert (response.status_code, response.json()) == (200, made)
    assert (await client.delete(f"/api/v3/checks/{made['uuid']}", headers=RW)).status_code == 404
    assert await store.checks.count("alpha") == 0


async def test_options_answers_204_without_a_key_and_cors_is_on_every_answer(client):
    response = await client.options("/api/v3/checks/")
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["access-control-allow-headers"] == "X-Api-Key"
    assert response.headers["access-control-max-age"] == "600"
    assert set(response.headers["access-control-allow-methods"].split(", ")) == {
        "GET",
        "POST",
        "OPTIONS",
    }
    unauthorized = await client.get("/api/v3/checks/")
    assert unauthorized.headers["access-control-allow-origin"] == "*"


async def test_a_wrong_method_is_405_before_auth(client):
    made = await make_check(client)
    response = await client.post(f"/api/v3/checks/{made['uuid']}/pings/")
    assert response.status_code == 405
    assert response.headers["access-control-allow-methods"] == "GET, OPTIONS"
    assert (await client.put("/api/v3/checks/")).status_code == 405


async def test_collection_paths_without_a_slash_redirect(client):
    response = await client.get("/api/v2/checks", headers=RW)
    assert (response.status_code, response.headers["location"]) == (301, "/api/v2/checks/")


async def test_status_answers_ok_in_every_version(client):
    for version in (1, 2, 3):
        response = await client.get(f"/api/v{version}/status/")
        assert (response.status_code, response.text) == (200, "OK")


async def test_channels_list_needs_a_read_write_key(client, channels):
    response = await client.get("/api/v3/channels/", headers=RW)
    assert response.json() == {
        "channels": [
            {"id": EMAIL, "name": "Email to Alice", "kind": "email"},
            {"id": SMS, "name": "SMS to Alice", "kind": "webhook"},
        ]
    }
    assert (await client.get("/api/v3/channels/", headers=RO)).status_code == 401
    assert (await client.post("/api/v3/channels/", headers=RW)).status_code == 405


async def test_the_mosparo_health_route_still_answers_under_api_v1(client):
    response = await client.get("/api/v1/health/check")
    assert response.status_code == 200
    assert response.json()["healthy"] is True


@pytest.mark.parametrize(
    ("path", "allowed", "wrong"),
    [
        ("/checks/", {"GET", "POST"}, "DELETE"),
        ("/checks/{code}", {"GET", "POST", "DELETE"}, "PUT"),
        ("/checks/{key}", {"GET"}, "POST"),
        ("/checks/{code}/pause", {"POST"}, "GET"),
        ("/checks/{code}/resume", {"POST"}, "GET"),
        ("/checks/{code}/pings/", {"GET"}, "POST"),
        ("/checks/{code}/pings/1/body", {"GET"}, "POST"),
        ("/checks/{code}/flips/", {"GET"}, "POST"),
        ("/checks/{key}/flips/", {"GET"}, "POST"),
        ("/channels/", {"GET"}, "POST"),
    ],
)
async def test_every_endpoint_answers_options_and_refuses_other_methods_before_auth(
    client, path, allowed, wrong
):
    made = await make_check(client)
    url = "/api/v2" + path.format(code=made["uuid"], key=unique_key(made["uuid"]))
    options = await client.options(url)
    assert options.status_code == 204
    methods = set(options.headers["access-control-allow-methods"].split(", "))
    assert methods == allowed | {"OPTIONS"}
    refused = await client.request(wrong, url)  # no key: the method is checked first
    assert refused.status_code == 405
    assert refused.headers["access-control-allow-origin"] == "*"
