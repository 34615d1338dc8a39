"""The ping API through HTTP: kinds, answers, headers, slugs, bodies and the stored result."""

import pytest
from pymongo.errors import AutoReconnect

from tests.checks.conftest import EMAIL, RW, SMS, client_with, make_check
from tests.conftest import NOW, TEAMMATE_KEY

RID = "123e4567-e89b-12d3-a456-426614174000"


async def stored_pings(client, code):
    response = await client.get(f"/api/v3/checks/{code}/pings/", headers=RW)
    assert response.status_code == 200
    return response.json()["pings"]


@pytest.mark.parametrize("method", ["GET", "POST", "HEAD"])
async def test_a_ping_answers_ok_and_is_stored(client, method):
    code = (await make_check(client))["uuid"]
    response = await client.request(
        method, f"/ping/{code}", headers={"User-Agent": "curl/8", "X-Forwarded-For": "192.0.2.7"}
    )
    assert response.status_code == 200
    assert response.text == ("" if method == "HEAD" else "OK")
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.headers["access-control-allow-origin"] == "*"
    assert "no-cache" in response.headers["cache-control"]
    assert response.headers["ping-body-limit"] == "100000"
    [ping] = await stored_pings(client, code)
    assert ping == {
        "type": "success",
        "date": NOW.isoformat(),
        "n": 1,
        "scheme": "http",
        "remote_addr": "192.0.2.7",
        "method": method,
        "ua": "curl/8",
        "rid": None,
        "body_url": None,
    }
    check = (await client.get(f"/api/v3/checks/{code}", headers=RW)).json()
    assert (check["status"], check["n_pings"], check["last_ping"]) == ("up", 1, NOW.isoformat())


async def test_forwarded_for_is_ignored_from_an_untrusted_peer(settings, store, clock):
    async with client_with(settings, store, clock, peer="203.0.113.9") as client:
        code = (await make_check(client))["uuid"]
        response = await client.get(f"/ping/{code}", headers={"X-Forwarded-For": "192.0.2.7"})
        assert response.status_code == 200
        assert (await stored_pings(client, code))[0]["remote_addr"] == "203.0.113.9"


@pytest.mark.parametrize(
    ("suffix", "kind", "status"),
    [
        ("/start", "start", "new"),
        ("/fail", "fail", "down"),
        ("/log", "log", "new"),
        ("/0", "success", "up"),
        ("/1", "fail", "down"),
        ("/255", "fail", "down"),
        ("/", "success", "up"),
    ],
)
async def test_the_url_suffix_gives_the_kind(client, suffix, kind, status):
    code = (await make_check(client))["uuid"]
    assert (await client.post(f"/ping/{code}{suffix}")).text == "OK"
    assert (await stored_pings(client, code))[0]["type"] == kind
    check = (await client.get(f"/api/v3/checks/{code}", headers=RW)).json()
    assert check["status"] == status


@pytest.mark.parametrize(
    ("suffix", "status", "text"),
    [
        ("/256", 400, "invalid url format"),
        ("/-1", 404, "not found"),
        ("/fail/", 404, None),
        ("?rid=nope", 400, "invalid uuid format"),
    ],
)
async def test_bad_ping_urls(client, store, suffix, status, text):
    code = (await make_check(client))["uuid"]
    response = await client.get(f"/ping/{code}{suffix}")
    assert response.status_code == status
    if text is not None:
        assert response.text == text
    assert (await store.checks.get(code)).n_pings == 0


@pytest.mark.parametrize("path", ["/ping/00000000-0000-4000-8000-000000000000", "/ping/not-a-uuid"])
async def test_an_unknown_check_is_not_found(client, path):
    response = await client.get(path)
    assert (response.status_code, response.text) == (404, "not found")


async def test_the_body_is_kept_up_to_the_limit_and_served_verbatim(settings, store, clock):
    if True:
        async with client_with(settings, store, clock, ping_body_limit=4) as client:
            code = (await make_check(client))["uuid"]
            response = await client.post(f"/ping/{code}", content=b"\xff\xfeabcdef")
            assert response.headers["ping-body-limit"] == "4"
            await client.post(f"/ping/{code}")
            pings = await stored_pings(client, code)
            assert (
                pings[1]["body_url"] == f"http://localhost:8000/api/v3/checks/{code}/pings/1/body"
            )
            assert pings[0]["body_url"] is None
            body = await client.get(f"/api/v3/checks/{code}/pings/1/body", headers=RW)
            assert (body.status_code, body.content) == (200, b"\xff\xfeab")
            assert body.headers["content-type"].startswith("text/plain")
            empty = await client.get(f"/api/v3/checks/{code}/pings/2/body", headers=RW)
            assert empty.status_code == 404
            none = await client.get(f"/api/v3/checks/{code}/pings/3/body", headers=RW)
            assert none.status_code == 404
            ro = await client.get(
                f"/api/v3/checks/{code}/pings/1/body",
                headers={"X-Api-Key": TEAMMATE_KEY},
            )
            assert ro.status_code == 401


