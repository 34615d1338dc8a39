"""Badge routes answer errors as JSON, with the same CORS and no-cache headers as badges."""

from fastapi import Request
from fastapi.responses import JSONResponse, Response

from gateway.errors import HealthgateError
from gateway.rest.badges.wire import BADGE_HEADERS
from gateway.rest.status import status_for

__all__ = ["render_error"]


async def render_error(request: Request, exc: HealthgateError) -> Response:
    return JSONResponse({"error": exc.message}, status_code=status_for(exc), headers=BADGE_HEADERS)
