"""``GET /connect/v1/environments/{env}/clusters/{cluster}/connectors/{name}/status``."""

import base64
import binascii
import json
import logging
import uuid
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.domain.keys import Scope as KeyScope
from gateway.domain.projects import Principal
from gateway.domain.ratelimit import RateLimiter
from gateway.errors import AuthError, ForbiddenError
from gateway.rest.common import ServicesDep, vendor_app
from gateway.rest.confluent.errors import render_error
from gateway.rest.confluent.wire import error_out, status_out

__all__ = ["create_confluent_app"]

log = logging.getLogger("healthgate.confluent")


def _basic_credentials(authorization: str) -> list[str]:
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "basic" or not token.strip():
        return []
    try:
        decoded = base64.b64decode(token.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return []
    user, _, password = decoded.partition(":")
    return [value for value in (user, password) if value]


async def _principal(request: Request, services: ServicesDep) -> Principal:
    """HTTP Basic with the API key as the user name or as the password."""
    for candidate in _basic_credentials(request.headers.get("authorization", "")):
        try:
            principal = await services.keys.authenticate(candidate)
        except AuthError:
            continue
        if principal.scope not in (KeyScope.READ_WRITE, KeyScope.READ_ONLY):
            raise ForbiddenError("this API key may not read Kafka connectors")
        return principal
    raise AuthError("Unauthorized")


PrincipalDep = Annotated[Principal, Depends(_principal)]


def _with_request_id(app: ASGIApp) -> ASGIApp:
    """``X-Request-Id`` on every response, and the documented 500 envelope for any
    unexpected error (which would otherwise bypass the sub-app's handlers)."""

    async def serve(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        request_id = uuid.uuid4().hex
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await app(scope, receive, send_with_id)
        except Exception:
            log.exception("connector status request %s failed", request_id)
            if started:  # the sub-app's 500 handler has answered already
                return
            body = json.dumps(error_out(500, "Oops, something went wrong")).encode()
            await send_with_id(
                {
                    "type": "http.response.start",
                    "status": 500,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})

    return serve


def create_confluent_app() -> ASGIApp:
    app: FastAPI = vendor_app(render_error)
    limiter = RateLimiter()

    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse(error_out(500, "Oops, something went wrong"), status_code=500)

    app.add_exception_handler(Exception, on_unexpected)

    @app.get(
        "/environments/{environment_id}/clusters/{kafka_cluster_id}"
        "/connectors/{connector_name}/status"
    )
    async def connector_status(
        environment_id: str,
        kafka_cluster_id: str,
        connector_name: str,
        principal: PrincipalDep,
        services: ServicesDep,
    ) -> JSONResponse:
        """A connector's state and its tasks' states, as last read from its cluster."""
        settings = services.settings
        decision = limiter.hit(
            principal.key_id,
            services.clock(),
            limit=settings.confluent_rate_limit,
            window=settings.confluent_rate_window_seconds,
        )
        headers = {
            "X-RateLimit-Limit": str(decision.limit),
            "X-RateLimit-Remaining": str(decision.remaining),
            "X-RateLimit-Reset": str(decision.reset_seconds),
        }
        if not decision.allowed:
            headers["Retry-After"] = str(decision.reset_seconds)
            return JSONResponse(
                error_out(429, "Too Many Requests"), status_code=429, headers=headers
            )
        connector = await services.kafka.connector_status(
            principal.project, environment_id, kafka_cluster_id, connector_name
        )
        return JSONResponse(status_out(connector), headers=headers)

    return _with_request_id(app)
