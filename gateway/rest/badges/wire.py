"""Headers every badge response carries, as Healthchecks' ``never_cache`` and ``cors("GET")``."""

from fastapi.responses import JSONResponse, Response

__all__ = ["ANY_METHOD", "BADGE_HEADERS", "method_not_allowed", "preflight"]

BADGE_HEADERS = {
    "Cache-Control": "max-age=0, no-cache, no-store, must-revalidate, private",
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Headers": "X-Api-Key",
    "Access-Control-Allow-Methods": "GET, OPTIONS",
    "Access-Control-Max-Age": "600",
}

# Routes take every method so that a wrong one gets a 405 with the CORS headers.
ANY_METHOD = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def preflight() -> Response:
    return Response(status_code=204, headers=BADGE_HEADERS)


def method_not_allowed() -> Response:
    headers = {**BADGE_HEADERS, "Allow": "GET, OPTIONS"}
    return JSONResponse({"error": "method not allowed"}, status_code=405, headers=headers)
