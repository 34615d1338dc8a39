"""The sources file at start-up: applied idempotently, refused with one named message."""

import subprocess
import sys
import textwrap

import httpx
import pytest
from asgi_lifespan import LifespanManager

from gateway.app import create_app
from gateway.domain.connectors import ProbeResult
from gateway.domain.status import SourceKind, SourceRef, Status
from gateway.errors import ConfigurationError
from gateway.settings import Settings
from tests.conftest import BOOTSTRAP, CONNECTOR_KEY

FILE = """
[[connectors]]
project = "alpha"
name = "npmjs.org"
url = "https://registry.npmjs.org"
interval = 60
timeout = 10
expect_status = [200, 299]

[[connectors]]
project = "alpha"
name = "nuget.org"
url = "https://www.nuget.org/api/v2"
expect_keyword = "NuGet"

[[services]]
project = "alpha"
name = "captcha"
url = "http://mosparo.internal/api/v1/health/check"
interval = 30

[[kafka_clusters]]
project = "alpha"
name = "prod"
kind = "confluent-cloud"
url = "https://api.confluent.cloud"
environment_id = "env-abc"
cluster_id = "lkc-123"
api_key = "KEY"
api_secret = "SECRET"
interval = 30
"""


def settings_for(path) -> Settings:
    return Settings(
        bootstrap_keys=BOOTSTRAP,
        create_default_project=False,
        sources_file=path,
        loop_enabled=False,
    )


async def start(settings, store, clock) -> list[dict[str, object]]:
    """Start a gateway (its lifespan applies the file) and list alpha's connectors."""
    app = create_app(settings, store=store, clock=clock, background=[])
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            response = await http.get("/api/connector-health", headers={"X-ApiKey": CONNECTOR_KEY})
            assert response.status_code == 200
            listed: list[dict[str, object]] = response.json()
            return listed


async def test_the_file_is_applied_at_start_up_and_again_without_change(tmp_path, store, clock):
    path = tmp_path / "sources.toml"
    path.write_text(FILE)
    for _ in range(2):
        listed = await start(settings_for(path), store, clock)
        assert [(c["id"], c["name"], c["state"]) for c in listed] == [
            (1, "npmjs.org", "unknown"),
            (2, "nuget.org", "unknown"),
        ]
    [service] = await store.service_sources.find_all()
    assert (service.spec.name, service.spec.interval, service.spec.timeout) == ("captcha", 30, 10)
    [cluster] = await store.kafka_clusters.find_all()
    assert (cluster.spec.environment, cluster.spec.cluster, cluster.spec.api_key) == (
        "env-abc",
        "lkc-123",
        "KEY",
    )


async def test_removed_sources_are_removed_and_kept_ones_keep_their_state(tmp_path, store, clock):
    path = tmp_path / "sources.toml"
    path.write_text(FILE)
    await start(settings_for(path), store, clock)
    # A probe result for nuget.org, as the loop would have stored it.
    later = clock().replace(year=2030)
    claims = {c.doc["name"]: c for c in await store.connectors.claim_due(later, "t", 30, 10)}
    await store.connectors.record(
        claims["nuget.org"],
        ProbeResult(Status.DOWN, "connection refused", 3.0),
        1,
        clock(),
        clock(),
    )
    edited = FILE.replace('name = "npmjs.org"', 'name = "npm"').replace(
        'expect_keyword = "NuGet"', 'expect_keyword = "NuGet"\ninterval = 120'
    )
    edited = edited.split("[[services]]")[0]  # the service and the cluster are gone
    path.write_text(edited)
    listed = await start(settings_for(path), store, clock)
    assert [(c["id"], c["name"], c["state"], c["errorMessage"]) for c in listed] == [
        (2, "nuget.org", "error", "connection refused"),
        (3, "npm", "unknown", None),
    ]
    assert (await store.connectors.get(2)).spec.interval == 120
    assert await store.service_sources.find_all() == []
    assert await store.kafka_clusters.find_all() == []
    assert await store.connectors.get(1) is None
    assert await store.probe_history.recent(SourceRef(SourceKind.CONNECTOR, "1")) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            FILE.replace("interval = 60", "interval = 0"),
            "[[connectors]] entry 1: key 'interval' must be between 1 and 86400 (got 0)",
        ),
        (
            FILE.replace("interval = 30\n", "interval = 30\ncolour = 'red'\n", 1),
            "[[services]] entry 1: key 'colour' is not a known key",
        ),
        (
            FILE.replace('name = "nuget.org"', 'name = "npmjs.org"'),
            "[[connectors]] entry 2: key 'name' duplicates 'npmjs.org' in project 'alpha'",
        ),
        (
            FILE.replace("timeout = 10", 'timeout = "10"'),
            "[[connectors]] entry 1: key 'timeout' must be a number",
        ),
        ("[[connectors]\nname =", "not valid TOML"),
    ],
    ids=["range", "unknown-key", "duplicate", "type", "toml"],
)
def test_a_bad_file_stops_start_up_naming_file_table_and_key(tmp_path, text, message):
    path = tmp_path / "sources.toml"
    path.write_text(text)
    with pytest.raises(ConfigurationError) as raised:
        create_app(settings_for(path))
    assert raised.value.message.startswith(f"sources file {path}: ")
    assert message in raised.value.message


def test_serve_refuses_a_bad_file_with_one_line_and_status_2(tmp_path):
    path = tmp_path / "sources.toml"
    path.write_text(
        textwrap.dedent(
            """
            [[connectors]]
            name = "npmjs.org"
            url = "https://registry.npmjs.org"
            timeout = 5000
            """
        )
    )
    result = subprocess.run(
        [sys.executable, "-m", "gateway", "serve"],
        env={"PATH": "/usr/bin:/bin", "HEALTHGATE_SOURCES_FILE": str(path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr == (
        f"configuration error: sources file {path}: [[connectors]] entry 1: "
        "key 'timeout' must be between 0.1 and 3600 (got 5000)\n"
    )
