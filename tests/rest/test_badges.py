"""Badge routes and ``GET /api/vN/badges/`` through HTTP, with a fake ``BadgeChecks``."""

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx
import pytest
from asgi_lifespan import LifespanManager

from gateway.app import create_app
from gateway.domain.badges import badge_signature
from gateway.domain.status import Status
from gateway.services.ports import BadgeCheck
from tests.conftest import CONNECTOR_KEY, OUTSIDER_KEY, OWNER_KEY, TEAMMATE_KEY

CHECK_KEY = "0d6f7c3e-5b1a-4c1e-9a64-7f6e2b0a9c11"
NOCACHE = "max-age=0, no-cache, no-store, must-revalidate, private"


@dataclass
class FakeChecks:
    checks: list[BadgeCheck] = field(default_factory=list)
    badge_keys: dict[str, BadgeCheck] = field(default_factory=dict)

    async def badge_checks(self, project, tag):
        return [c for c in self.checks if c.project == project and (tag is None or tag in c.tags)]

    async def badge_check(self, badge_key):
        return self.badge_keys.get(badge_key)

    async def project_tags(self, project):
        return sorted({t for c in self.checks if c.project == project for t in c.tags})


def _check(name, tags, status, project="alpha"):
    return BadgeCheck(project, f"uuid-{name}", name, tuple(tags), status)


@pytest.fixture
def checks():
    return FakeChecks(
        [
            _check("backup", ["db", "nightly"], Status.UP),
            _check("vacuum", ["db"], Status.GRACE),
            _check("web", ["prod"], Status.NEW),
            _check("other", ["db"], Status.DOWN, project="beta"),
        ]
    )


