"""The healthgate command: keys create/list/revoke, export-schema, configuration errors."""

import subprocess
import sys

import pytest

from gateway.cli import main
from gateway.services.keys import KeysService


def test_keys_create_prints_the_key_once_and_stores_only_its_hash(store, capsys, clock):
    assert main(["keys", "create", "--project", "ops", "--scope", "read-only"], store=store) == 0
    out, err = capsys.readouterr()
    key = out.strip()
    assert len(key) == 32
    assert key.startswith("hgr_")
    assert "shown only now" in err

    import asyncio

    async def stored():
        return [doc async for doc in store.db["api_keys"].find({})]

    docs = asyncio.run(stored())
    assert len(docs) == 1
    assert key not in repr(docs)
    principal = asyncio.run(KeysService(store, clock).authenticate(key))
    assert (principal.project, principal.scope.value) == ("ops", "read-only")


def test_keys_list_shows_prefixes_never_keys(store, capsys):
    main(["keys", "create", "--project", "ops", "--scope", "read-write"], store=store)
    key = capsys.readouterr().out.strip()
    assert main(["keys", "list"], store=store) == 0
    listing = capsys.readouterr().out
    assert key[:8] in listing
    assert key not in listing
    assert "ops" in listing
    assert "active" in listing


def test_keys_revoke_stops_the_key(store, capsys, clock):
    import asyncio

    from gateway.errors import AuthError

    main(["keys", "create", "--project", "ops", "--scope", "read-write"], store=store)
    key = capsys.readouterr().out.strip()
    key_id = asyncio.run(KeysService(store, clock).authenticate(key)).key_id
    assert main(["keys", "revoke", key_id], store=store) == 0
    assert "revoked key" in capsys.readouterr().out
    with pytest.raises(AuthError, match="wrong api key"):
        asyncio.run(KeysService(store, clock).authenticate(key))
    assert main(["keys", "revoke", key_id], store=store) == 1
    assert capsys.readouterr().err == "error: no active key with that id\n"


def test_keys_create_refuses_a_bad_project_name(store, capsys):
    assert (
        main(["keys", "create", "--project", "Bad Name", "--scope", "read-only"], store=store) == 1
    )
    assert "project must be 1-63 lowercase letters" in capsys.readouterr().err


def test_keys_commands_need_a_real_database(capsys):
    assert main(["keys", "list"]) == 2
    assert "set MONGODB_URI" in capsys.readouterr().err


def test_export_schema_writes_the_sdl(tmp_path):
    from resolvers.schema import schema

    output = tmp_path / "schema.graphql"
    assert main(["export-schema", "--output", str(output)]) == 0
    assert output.read_text() == schema.as_str() + "\n"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"HEALTHGATE_BOOTSTRAP_KEYS": "alpha:root:" + "s" * 32},
            "configuration error: HEALTHGATE_BOOTSTRAP_KEYS: item 1: scope 'root' is not one of",
        ),
        (
            {"MONGODB_URI": "postgres://nope"},
            "configuration error: MONGODB_URI is not a usable MongoDB URI",
        ),
        (
            {"HEALTHGATE_SOURCES_FILE": "/nonexistent.toml"},
            "configuration error: HEALTHGATE_SOURCES_FILE: Path does not point to a file",
        ),
        ({"HEALTHGATE_PORT": "http"}, "configuration error: HEALTHGATE_PORT: Input should be"),
    ],
)
def test_serve_stops_with_one_clear_message_on_bad_configuration(env, message):
    result = subprocess.run(
        [sys.executable, "-m", "gateway", "serve"],
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.startswith(message)
    assert "Traceback" not in result.stderr
    assert "s" * 32 not in result.stderr  # a key is never echoed


@pytest.mark.parametrize(
    ("host", "port", "site_root"),
    [
        ("127.0.0.1", 8777, "http://localhost:8777"),
        ("0.0.0.0", 80, "http://localhost:80"),
        ("10.1.2.3", 8000, "http://10.1.2.3:8000"),
        ("fd00::5", 8000, "http://[fd00::5]:8000"),
    ],
)
def test_serve_points_urls_at_where_it_listens(host, port, site_root):
    from gateway.cli import listening_settings
    from gateway.settings import Settings

    assert listening_settings(Settings(), host, port).site_root == site_root
    configured = Settings(site_root="https://health.example.com")
    assert listening_settings(configured, host, port).site_root == "https://health.example.com"
