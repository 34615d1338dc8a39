"""Badges over real checks: created, pinged and failed through the Healthchecks routes."""

from tests.conftest import OWNER_KEY

HEADERS = {"X-Api-Key": OWNER_KEY}


def _path(url: str) -> str:
    return url.removeprefix("http://localhost:8000")


async def test_badges_follow_the_checks_they_count(client):
    made = []
    for name, tags in (("db backup", "prod db"), ("web", "prod")):
        response = await client.post(
            "/api/v3/checks/", json={"name": name, "tags": tags}, headers=HEADERS
        )
        assert response.status_code == 201
        made.append(response.json())
    listing = (await client.get("/api/v3/badges/", headers=HEADERS)).json()["badges"]
    assert sorted(listing) == ["*", "db", "prod"]

    async def state(tag: str) -> dict[str, object]:
        response = await client.get(_path(listing[tag]["json3"]))
        assert response.status_code == 200
        body: dict[str, object] = response.json()
        return body

    assert await state("prod") == {"status": "up", "total": 2, "grace": 0, "down": 0}
    assert (await client.get(f"/ping/{made[0]['uuid']}/fail")).text == "OK"
    assert await state("prod") == {"status": "down", "total": 2, "grace": 0, "down": 1}
    assert await state("db") == {"status": "down", "total": 1, "grace": 0, "down": 1}
    svg = await client.get(_path(listing["prod"]["svg"]))
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert "#e05d44" in svg.text  # the "down" colour
    per_check = await client.get(_path(made[1]["badge_url"]).replace(".svg", ".json"))
    assert per_check.json() == {"status": "up", "total": 1, "grace": 0, "down": 0}
