"""Checks through GraphQL: the same rules, limits and errors as the REST API."""

import pytest

from gateway.domain.checks.naming import unique_key
from tests.conftest import OUTSIDER_KEY, TEAMMATE_KEY
from tests.graphql_helpers import error_of, gql

CREATE = """mutation ($input: CheckInput!) {
  createCheck(input: $input) { created check { id uuid name tags timeout grace status pingUrl uniqueKey } }
}"""
PING = """mutation ($id: String!, $kind: PingCheckKind!, $runId: String, $exit: Int, $body: String) {
  pingCheck(id: $id, kind: $kind, runId: $runId, exitStatus: $exit, body: $body) { status started nPings }
}"""


async def _create(client, **fields):
    body = await gql(client, CREATE, {"input": {"timeout": 3600, "grace": 60, **fields}})
    assert "errors" not in body, body
    return body["data"]["createCheck"]["check"]


async def test_create_check_and_read_it_back_by_every_id(client):
    check = await _create(client, name="backup", tags=["prod", "db"])
    assert check["status"] == "NEW"
    assert check["tags"] == ["prod", "db"]
    assert check["pingUrl"] == f"http://localhost:8000/ping/{check['uuid']}"
    assert check["uniqueKey"] == unique_key(check["uuid"])
    query = "query ($id: String!) { check(id: $id) { name uuid } }"
    for handle in (check["uuid"], check["uniqueKey"], check["id"]):
        got = await gql(client, query, {"id": handle})
        assert got["data"]["check"] == {"name": "backup", "uuid": check["uuid"]}


async def test_unique_finds_the_existing_check_instead_of_creating_one(client):
    first = await gql(client, CREATE, {"input": {"name": "nightly", "unique": ["name"]}})
    again = await gql(
        client, CREATE, {"input": {"name": "nightly", "unique": ["name"], "grace": 120}}
    )
    assert first["data"]["createCheck"]["created"] is True
    assert again["data"]["createCheck"]["created"] is False
    assert (
        again["data"]["createCheck"]["check"]["uuid"]
        == first["data"]["createCheck"]["check"]["uuid"]
    )
    assert again["data"]["createCheck"]["check"]["grace"] == 120


@pytest.mark.parametrize(
    ("fields", "message", "field"),
    [
        ({"timeout": 59}, "timeout is too small", "timeout"),
        ({"grace": 31536001}, "grace is too large", "grace"),
        (
            {"schedule": "0 0 31 2 *"},
            "schedule is not a valid cron or OnCalendar expression",
            "schedule",
        ),
        ({"tz": "Mars/Olympus"}, "tz is not a valid timezone", "tz"),
        ({"startKw": "x" * 201}, "startKw is too long", "startKw"),
        ({"name": None}, "name must not be null", "name"),
        ({"channels": ["nope"]}, "invalid channel identifier: nope", None),
    ],
)
async def test_invalid_input_is_a_coded_error_and_stores_nothing(client, fields, message, field):
    body = await gql(client, CREATE, {"input": fields})
    got_message, extensions = error_of(body)
    assert got_message == message
    assert extensions["code"] == "BAD_USER_INPUT"
    assert extensions.get("field") == field
    listed = await gql(client, "{ checks { totalCount } }")
    assert listed["data"]["checks"]["totalCount"] == 0


async def test_read_only_keys_can_read_but_not_write_or_see_secrets(client):
    check = await _create(client, name="api")
    body = await gql(client, CREATE, {"input": {"name": "x"}}, key=TEAMMATE_KEY)
    assert error_of(body) == ("this needs a read-write key", {"code": "FORBIDDEN"})
    seen = await gql(
        client,
        "query ($id: String!) { check(id: $id) { name uuid pingUrl channels { id } uniqueKey } }",
        {"id": check["uniqueKey"]},
        key=TEAMMATE_KEY,
    )
    assert seen["data"]["check"] == {
        "name": "api",
        "uuid": None,
        "pingUrl": None,
        "channels": None,
        "uniqueKey": check["uniqueKey"],
    }
    pings = await gql(
        client,
        "query ($id: String!) { check(id: $id) { pings { totalCount } } }",
        {"id": check["uniqueKey"]},
        key=TEAMMATE_KEY,
    )
    assert error_of(pings)[1] == {"code": "FORBIDDEN"}


