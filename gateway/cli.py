"""The ``healthgate`` command: serve, export-schema, keys create/list/revoke."""

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from gateway.domain.clock import utcnow
from gateway.domain.keys import Scope
from gateway.errors import ConfigurationError, HealthgateError
from gateway.services.keys import KeysService
from gateway.settings import Settings
from storage import Store, open_store

__all__ = ["main"]


def _settings_error(exc: ValidationError) -> str:
    """One line per bad setting, naming its variable; never echoing the value (it may be a key)."""
    lines = []
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else ""
        name = "MONGODB_URI" if field == "mongodb_uri" else f"HEALTHGATE_{field.upper()}"
        lines.append(f"{name}: {error['msg'].removeprefix('Value error, ')}")
    return "configuration error: " + "; ".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="healthgate", description="One GraphQL gateway over every health signal."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the gateway")
    serve.add_argument("--host", help="address to listen on (HEALTHGATE_HOST)")
    serve.add_argument("--port", type=int, help="port to listen on (HEALTHGATE_PORT)")

    export = commands.add_parser("export-schema", help="print the GraphQL schema (SDL)")
    export.add_argument("--output", type=Path, help="write to this file instead of stdout")

    keys = commands.add_parser("keys", help="manage API keys in MONGODB_URI's database")
    key_commands = keys.add_subparsers(dest="keys_command", required=True)
    create = key_commands.add_parser("create", help="create a key and print it once")
    create.add_argument("--project", required=True)
    create.add_argument("--scope", required=True, choices=[scope.value for scope in Scope])
    create.add_argument("--label", default="", help="a note to tell keys apart")
    listing = key_commands.add_parser("list", help="list keys (prefixes only)")
    listing.add_argument("--project")
    revoke = key_commands.add_parser("revoke", help="revoke a key at once")
    revoke.add_argument("key", help="the key's id from 'keys list', or the key itself")
    return parser


def main(argv: Sequence[str] | None = None, *, store: Store | None = None) -> int:
    """Run the command line; returns the exit status.

    ``store`` lets tests run the ``keys`` commands against an embedded store.
    """
    args = _parser().parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as exc:
        print(_settings_error(exc), file=sys.stderr)
        return 2
    try:
        if args.command == "serve":
            return _serve(settings, args.host, args.port)
        if args.command == "export-schema":
            return _export_schema(args.output)
        return asyncio.run(_keys(settings, args, store))
    except ConfigurationError as exc:
        print(f"configuration error: {exc.message}", file=sys.stderr)
        return 2
    except HealthgateError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1


def _serve(settings: Settings, host: str | None, port: int | None) -> int:
    import uvicorn

    from gateway.app import create_app

    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    host = host or settings.host
    port = port or settings.port
    app = create_app(listening_settings(settings, host, port))
    tune_garbage_collector()
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level=settings.log_level,
        proxy_headers=False,  # X-Forwarded-For is weighed against HEALTHGATE_TRUSTED_PROXIES
        # Subscription messages are small JSON frames sent to many sockets at once:
        # compressing each costs more CPU than it saves bytes.
        ws_per_message_deflate=False,
    )
    return 0


def tune_garbage_collector() -> None:
    """Fewer, cheaper collections for a long-running server.

    Everything built at start-up (modules, the schema, the app) lives as long as
    the process: ``gc.freeze()`` keeps full collections from walking it again and
    again, and a larger first generation means fewer collections under load.
    """
    import gc

    gc.collect()
    gc.freeze()
    _, second, third = gc.get_threshold()
    gc.set_threshold(50_000, second, third)


def listening_settings(settings: Settings, host: str, port: int) -> Settings:
    """Without HEALTHGATE_SITE_ROOT, URLs in answers (ping_url ...) point where we listen."""
    if "site_root" in settings.model_fields_set:
        return settings
    shown = "localhost" if host in ("0.0.0.0", "::", "127.0.0.1", "::1") else host
    if ":" in shown:
        shown = f"[{shown}]"
    return settings.model_copy(update={"site_root": f"http://{shown}:{port}"})


def _export_schema(output: Path | None) -> int:
    from resolvers.schema import schema

    text = schema.as_str() + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text)
    return 0


async def _keys(settings: Settings, args: argparse.Namespace, store: Store | None) -> int:
    if store is None:
        if settings.mongodb_uri is None:
            raise ConfigurationError(
                "the keys commands manage a real MongoDB: set MONGODB_URI "
                "(the embedded store lives only inside a running 'healthgate serve')"
            )
        store = open_store(settings.mongodb_uri.get_secret_value(), settings.database)
        owned = True
    else:
        owned = False
    try:
        await store.ensure_indexes()
        keys = KeysService(store, utcnow)
        if args.keys_command == "create":
            created = await keys.create(args.project, Scope(args.scope), args.label)
            print(f"{created.key}")
            print(
                f"created {created.record.scope} key {created.record.id} for project "
                f"{created.record.project}; it is shown only now",
                file=sys.stderr,
            )
        elif args.keys_command == "list":
            print(f"{'ID':<24}  {'PROJECT':<16}  {'SCOPE':<16}  {'PREFIX':<8}  CREATED  STATE")
            for key in await keys.list_keys(args.project):
                state = "active" if key.active else f"revoked {key.revoked_at:%Y-%m-%d}"
                print(
                    f"{key.id:<24}  {key.project:<16}  {key.scope.value:<16}  {key.prefix:<8}  "
                    f"{key.created_at:%Y-%m-%d}  {state}"
                )
        else:
            revoked = await keys.revoke(args.key)
            print(f"revoked key {revoked.id} ({revoked.prefix}…) of project {revoked.project}")
    finally:
        if owned:
            await store.close()
    return 0
