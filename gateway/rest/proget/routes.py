"""``GET``/``HEAD /api/connector-health`` and ``/api/connector-health/<id>``."""

import json
from typing import Annotated
from urllib.parse import parse_qs

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.auth import api_key_from_headers
from gateway.domain.keys import Scope as KeyScope
from gateway.domain.projects import Principal
from gateway.errors import ForbiddenError, NotFoundError
from gateway.rest.common import ServicesDep, vendor_app
from gateway.rest.proget.errors import render_error
from gateway.rest.proget.wire import connector_out

__all__ = ["ExactPath", "create_proget_app"]

_ALLOWED = (KeyScope.CONNECTOR_HEALTH, KeyScope.READ_WRITE)


async def _key(request: Request) -> str | None:
    """The API key in any of ProGet's four places (notes C.2): the ``X-ApiKey``
    header, the ``key`` query parameter, a ``key`` form field or ``API_Key`` in JSON."""
    key = api_key_from_headers(request.headers) or request.query_params.get("key")
    if key:
        return key
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in ("application/json", "application/x-www-form-urlencoded"):
        return None
    body = await request.body()
    if content_type == "application/json":
        try:
            data = json.loads(body)
        except ValueError:
            return None
        value = data.get("API_Key") if isinstance(data, dict) else None
        return value if isinstance(value, str) else None
    values = parse_qs(body.decode("latin-1")).get("key")
    return values[0] if values else None


async def _principal(request: Request, services: ServicesDep) -> Principal:
    """A key of scope connector-health or read-write; anything else is a 403."""
    principal = await services.keys.authenticate(await _key(request))
    if principal.scope not in _ALLOWED:
        raise ForbiddenError("this API key may not read connector health")
    return principal


PrincipalDep = Annotated[Principal, Depends(_principal)]


def create_proget_app() -> FastAPI:
    app = vendor_app(render_error)

    @app.api_route("/", methods=["GET", "HEAD"])
    async def all_connectors(principal: PrincipalDep, services: ServicesDep) -> Response:
        """Every connector of the key's project, with its health."""
        connectors = await services.connectors.in_project(principal.project)
        return JSONResponse([connector_out(c) for c in connectors])

    @app.api_route("/{connector_id}", methods=["GET", "HEAD"])
    async def one_connector(
        connector_id: str, principal: PrincipalDep, services: ServicesDep
    ) -> Response:
        """One connector's health; 404 for an unknown id or another project's."""
        if not connector_id.isdigit() or len(connector_id) > 18:
            raise NotFoundError("connector not found")
        connector = await services.connectors.get(principal.project, int(connector_id))
        return JSONResponse(connector_out(connector))

    return app


class ExactPath:
    """Serve ``prefix`` itself (no trailing slash) from ``app`` mounted at ``prefix``;
    a mount alone would redirect it, and ProGet clients do not follow redirects.

    Usage: ``routes.append(Route(prefix, ExactPath(prefix, app)))``
    """

    def __init__(self, prefix: str, app: ASGIApp) -> None:
        self._prefix = prefix
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        child = dict(scope)
        child["root_path"] = scope.get("root_path", "") + self._prefix
        child["path"] = scope["path"] + "/"
        await self._app(child, receive, send)