async def test_another_projects_check_is_not_found(client):
    check = await _create(client, name="mine")
    for handle in (check["uuid"], check["uniqueKey"], check["id"]):
        body = await gql(
            client,
            "query ($id: String!) { check(id: $id) { name } }",
            {"id": handle},
            key=OUTSIDER_KEY,
        )
        assert error_of(body) == ("no such check", {"code": "NOT_FOUND"})
    node = await gql(
        client, "query ($id: ID!) { node(id: $id) { id } }", {"id": check["id"]}, key=OUTSIDER_KEY
    )
    assert node["data"]["node"] is None


async def test_pings_change_status_and_record_flips(client, clock):
    check = await _create(client, name="job")
    down = await gql(client, PING, {"id": check["uuid"], "kind": "FAIL"})
    assert down["data"]["pingCheck"] == {"status": "DOWN", "started": False, "nPings": 1}
    clock.advance(600)
    up = await gql(client, PING, {"id": check["uuid"], "kind": "SUCCESS"})
    assert up["data"]["pingCheck"]["status"] == "UP"
    body = await gql(
        client,
        """query ($id: String!) { check(id: $id) {
             statusSince flips(first: 10) { totalCount nodes { from to at reason } } } }""",
        {"id": check["uuid"]},
    )
    data = body["data"]["check"]
    assert data["statusSince"] == "2026-01-15T12:10:00+00:00"
    assert data["flips"] == {
        "totalCount": 2,
        "nodes": [
            {"from": "DOWN", "to": "UP", "at": "2026-01-15T12:10:00+00:00", "reason": ""},
            {"from": "NEW", "to": "DOWN", "at": "2026-01-15T12:00:00+00:00", "reason": "fail"},
        ],
    }


async def test_pings_list_newest_first_with_durations_and_bodies(client, clock):
    check = await _create(client, name="run")
    rid = "8f4a0d2e-5a9c-4c3b-9d3e-3b1f7c2a9e11"
    await gql(client, PING, {"id": check["uuid"], "kind": "START", "runId": rid})
    clock.advance(90)
    await gql(
        client, PING, {"id": check["uuid"], "kind": "SUCCESS", "runId": rid, "body": "done ✓"}
    )
    body = await gql(
        client,
        """query ($id: String!) { check(id: $id) { lastDuration
             pings(first: 5) { totalCount nodes { n kind runId duration body method scheme } } } }""",
        {"id": check["uuid"]},
    )
    data = body["data"]["check"]
    assert data["lastDuration"] == 90
    assert data["pings"] == {
        "totalCount": 2,
        "nodes": [
            {
                "n": 2,
                "kind": "SUCCESS",
                "runId": rid,
                "duration": 90.0,
                "body": "done ✓",
                "method": "POST",
                "scheme": "graphql",
            },
            {
                "n": 1,
                "kind": "START",
                "runId": rid,
                "duration": None,
                "body": None,
                "method": "POST",
                "scheme": "graphql",
            },
        ],
    }


@pytest.mark.parametrize(
    ("variables", "message", "field"),
    [
        ({"kind": "SUCCESS", "exit": 256}, "exitStatus must be between 0 and 255", "exitStatus"),
        ({"kind": "FAIL", "exit": 1}, "exitStatus goes only with kind SUCCESS", "exitStatus"),
        ({"kind": "START", "runId": "not-a-uuid"}, "runId is not a UUID", "runId"),
    ],
)
async def test_bad_ping_arguments_are_refused(client, variables, message, field):
    check = await _create(client, name="p")
    body = await gql(client, PING, {"id": check["uuid"], **variables})
    assert error_of(body) == (message, {"code": "BAD_USER_INPUT", "field": field})


async def test_an_exit_status_above_zero_is_a_failure(client):
    check = await _create(client, name="exit")
    body = await gql(client, PING, {"id": check["uuid"], "kind": "SUCCESS", "exit": 3})
    assert body["data"]["pingCheck"]["status"] == "DOWN"


