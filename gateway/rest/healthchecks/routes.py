"""The Management API under ``/api/v1/``, ``/api/v2/`` and ``/api/v3/``.

Each path is one endpoint that handles, in Healthchecks' order: OPTIONS (204,
no auth), a method not allowed (405, before auth), the JSON body (parsed
before auth), the key (``X-Api-Key`` header, else ``api_key`` in the body),
the key's scope, then the use case. CORS headers go on every answer.
"""

import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from pymongo.errors import PyMongoError
from starlette.routing import Route

from gateway.domain.checks import Check
from gateway.domain.checks.naming import is_canonical_uuid
from gateway.domain.keys import Scope
from gateway.domain.projects import Principal
from gateway.errors import AuthError, HealthgateError, InvalidInputError
from gateway.rest.common import vendor_app
from gateway.rest.healthchecks.errors import api_error, render_error
from gateway.rest.healthchecks.wire import (
    Urls,
    channel_out,
    check_out,
    flip_out,
    ping_out,
)
from gateway.services import Services

__all__ = ["create_healthchecks_api_app"]

_UNIQUE_KEY = re.compile(r"^[A-z0-9]{40}$")
_ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


@dataclass(frozen=True)
class Call:
    """One authenticated API call: who, which version, the decoded body."""

    request: Request
    services: Services
    principal: Principal
    version: int
    body: dict[str, object]

    @property
    def project(self) -> str:
        return self.principal.project

    @property
    def readonly(self) -> bool:
        return not self.principal.can_write

    def check_json(self, check: Check, status_code: int = 200) -> JSONResponse:
        urls = Urls(self.services.settings.site_root, self.version)
        body = check_out(check, now=self.services.clock(), urls=urls, readonly=self.readonly)
        return JSONResponse(body, status_code=status_code)

    async def check(self) -> Check:
        return await self.services.checks.get(self.project, self.request.path_params["code"])


Handler = Callable[[Call], Awaitable[Response]]


@dataclass(frozen=True)
class Method:
    handler: Handler
    read_only_ok: bool = False


async def _json_body(request: Request) -> dict[str, object]:
    raw = await request.body()
    if not raw:
        return {}
    try:
        body = json.loads(raw)
    except ValueError:
        raise InvalidInputError(None, "could not parse request body") from None
    if not isinstance(body, dict):
        raise InvalidInputError(None, "json validation error: value is not an object")
    return body


async def _authenticate(
    request: Request, services: Services, body: dict[str, object], *, write: bool
) -> Principal:
    """The header wins, even a wrong one; only without it is ``api_key`` in the body used."""
    key = request.headers.get("x-api-key")
    if key is None and "api_key" in body:
        key = str(body["api_key"])
    principal = await services.keys.authenticate(key or "")
    if principal.scope is Scope.CONNECTOR_HEALTH or (write and not principal.can_write):
        raise AuthError("wrong api key")
    return principal


def _endpoint(
    version: int, methods: Callable[[Request], dict[str, Method] | None]
) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        table = methods(request)
        if table is None:
            return JSONResponse({"error": "not found"}, status_code=404)
        cors = {
            "Access-Control-Allow-Origin": "*",
            "Access-Control-Allow-Headers": "X-Api-Key",
            "Access-Control-Allow-Methods": ", ".join([*table, "OPTIONS"]),
            "Access-Control-Max-Age": "600",
        }
        response = await _answer(request, version, table)
        response.headers.update(cors)
        return response

    return endpoint


async def _answer(request: Request, version: int, table: dict[str, Method]) -> Response:
    if request.method == "OPTIONS":
        return Response(status_code=204)
    method = table.get(request.method)
    if method is None:
        return JSONResponse({"error": "method not allowed"}, status_code=405)
    services: Services = request.state.services
    try:
        body = await _json_body(request) if request.method == "POST" else {}
        principal = await _authenticate(request, services, body, write=not method.read_only_ok)
        return await method.handler(Call(request, services, principal, version, body))
    except HealthgateError as exc:
        return api_error(exc)
    except (PyMongoError, TimeoutError):
        return JSONResponse({"error": "the database is unavailable"}, status_code=503)


# --- handlers -----------------------------------------------------------------------------


async def list_checks(call: Call) -> Response:
    """List the project's checks, filtered by every ``tag`` and by ``slug``."""
    params = call.request.query_params
    checks = await call.services.checks.find(
        call.project, tags=params.getlist("tag"), slug=params.get("slug")
    )
    urls = Urls(call.services.settings.site_root, call.version)
    now = call.services.clock()
    out = [check_out(check, now=now, urls=urls, readonly=call.readonly) for check in checks]
    return JSONResponse({"checks": out})


async def create_check(call: Call) -> Response:
    """Create a check (201), or update the one ``unique`` matches (200)."""
    check, created = await call.services.checks.create(
        call.project, call.body, version=call.version
    )
    return call.check_json(check, 201 if created else 200)


async def get_check(call: Call) -> Response:
    return call.check_json(await call.check())