@pytest.fixture
async def badge_client(settings, store, clock, checks) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, clock=clock, store=store, background=[], badge_checks=checks)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app, client=("127.0.0.1", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http


@pytest.fixture
async def badge_key(badge_client, store):
    project = await store.projects.get("alpha")
    return project.badge_key


def _sig(settings, key, tag, three_state):
    return badge_signature(
        settings.secret_key.get_secret_value(), key, tag, three_state=three_state
    )


async def test_a_3_state_tag_badge_shows_late(badge_client, badge_key, settings):
    sig = _sig(settings, badge_key, "db", True)
    response = await badge_client.get(f"/badge/{badge_key}/{sig}/db.json")
    assert response.status_code == 200
    assert response.json() == {"status": "late", "total": 2, "grace": 1, "down": 0}
    assert response.headers["cache-control"] == NOCACHE
    assert response.headers["access-control-allow-origin"] == "*"


async def test_a_2_state_tag_badge_shows_grace_as_up(badge_client, badge_key, settings):
    sig = _sig(settings, badge_key, "db", False)
    response = await badge_client.get(f"/badge/{badge_key}/{sig}/db.shields")
    assert response.status_code == 200
    assert response.json() == {
        "schemaVersion": 1,
        "label": "db",
        "message": "up",
        "color": "success",
    }


async def test_the_all_checks_badge_is_labelled_with_the_setting(
    badge_client, badge_key, settings, checks
):
    checks.checks.append(_check("broken", [], Status.DOWN))
    sig = _sig(settings, badge_key, "*", True)
    response = await badge_client.get(f"/badge/{badge_key}/{sig}.svg")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"
    assert ">healthgate</text>" in response.text
    assert ">down</text>" in response.text
    assert 'fill="#e05d44"' in response.text
    counts = await badge_client.get(f"/badge/{badge_key}/{sig}.json")
    assert counts.json() == {"status": "down", "total": 4, "grace": 1, "down": 1}


async def test_a_tag_of_another_project_counts_nothing_here(badge_client, badge_key, settings):
    sig = _sig(settings, badge_key, "nightly", True)
    response = await badge_client.get(f"/badge/{badge_key}/{sig}/nightly.json")
    assert response.json() == {"status": "up", "total": 1, "grace": 0, "down": 0}


@pytest.mark.parametrize(
    "path",
    [
        "/badge/{key}/AAAAAAAA/db.svg",  # not our signature
        "/badge/{key}/{sig_prod}/db.svg",  # signature of another tag
        "/badge/{key}/{sig}/db.png",  # unknown format
        "/badge/{key}/{sig}/db",  # no format
        "/badge/00000000-0000-4000-8000-000000000000/{sig}/db.svg",  # unknown key
    ],
)
async def test_it_answers_404_json(badge_client, badge_key, settings, path):
    url = path.format(
        key=badge_key,
        sig=_sig(settings, badge_key, "db", True),
        sig_prod=_sig(settings, badge_key, "prod", True),
    )
    response = await badge_client.get(url)
    assert response.status_code == 404
    assert response.json() == {"error": "not found"}


async def test_a_signature_for_an_unknown_badge_key_is_404(badge_client, settings):
    key = "00000000-0000-4000-8000-000000000000"
    response = await badge_client.get(f"/badge/{key}/{_sig(settings, key, 'db', True)}/db.svg")
    assert response.status_code == 404
    assert response.json() == {"error": "not found"}
    assert response.headers["access-control-allow-origin"] == "*"


async def test_options_is_204_and_other_methods_405(badge_client, badge_key, settings):
    url = f"/badge/{badge_key}/{_sig(settings, badge_key, 'db', True)}/db.svg"
    preflight = await badge_client.options(url)
    assert preflight.status_code == 204
    assert preflight.content == b""
    assert preflight.headers["access-control-allow-methods"] == "GET, OPTIONS"
    assert preflight.headers["access-control-max-age"] == "600"
    posted = await badge_client.post(url)
    assert posted.status_code == 405
    assert posted.json() == {"error": "method not allowed"}
    assert posted.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize(
    ("states", "status", "expected"),
    [
        (3, Status.GRACE, "late"),
        (2, Status.GRACE, "up"),
        (7, Status.GRACE, "up"),  # any number but 3 means 2 states
        (2, Status.DOWN, "down"),
        (3, Status.PAUSED, "up"),
    ],
)
async def test_a_check_badge(badge_client, checks, states, status, expected):
    checks.badge_keys[CHECK_KEY] = _check("backup", [], status)
    response = await badge_client.get(f"/b/{states}/{CHECK_KEY}.shields")
    assert response.status_code == 200
    assert response.json()["message"] == expected
    assert response.json()["label"] == "backup"
    assert response.headers["cache-control"] == NOCACHE
    counts = await badge_client.get(f"/b/{states}/{CHECK_KEY}.json")
    assert counts.json() == {
        "status": expected,
        "total": 1,
        "grace": int(status is Status.GRACE),
        "down": int(status is Status.DOWN),
    }


async def test_an_unnamed_check_badge_is_labelled_with_its_uuid(badge_client, checks):
    checks.badge_keys[CHECK_KEY] = _check("", [], Status.UP)
    response = await badge_client.get(f"/b/2/{CHECK_KEY}.svg")
    assert response.status_code == 200
    assert ">uuid-</text>" in response.text


@pytest.mark.parametrize(
    "path", [f"/b/3/{CHECK_KEY}.svg", f"/b/3/{CHECK_KEY}.xml", f"/b/x/{CHECK_KEY}.svg"]
)
async def test_an_unknown_check_badge_is_404(badge_client, path):
    response = await badge_client.get(path)
    assert response.status_code == 404
    assert response.json() == {"error": "not found"}


async def test_the_listing_has_every_tag_and_star(badge_client, badge_key, settings):
    response = await badge_client.get("/api/v3/badges/", headers={"X-Api-Key": OWNER_KEY})
    assert response.status_code == 200
    badges = response.json()["badges"]
    assert sorted(badges) == ["*", "db", "nightly", "prod"]
    sig = _sig(settings, badge_key, "db", True)
    assert badges["db"] == {
        "svg": f"http://localhost:8000/badge/{badge_key}/{sig}-2/db.svg",
        "svg3": f"http://localhost:8000/badge/{badge_key}/{sig}/db.svg",
        "json": f"http://localhost:8000/badge/{badge_key}/{sig}-2/db.json",
        "json3": f"http://localhost:8000/badge/{badge_key}/{sig}/db.json",
        "shields": f"http://localhost:8000/badge/{badge_key}/{sig}-2/db.shields",
        "shields3": f"http://localhost:8000/badge/{badge_key}/{sig}/db.shields",
    }
    star = _sig(settings, badge_key, "*", False)
    assert badges["*"]["svg"] == f"http://localhost:8000/badge/{badge_key}/{star}.svg"
    assert response.headers["access-control-allow-origin"] == "*"


async def test_every_listed_url_serves_its_badge(badge_client):
    response = await badge_client.get("/api/v1/badges/", headers={"X-Api-Key": TEAMMATE_KEY})
    assert response.status_code == 200
    for urls in response.json()["badges"].values():
        for kind, url in urls.items():
            served = await badge_client.get(urlsplit(url).path)
            assert served.status_code == 200, (kind, url)
            expected = "image/svg+xml" if kind.startswith("svg") else "application/json"
            assert served.headers["content-type"] == expected


async def test_the_listing_shows_only_the_keys_project(badge_client):
    response = await badge_client.get("/api/v2/badges/", headers={"X-Api-Key": OUTSIDER_KEY})
    assert sorted(response.json()["badges"]) == ["*", "db"]


@pytest.mark.parametrize(
    ("headers", "error"),
    [
        ({}, "missing api key"),
        ({"X-Api-Key": "short"}, "missing api key"),
        ({"X-Api-Key": "x" * 32}, "wrong api key"),
        ({"X-Api-Key": CONNECTOR_KEY}, "wrong api key"),
    ],
)
async def test_the_listing_needs_a_readable_key(badge_client, headers, error):
    response = await badge_client.get("/api/v3/badges/", headers=headers)
    assert response.status_code == 401
    assert response.json() == {"error": error}
    assert response.headers["access-control-allow-origin"] == "*"


async def test_the_listing_allows_only_get(badge_client):
    posted = await badge_client.post("/api/v1/badges/", headers={"X-Api-Key": OWNER_KEY})
    assert posted.status_code == 405
    assert posted.headers["access-control-allow-headers"] == "X-Api-Key"
    preflight = await badge_client.options("/api/v2/badges/")
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-methods"] == "GET, OPTIONS"


async def test_there_is_no_v4_listing(badge_client):
    response = await badge_client.get("/api/v4/badges/", headers={"X-Api-Key": OWNER_KEY})
    assert response.status_code == 404


async def test_the_listing_wins_over_a_later_api_mount(settings, store, clock, checks):
    from fastapi import FastAPI

    app = create_app(settings, clock=clock, store=store, background=[], badge_checks=checks)
    app.mount("/api/v1", FastAPI())  # as the checks' /api/vN sub-apps will be
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app, client=("127.0.0.1", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            listed = await http.get("/api/v1/badges/", headers={"X-Api-Key": OWNER_KEY})
            posted = await http.post("/api/v1/badges/", headers={"X-Api-Key": OWNER_KEY})
    assert listed.status_code == 200
    assert "*" in listed.json()["badges"]
    assert posted.status_code == 405
