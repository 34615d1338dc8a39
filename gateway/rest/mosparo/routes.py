"""``GET /api/v1/health/check``: open, but only to callers on the allow list."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from gateway.domain.netaddr import client_address
from gateway.rest.common import ServicesDep, vendor_app
from gateway.rest.mosparo.errors import render_error
from gateway.rest.mosparo.wire import health_out

__all__ = ["create_mosparo_app"]


def create_mosparo_app() -> FastAPI:
    app = vendor_app(render_error)

    @app.get("/check")
    async def health_check(request: Request, services: ServicesDep) -> JSONResponse:
        """The gateway's health: 200 when the database answers, 500 when it does not."""
        settings = services.settings
        peer = request.client.host if request.client else None
        caller = client_address(peer, request.headers.getlist("x-forwarded-for"), settings.proxies)
        if not settings.allow_list.allows(caller):
            # mosparo's route does not match for such callers, so they get a 404.
            return JSONResponse({"error": "not found"}, status_code=404)
        report = await services.health.check()
        return JSONResponse(health_out(report), status_code=200 if report.healthy else 500)

    return app