async def get_check_by_unique_key(call: Call) -> Response:
    key = call.request.path_params["code"]
    return call.check_json(await call.services.checks.get_by_unique_key(call.project, key))


async def update_check(call: Call) -> Response:
    check = await call.services.checks.update(
        call.project, call.request.path_params["code"], call.body, version=call.version
    )
    return call.check_json(check)


async def delete_check(call: Call) -> Response:
    return call.check_json(
        await call.services.checks.delete(call.project, call.request.path_params["code"])
    )


async def pause_check(call: Call) -> Response:
    return call.check_json(
        await call.services.checks.pause(call.project, call.request.path_params["code"])
    )


async def resume_check(call: Call) -> Response:
    return call.check_json(
        await call.services.checks.resume(call.project, call.request.path_params["code"])
    )


async def list_pings(call: Call) -> Response:
    check = await call.check()
    pings, durations = await call.services.pings.pings(check)
    urls = Urls(call.services.settings.site_root, call.version)
    out = [ping_out(ping, urls=urls, duration=durations.get(ping.n)) for ping in pings]
    return JSONResponse({"pings": out})


async def ping_body(call: Call) -> Response:
    check = await call.check()
    body = await call.services.pings.body(check, int(call.request.path_params["n"]))
    return Response(body, media_type="text/plain")


async def list_flips(call: Call) -> Response:
    """Flips, newest first; the real server wraps them in ``{"flips": [...]}``."""
    code = call.request.path_params["code"]
    checks = call.services.checks
    if is_canonical_uuid(code):
        check = await checks.get(call.project, code)
    else:
        check = await checks.get_by_unique_key(call.project, code)
    query = checks.parse_flips_query(dict(call.request.query_params))
    flips = await checks.flips(check, query)
    return JSONResponse({"flips": [flip_out(flip) for flip in flips]})


async def list_channels(call: Call) -> Response:
    channels = await call.services.checks.channels(call.project)
    return JSONResponse({"channels": [channel_out(channel) for channel in channels]})


# --- routing ------------------------------------------------------------------------------


def _fixed(table: dict[str, Method]) -> Callable[[Request], dict[str, Method]]:
    return lambda request: table


def _by_code(
    by_uuid: dict[str, Method], by_unique_key: dict[str, Method] | None = None
) -> Callable[[Request], dict[str, Method] | None]:
    """A check path: a canonical uuid, or (where allowed) a 40-character unique_key."""

    def choose(request: Request) -> dict[str, Method] | None:
        code = request.path_params["code"]
        if is_canonical_uuid(code):
            return by_uuid
        if by_unique_key is not None and _UNIQUE_KEY.match(code):
            return by_unique_key
        return None

    return choose


def _redirect(request: Request) -> Response:
    return RedirectResponse(request.url.path + "/", status_code=301)


async def _redirect_endpoint(request: Request) -> Response:
    return _redirect(request)


async def status_endpoint(request: Request) -> Response:
    """``OK`` while the database answers, 500 when it does not."""
    services: Services = request.state.services
    report = await services.health.check()
    if report.healthy:
        return PlainTextResponse("OK")
    return PlainTextResponse("database unavailable", status_code=500)


def create_healthchecks_api_app(version: int) -> FastAPI:
    """The Management API for one version (mounted at ``/api/v<version>``)."""
    app = vendor_app(render_error)
    read = True
    # Healthchecks does not redirect item paths: ".../<uuid>/" is a 404.
    app.router.redirect_slashes = False
    routes = [
        (
            "/checks/",
            _fixed(
                {
                    "GET": Method(list_checks, read),
                    "POST": Method(create_check),
                }
            ),
        ),
        (
            "/checks/{code}",
            _by_code(
                {
                    "GET": Method(get_check, read),
                    "POST": Method(update_check),
                    "DELETE": Method(delete_check),
                },
                {"GET": Method(get_check_by_unique_key, read)},
            ),
        ),
        ("/checks/{code}/pause", _by_code({"POST": Method(pause_check)})),
        ("/checks/{code}/resume", _by_code({"POST": Method(resume_check)})),
        ("/checks/{code}/pings/", _by_code({"GET": Method(list_pings)})),
        ("/checks/{code}/pings/{n:int}/body", _by_code({"GET": Method(ping_body)})),
        (
            "/checks/{code}/flips/",
            _by_code({"GET": Method(list_flips, read)}, {"GET": Method(list_flips, read)}),
        ),
        ("/channels/", _fixed({"GET": Method(list_channels)})),
    ]
    for path, table in routes:
        app.router.routes.append(Route(path, _endpoint(version, table), methods=_ALL_METHODS))
        if path.endswith("/"):
            app.router.routes.append(
                Route(path.rstrip("/"), _redirect_endpoint, methods=_ALL_METHODS)
            )
    app.router.routes.append(Route("/status/", status_endpoint, methods=["GET"]))
    app.router.routes.append(Route("/status", _redirect_endpoint, methods=["GET"]))
    return app
