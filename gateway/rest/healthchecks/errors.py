"""Healthchecks' error envelopes: ``{"error": ...}`` for the API, plain text for pings.

Where Healthchecks answers an error with an empty or HTML body (403, 404),
healthgate sends the same status with the JSON envelope.
"""

from fastapi import Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from gateway.errors import HealthgateError, StoreUnavailableError
from gateway.rest.status import status_for

__all__ = ["api_error", "ping_error", "render_error"]


def api_error(exc: HealthgateError) -> JSONResponse:
    return JSONResponse({"error": exc.message}, status_code=status_for(exc))


def ping_error(exc: HealthgateError) -> PlainTextResponse:
    if isinstance(exc, StoreUnavailableError):
        return PlainTextResponse("the database is unavailable, try again", status_code=503)
    return PlainTextResponse(exc.message, status_code=status_for(exc))


async def render_error(request: Request, exc: HealthgateError) -> Response:
    return api_error(exc)
