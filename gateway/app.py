"""The FastAPI application: ``create_app(settings)`` and its lifespan."""

import asyncio
import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI
from pymongo.errors import PyMongoError
from starlette.routing import Route

from gateway import __version__
from gateway.domain.clock import Clock, utcnow
from gateway.loop import BackgroundJob, default_jobs
from gateway.requestid import RequestIdMiddleware
from gateway.rest.badges.routes import create_check_badge_app, create_tag_badge_app
from gateway.rest.common import install_json_errors
from gateway.rest.confluent.routes import create_confluent_app
from gateway.rest.healthchecks.ping_routes import PingFastPath, create_ping_app
from gateway.rest.healthchecks.routes import create_healthchecks_api_app
from gateway.rest.healthchecks_badges import badges_router
from gateway.rest.mosparo.routes import create_mosparo_app
from gateway.rest.proget.routes import ExactPath, create_proget_app
from gateway.services import Services, build_services
from gateway.services.channels import read_channels_file
from gateway.services.keys import CreatedKey
from gateway.services.ports import BadgeChecks
from gateway.services.sources import load_sources_file
from gateway.settings import Settings
from resolvers.router import graphql_router
from storage import Store, open_store

__all__ = ["create_app"]

log = logging.getLogger("healthgate")

_RETRY_SECONDS = (1, 2, 5, 10, 30)


async def prepare_store(services: Services) -> None:
    """Indexes, bootstrap keys and, on a first run, the default project; idempotent."""
    settings = services.settings
    await services.store.ensure_indexes()
    await services.channels.sync_from_file()
    if settings.bootstrap:
        await services.keys.bootstrap(settings.bootstrap)
    elif settings.create_default_project:
        created = await services.keys.create_default_project()
        if created:
            _print_first_run_keys(created, settings)
    await services.store.probe_history.set_retention(settings.probe_history_seconds)
    if settings.sources_file is not None:
        await services.sources.apply_file(settings.sources_file)


def _print_first_run_keys(created: list[CreatedKey], settings: Settings) -> None:
    # Printed, never logged: this is the only time these keys exist in plain text.
    lines = [
        "",
        "healthgate created project 'default' with these API keys (shown only now):",
        *(f"  {item.record.scope:<12} {item.key}" for item in created),
        f"  try: curl -H 'X-Api-Key: {created[0].key}' {settings.site_root}/graphql "
        "-H 'Content-Type: application/json' -d '{\"query\": \"{ viewer { project scope } }\"}'",
        "",
    ]
    print("\n".join(lines), file=sys.stdout, flush=True)


async def _prepare_until_ready(services: Services) -> None:
    """Retry start-up preparation while the database is unreachable."""
    attempt = 0
    while True:
        try:
            await prepare_store(services)
        except (PyMongoError, TimeoutError) as exc:
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                # The driver turned our cancellation (shutdown) into its own error.
                raise asyncio.CancelledError from None
            delay = _RETRY_SECONDS[min(attempt, len(_RETRY_SECONDS) - 1)]
            log.warning("database unavailable (%s); retrying in %s s", type(exc).__name__, delay)
            attempt += 1
            await asyncio.sleep(delay)
        else:
            if attempt:
                log.info("database reachable again; start-up preparation done")
            return


async def _stop(tasks: list[asyncio.Task[None]], patience: float = 5.0) -> None:
    """Cancel the background tasks and wait for them, cancelling again if needed.

    A cancellation can be swallowed inside a driver call (Python 3.11's
    ``wait_for`` race), so one ``cancel()`` is not always enough.
    """
    pending = {task for task in tasks if not task.done()}
    deadline = asyncio.get_running_loop().time() + patience
    while pending:
        for task in pending:
            task.cancel()
        _, pending = await asyncio.wait(pending, timeout=0.2)
        if asyncio.get_running_loop().time() > deadline:
            log.error("background tasks did not stop: %s", sorted(t.get_name() for t in pending))
            return
    for task in tasks:
        if not task.cancelled() and task.exception() is not None:
            log.error("background task %s failed", task.get_name(), exc_info=task.exception())


def create_app(
    settings: Settings,
    *,
    clock: Clock = utcnow,
    store: Store | None = None,
    http: httpx.AsyncClient | None = None,
    background: list[BackgroundJob] | None = None,
    badge_checks: BadgeChecks | None = None,
) -> FastAPI:
    """Build the app. ``store`` and ``http`` are injected by tests (the app then
    leaves them open on shutdown); otherwise the lifespan opens and closes them.
    ``background`` replaces the default background jobs (``[]`` runs none).
    ``badge_checks`` replaces the checks that badges are computed from.

    Raises:
        ConfigurationError: ``MONGODB_URI`` cannot be parsed, or the channels file
            is not valid.
    """
    if settings.channels_file is not None:
        read_channels_file(settings.channels_file)  # fail now, not in the lifespan
    own_store = store is None
    the_store = store or open_store(
        settings.mongodb_uri.get_secret_value() if settings.mongodb_uri else None,
        settings.database,
    )
    jobs = default_jobs(settings) if background is None else list(background)
    if settings.sources_file is not None:
        load_sources_file(settings.sources_file)  # a bad file stops start-up here, named

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[dict[str, Any]]:
        if the_store.embedded and own_store:
            log.warning(
                "MONGODB_URI is not set: using the embedded in-memory store; "
                "every check, key and result is lost when healthgate stops"
            )
        client = http or httpx.AsyncClient(
            timeout=httpx.Timeout(10.0),
            limits=httpx.Limits(max_connections=settings.loop_concurrency),
            follow_redirects=False,
        )
        services = build_services(settings, the_store, client, clock, badge_checks=badge_checks)
        app.state.services = services  # for operators' tooling and tests; requests use the state
        tasks: list[asyncio.Task[None]] = []
        try:
            await asyncio.wait_for(prepare_store(services), timeout=settings.db_timeout * 3)
        except (PyMongoError, TimeoutError):
            log.warning("database unreachable at start-up; serving and retrying in the background")
            tasks.append(asyncio.create_task(_prepare_until_ready(services), name="prepare"))
        tasks += [asyncio.create_task(job(services), name=job.__name__) for job in jobs]
        try:
            yield {"services": services}
        finally:
            await _stop(tasks)
            if http is None:
                await client.aclose()
            if own_store:
                await the_store.close()

    app = FastAPI(
        title="healthgate",
        version=__version__,
        description="One GraphQL gateway over every health signal a team has.",
        lifespan=lifespan,
    )
    install_json_errors(app)
    app.add_middleware(RequestIdMiddleware)
    app.include_router(graphql_router(settings), prefix="/graphql")
    # Mounted before anything at /api/v1 so that Healthchecks' routes cannot shadow it.
    app.mount("/api/v1/health", create_mosparo_app())
    proget = create_proget_app()
    app.mount("/api/connector-health", proget)
    app.router.routes.append(
        Route("/api/connector-health", ExactPath("/api/connector-health", proget))
    )
    app.mount("/connect/v1", create_confluent_app())
    # Before any /api/vN mount: these routes take every method, so they win.
    app.include_router(badges_router())
    app.mount("/badge", create_tag_badge_app())
    app.mount("/b", create_check_badge_app())
    # Healthchecks: pings and the Management API (after every more specific /api/vN mount).
    app.mount("/ping", create_ping_app())
    app.add_middleware(PingFastPath)  # the same ping routes, without the app's routing layers
    for version in (1, 2, 3):
        app.mount(f"/api/v{version}", create_healthchecks_api_app(version))
    return app
