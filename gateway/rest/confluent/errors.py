"""Confluent's envelope ``{"error": {"code": N, "message": "..."}}`` for 401, 404, 429, 500."""

from fastapi import Request
from fastapi.responses import JSONResponse, Response

from gateway.errors import (
    AuthError,
    ForbiddenError,
    HealthgateError,
    LimitExceededError,
    NotFoundError,
)
from gateway.rest.confluent.wire import error_out

__all__ = ["render_error"]


def _code(exc: HealthgateError) -> int:
    if isinstance(exc, AuthError | ForbiddenError):
        return 401  # Confluent documents no 403: a key that may not read is unauthorized
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, LimitExceededError):
        return 429
    return 500


async def render_error(request: Request, exc: HealthgateError) -> Response:
    code = _code(exc)
    message = "Unauthorized" if code == 401 else exc.message
    headers = {"WWW-Authenticate": 'Basic realm="healthgate"'} if code == 401 else None
    return JSONResponse(error_out(code, message), status_code=code, headers=headers)
