"""mosparo has no error envelope: its health body always carries ``healthy`` and ``error``."""

from fastapi import Request
from fastapi.responses import JSONResponse, Response

from gateway.errors import HealthgateError, StoreUnavailableError
from gateway.rest.status import status_for

__all__ = ["render_error"]


async def render_error(request: Request, exc: HealthgateError) -> Response:
    if isinstance(exc, StoreUnavailableError):
        body = {
            "service": "healthgate",
            "healthy": False,
            "databaseStatus": "connection-failed",
            "error": exc.message,
        }
        return JSONResponse(body, status_code=500)
    return JSONResponse({"error": exc.message}, status_code=status_for(exc))
