"""Badge routes: two sub-apps, mounted at ``/badge`` (tag badges) and ``/b`` (per-check)."""

from fastapi import FastAPI, Request
from fastapi.responses import Response

from gateway.rest.badges.errors import render_error
from gateway.rest.badges.wire import ANY_METHOD, BADGE_HEADERS, method_not_allowed, preflight
from gateway.rest.common import ServicesDep, vendor_app
from gateway.services.badges import ALL_TAGS, RenderedBadge

__all__ = ["create_check_badge_app", "create_tag_badge_app"]


def _response(badge: RenderedBadge) -> Response:
    return Response(badge.body, media_type=badge.media_type, headers=BADGE_HEADERS)


def create_tag_badge_app() -> FastAPI:
    app = vendor_app(render_error)

    @app.api_route("/{badge_key}/{sig}/{tag}.{fmt}", methods=ANY_METHOD)
    async def tag_badge(
        request: Request, badge_key: str, sig: str, tag: str, fmt: str, services: ServicesDep
    ) -> Response:
        """The badge of the project's checks carrying ``tag``."""
        if request.method == "OPTIONS":
            return preflight()
        if request.method != "GET":
            return method_not_allowed()
        return _response(await services.badges.tag_badge(badge_key, sig, tag, fmt))

    @app.api_route("/{badge_key}/{sig}.{fmt}", methods=ANY_METHOD)
    async def all_badge(
        request: Request, badge_key: str, sig: str, fmt: str, services: ServicesDep
    ) -> Response:
        """The badge of all the project's checks."""
        if request.method == "OPTIONS":
            return preflight()
        if request.method != "GET":
            return method_not_allowed()
        return _response(await services.badges.tag_badge(badge_key, sig, ALL_TAGS, fmt))

    return app


def create_check_badge_app() -> FastAPI:
    app = vendor_app(render_error)

    @app.api_route("/{states:int}/{badge_key}.{fmt}", methods=ANY_METHOD)
    async def check_badge(
        request: Request, states: int, badge_key: str, fmt: str, services: ServicesDep
    ) -> Response:
        """One check's badge; ``states`` 3 can show late, any other number cannot."""
        if request.method == "OPTIONS":
            return preflight()
        if request.method != "GET":
            return method_not_allowed()
        return _response(await services.badges.check_badge(states, badge_key, fmt))

    return app