async def test_pause_resume_update_delete(client):
    check = await _create(client, name="lifecycle")
    ops = {
        "pause": "mutation ($id: String!) { pauseCheck(id: $id) { status } }",
        "resume": "mutation ($id: String!) { resumeCheck(id: $id) { status } }",
        "delete": "mutation ($id: String!) { deleteCheck(id: $id) { name } }",
    }
    args = {"id": check["id"]}
    not_paused = await gql(client, ops["resume"], args)
    assert error_of(not_paused) == ("check is not paused", {"code": "CONFLICT"})
    assert (await gql(client, ops["pause"], args))["data"]["pauseCheck"]["status"] == "PAUSED"
    assert (await gql(client, ops["pause"], args))["data"]["pauseCheck"]["status"] == "PAUSED"
    assert (await gql(client, ops["resume"], args))["data"]["resumeCheck"]["status"] == "NEW"
    updated = await gql(
        client,
        'mutation ($id: String!) { updateCheck(id: $id, input: {schedule: "0 3 * * *", tz: "Europe/Kiev"}) { checkKind schedule tz timeout } }',
        args,
    )
    # Legacy zone names are rewritten, as Healthchecks does.
    assert updated["data"]["updateCheck"] == {
        "checkKind": "CRON",
        "schedule": "0 3 * * *",
        "tz": "Europe/Kyiv",
        "timeout": None,
    }
    deleted = await gql(client, ops["delete"], args)
    assert deleted["data"]["deleteCheck"] == {"name": "lifecycle"}
    gone = await gql(client, "query ($id: String!) { check(id: $id) { name } }", args)
    assert error_of(gone)[1] == {"code": "NOT_FOUND"}


async def test_sources_filters_orders_and_overview(client):
    a = await _create(client, name="alpha job", tags=["prod"])
    await _create(client, name="beta job", tags=["prod", "db"])
    await _create(client, name="gamma", tags=["dev"])
    await gql(client, PING, {"id": a["uuid"], "kind": "FAIL"})
    body = await gql(
        client,
        """{ all: sources(orderBy: STATUS) { totalCount nodes { name status kind } }
             prod: sources(filter: {tags: ["prod"], search: "JOB"}) { nodes { name } }
             down: sources(filter: {statuses: [DOWN]}) { nodes { name } }
             overview { total worst byStatus { status count } byKind { kind count }
                        byTag { tag status count } } }""",
    )
    data = body["data"]
    assert data["all"]["totalCount"] == 3
    assert [n["name"] for n in data["all"]["nodes"]] == ["alpha job", "beta job", "gamma"]
    assert data["all"]["nodes"][0] == {"name": "alpha job", "status": "DOWN", "kind": "CHECK"}
    assert [n["name"] for n in data["prod"]["nodes"]] == ["alpha job", "beta job"]
    assert [n["name"] for n in data["down"]["nodes"]] == ["alpha job"]
    assert data["overview"] == {
        "total": 3,
        "worst": "DOWN",
        "byStatus": [{"status": "DOWN", "count": 1}, {"status": "NEW", "count": 2}],
        "byKind": [{"kind": "CHECK", "count": 3}],
        "byTag": [
            {"tag": "db", "status": "NEW", "count": 1},
            {"tag": "dev", "status": "NEW", "count": 1},
            {"tag": "prod", "status": "DOWN", "count": 2},
        ],
    }


async def test_pages_are_bounded_and_walkable(client):
    for n in range(5):
        await _create(client, name=f"c{n}")
    query = "query ($after: String) { checks(first: 2, after: $after) { nodes { name } pageInfo { hasNextPage endCursor } } }"
    names, after = [], None
    while True:
        page = (await gql(client, query, {"after": after}))["data"]["checks"]
        names += [node["name"] for node in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert names == ["c0", "c1", "c2", "c3", "c4"]
    too_big = await gql(client, "{ checks(first: 1000) { totalCount } }")
    assert error_of(too_big) == (
        "first must be at most 100",
        {"code": "BAD_USER_INPUT", "field": "first"},
    )


async def test_uptime_is_computed_from_flips(client, clock):
    check = await _create(client, name="u")
    await gql(client, PING, {"id": check["uuid"], "kind": "SUCCESS"})
    clock.advance(3000)
    await gql(client, PING, {"id": check["uuid"], "kind": "FAIL"})
    clock.advance(1000)
    body = await gql(
        client,
        "query ($id: String!) { check(id: $id) { uptime(windowSeconds: 4000) } }",
        {"id": check["uuid"]},
    )
    assert body["data"]["check"]["uptime"] == pytest.approx(0.75)
    bad = await gql(
        client,
        "query ($id: String!) { check(id: $id) { uptime(windowSeconds: 5) } }",
        {"id": check["uuid"]},
    )
    assert error_of(bad)[1] == {"code": "BAD_USER_INPUT", "field": "windowSeconds"}
