"""What every mounted sub-app shares: JSON 404/405, store outages as 503, the services."""

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from pymongo.errors import PyMongoError
from starlette.exceptions import HTTPException as StarletteHTTPException

from gateway.errors import HealthgateError, StoreUnavailableError
from gateway.services import Services

__all__ = ["ServicesDep", "install_json_errors", "vendor_app"]

ErrorRenderer = Callable[[Request, HealthgateError], Awaitable[Response]]

_REASONS = {404: "not found", 405: "method not allowed"}


def _services(request: Request) -> Services:
    services: Services = request.state.services
    return services


ServicesDep = Annotated[Services, Depends(_services)]


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else None
    if detail is None or detail in ("Not Found", "Method Not Allowed"):
        detail = _REASONS.get(exc.status_code, detail or "error")
    return JSONResponse({"error": detail}, status_code=exc.status_code, headers=exc.headers)


async def _default_renderer(request: Request, exc: HealthgateError) -> Response:
    from gateway.rest.status import status_for

    return JSONResponse({"error": exc.message}, status_code=status_for(exc))


def install_json_errors(app: FastAPI, renderer: ErrorRenderer = _default_renderer) -> None:
    """Unknown routes and methods answer JSON; the error tree goes through ``renderer``."""

    async def on_healthgate_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HealthgateError)
        return await renderer(request, exc)

    async def on_store_error(request: Request, exc: Exception) -> Response:
        return await renderer(request, StoreUnavailableError("the database is unavailable"))

    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(HealthgateError, on_healthgate_error)
    app.add_exception_handler(PyMongoError, on_store_error)
    app.add_exception_handler(TimeoutError, on_store_error)


def vendor_app(renderer: ErrorRenderer | None = None) -> FastAPI:
    """A sub-app for one vendor's routes, with that vendor's error envelope."""
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    install_json_errors(app, renderer or _default_renderer)
    return app
