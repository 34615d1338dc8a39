"""``GET /api/v{1,2,3}/badges/``: the project's badge URLs, as Healthchecks lists them.

Routes on the main app, included before any ``/api/vN`` mount: a route that
matches every method is a full match, so it wins over a later mount of the same
prefix, and a wrong method still gets this route's 405 with CORS headers.
"""

from typing import TypedDict

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from gateway.errors import AuthError
from gateway.rest.common import ServicesDep
from gateway.services.badges import BadgeUrls

__all__ = ["badges_router"]

_CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Headers": "X-Api-Key",
    "Access-Control-Allow-Methods": "GET, OPTIONS",
    "Access-Control-Max-Age": "600",
}
_ANY_METHOD = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


class BadgesOut(TypedDict):
    badges: dict[str, BadgeUrls]


def badges_router() -> APIRouter:
    router = APIRouter()

    async def list_badges(request: Request, services: ServicesDep) -> Response:
        """Every tag of the project plus ``*``, each with six badge URLs."""
        if request.method == "OPTIONS":
            return Response(status_code=204, headers=_CORS)
        if request.method != "GET":
            headers = {**_CORS, "Allow": "GET, OPTIONS"}
            return JSONResponse({"error": "method not allowed"}, status_code=405, headers=headers)
        # GET reads the key from the X-Api-Key header only, as Healthchecks does.
        key = request.headers.get("x-api-key") or None
        try:
            principal = await services.keys.authenticate(key)
            if not principal.can_read:
                raise AuthError("wrong api key")
        except AuthError as exc:
            return JSONResponse({"error": exc.message}, status_code=401, headers=_CORS)
        body: BadgesOut = {"badges": await services.badges.badge_urls(principal.project)}
        return JSONResponse(body, headers=_CORS)

    for version in (1, 2, 3):
        router.add_api_route(
            f"/api/v{version}/badges/",
            list_badges,
            methods=_ANY_METHOD,
            name=f"badges_v{version}",
            include_in_schema=version == 3,
        )
    return router
