"""ProGet answers key problems with 403 and unknown ids with 404; the body is JSON."""

from fastapi import Request
from fastapi.responses import JSONResponse, Response

from gateway.errors import AuthError, ForbiddenError, HealthgateError
from gateway.rest.status import status_for

__all__ = ["render_error"]


async def render_error(request: Request, exc: HealthgateError) -> Response:
    # ProGet documents no 401: a missing or invalid key is "403 Invalid/unauthorized API key".
    status = 403 if isinstance(exc, AuthError | ForbiddenError) else status_for(exc)
    return JSONResponse({"error": exc.message}, status_code=status)