async def test_ping_history_is_bounded_while_n_pings_keeps_counting(settings, store, clock):
    if True:
        async with client_with(settings, store, clock, ping_log_limit=3) as client:
            code = (await make_check(client))["uuid"]
            for n in range(5):
                await client.post(f"/ping/{code}", content=f"ping {n}".encode())
            assert [p["n"] for p in await stored_pings(client, code)] == [5, 4, 3]
            check = (await client.get(f"/api/v3/checks/{code}", headers=RW)).json()
            assert check["n_pings"] == 5
            old = await client.get(f"/api/v3/checks/{code}/pings/2/body", headers=RW)
            assert old.status_code == 404
            kept = await client.get(f"/api/v3/checks/{code}/pings/3/body", headers=RW)
            assert kept.text == "ping 2"


async def test_durations_pair_overlapping_runs_by_rid(client, clock):
    code = (await make_check(client))["uuid"]
    other = "223e4567-e89b-12d3-a456-426614174000"
    await client.get(f"/ping/{code}/start?rid={RID}")
    clock.advance(60)
    await client.get(f"/ping/{code}/start?rid={other}")
    clock.advance(120)
    await client.get(f"/ping/{code}?rid={other}")
    clock.advance(120)
    await client.get(f"/ping/{code}?rid={RID.upper()}")
    pings = await stored_pings(client, code)
    assert [(p["n"], p.get("duration")) for p in pings] == [
        (4, 300.0),
        (3, 120.0),
        (2, None),
        (1, None),
    ]
    assert pings[0]["rid"] == RID
    check = (await client.get(f"/api/v3/checks/{code}", headers=RW)).json()
    # The check keeps one run: the later start (other) replaced the first one.
    assert check["last_duration"] == 120


async def test_post_only_checks_ignore_get_pings(client):
    code = (await make_check(client, methods="POST"))["uuid"]
    await client.get(f"/ping/{code}")
    assert (await stored_pings(client, code))[0]["type"] == "ign"
    await client.post(f"/ping/{code}")
    check = (await client.get(f"/api/v3/checks/{code}", headers=RW)).json()
    assert (check["status"], check["n_pings"]) == ("up", 2)


async def test_keywords_classify_http_bodies(client):
    code = (
        await make_check(client, filter_http_body=True, success_kw="SUCCESS", failure_kw="ERROR")
    )["uuid"]
    for body in (b"job SUCCESS", b"ERROR: disk full", b"nothing to say"):
        await client.post(f"/ping/{code}", content=body)
    assert [p["type"] for p in await stored_pings(client, code)] == ["ign", "fail", "success"]


async def test_a_paused_check_with_manual_resume_ignores_pings(client):
    code = (await make_check(client, manual_resume=True))["uuid"]
    await client.post(f"/api/v3/checks/{code}/pause", headers=RW)
    await client.get(f"/ping/{code}")
    check = (await client.get(f"/api/v3/checks/{code}", headers=RW)).json()
    assert check["status"] == "paused"
    assert (await stored_pings(client, code))[0]["type"] == "ign"


async def test_slug_pings_use_the_project_ping_key(client, store, channels):
    project = await store.projects.get("alpha")
    await make_check(client, name="backup", slug="backup")
    response = await client.get(f"/ping/{project.ping_key}/backup/fail")
    assert (response.status_code, response.text) == (200, "OK")
    [check] = (await client.get("/api/v3/checks/?slug=backup", headers=RW)).json()["checks"]
    assert check["status"] == "down"
    assert (await client.get(f"/ping/{project.ping_key}/Backup")).text == "invalid url format"
    assert (await client.get(f"/ping/{project.ping_key}/nope")).status_code == 404
    assert (await client.get("/ping/wrong-key/backup")).status_code == 404
    await make_check(client, name="dup", slug="backup")
    ambiguous = await client.get(f"/ping/{project.ping_key}/backup")
    assert (ambiguous.status_code, ambiguous.text) == (409, "ambiguous slug")


async def test_create_1_provisions_a_check_with_every_channel(client, store, channels):
    project = await store.projects.get("alpha")
    response = await client.post(f"/ping/{project.ping_key}/nightly/start?create=1")
    assert (response.status_code, response.text) == (201, "Created")
    [check] = (await client.get("/api/v3/checks/?slug=nightly", headers=RW)).json()["checks"]
    assert (check["name"], check["channels"], check["started"]) == (
        "nightly",
        f"{EMAIL},{SMS}",
        True,
    )
    again = await client.post(f"/ping/{project.ping_key}/nightly?create=1")
    assert (again.status_code, again.text) == (200, "OK")


async def test_a_ping_the_store_cannot_keep_is_a_503_never_ok(client, store, monkeypatch):
    code = (await make_check(client))["uuid"]

    async def broken(pings):
        raise AutoReconnect("connection refused")

    monkeypatch.setattr(store.pings, "insert_many", broken)
    response = await client.get(f"/ping/{code}")
    assert response.status_code == 503
    assert response.text != "OK"


async def test_a_down_flip_is_queued_for_the_checks_channels(client, store, channels):
    code = (await make_check(client, channels="*"))["uuid"]
    await client.get(f"/ping/{code}")  # new -> up: never notified
    await client.get(f"/ping/{code}/fail")
    pending = await store.flips.claim_pending(NOW, NOW)
    assert pending is not None
    assert (pending.flip.from_status.value, pending.flip.to_status.value) == ("up", "down")
    assert pending.flip.reason == "fail"
    assert pending.channels == [EMAIL, SMS]
    assert await store.flips.claim_pending(NOW, NOW) is None
