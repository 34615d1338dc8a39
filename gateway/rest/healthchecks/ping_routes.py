"""The ping API: ``/ping/<uuid>[/start|/fail|/log|/<exit-status>]`` and the slug forms.

Answers are plain text (``OK``, ``Created``, ``not found``, ``invalid url
format``, ``invalid uuid format``, ``ambiguous slug``). ``OK`` is sent only
after the ping is stored; a store outage answers 503.
"""

from collections.abc import Awaitable, Callable
from urllib.parse import parse_qs

from fastapi import Request
from fastapi.responses import PlainTextResponse, Response
from pymongo.errors import PyMongoError
from starlette.routing import Route, Router
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.domain.checks.naming import is_canonical_uuid
from gateway.domain.netaddr import client_address
from gateway.errors import HealthgateError, NotFoundError, StoreUnavailableError
from gateway.rest.healthchecks.errors import ping_error
from gateway.services import Services
from gateway.services.pings import PingRequest

__all__ = ["PingFastPath", "create_ping_app"]

_ACTIONS = ("start", "fail", "log")
_ANY_METHOD = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
_NO_CACHE = "max-age=0, no-cache, no-store, must-revalidate, private"


async def _read_body(request: Request, limit: int) -> bytes:
    """At most ``limit`` bytes of the body; the rest is read and dropped."""
    kept = bytearray()
    async for chunk in request.stream():
        if len(kept) < limit:
            kept += chunk[: limit - len(kept)]
    return bytes(kept)


async def _parse(request: Request, services: Services, action: str) -> PingRequest:
    settings = services.settings
    exit_status = int(action) if action.isdigit() else None
    peer = request.client.host if request.client else None
    headers = request.headers
    return PingRequest(
        method=request.method,
        body=await _read_body(request, settings.ping_body_limit),
        action="" if exit_status is not None else action,
        exit_status=exit_status,
        rid=request.query_params.get("rid"),
        remote_addr=client_address(
            peer, headers.getlist("x-forwarded-for"), services.pings.proxies
        ),
        scheme=headers.get("x-forwarded-proto", "http"),
        ua=headers.get("user-agent", ""),
    )


Target = Callable[[Services, PingRequest], Awaitable[bool]]


async def _answer(request: Request, action: str, target: Target) -> Response:
    services: Services = request.state.services
    try:
        created = await target(services, await _parse(request, services, action))
        response = PlainTextResponse(
            "Created" if created else "OK", status_code=201 if created else 200
        )
    except HealthgateError as exc:
        response = ping_error(exc)
    except (PyMongoError, TimeoutError):
        response = ping_error(StoreUnavailableError("the database is unavailable"))
    response.raw_headers.extend(_ping_headers(services.settings.ping_body_limit))
    return response


def _by_uuid(code: str) -> Target:
    async def target(services: Services, ping: PingRequest) -> bool:
        await services.pings.ping_uuid(code, ping)
        return False

    return target


def _by_slug(request: Request, ping_key: str, slug: str) -> Target:
    create = request.query_params.get("create") == "1"

    async def target(services: Services, ping: PingRequest) -> bool:
        return await services.pings.ping_slug(ping_key, slug, ping, create=create)

    return target


def _not_found() -> Target:
    async def target(services: Services, ping: PingRequest) -> bool:
        raise NotFoundError("not found")

    return target


def _is_action(text: str) -> bool:
    return text in _ACTIONS or text.isdigit()


async def ping_one(request: Request) -> Response:
    """``/ping/<uuid>`` (also with a trailing slash)."""
    code = request.path_params["code"]
    return await _answer(request, "", _by_uuid(code) if is_canonical_uuid(code) else _not_found())


async def ping_two(request: Request) -> Response:
    """``/ping/<uuid>/<action>`` or ``/ping/<ping-key>/<slug>``."""
    code, second = request.path_params["code"], request.path_params["second"]
    if is_canonical_uuid(code) and _is_action(second):
        return await _answer(request, second, _by_uuid(code))
    return await _answer(request, "", _by_slug(request, code, second))


async def ping_three(request: Request) -> Response:
    """``/ping/<ping-key>/<slug>/<action>``."""
    params = request.path_params
    if not _is_action(params["action"]):
        return await _answer(request, "", _not_found())
    return await _answer(
        request, params["action"], _by_slug(request, params["code"], params["slug"])
    )


def create_ping_app() -> Router:
    """The ping routes (mounted at ``/ping``).

    A bare router, without a sub-app's middleware: every ping passes here, and
    each endpoint renders its own errors as plain text. Healthchecks does not
    redirect ping paths (``/ping/<uuid>/fail/`` is a 404).
    """
    return Router(
        routes=[
            Route("/{code}", ping_one, methods=_ANY_METHOD),
            Route("/{code}/", ping_one, methods=_ANY_METHOD),
            Route("/{code}/{second}", ping_two, methods=_ANY_METHOD),
            Route("/{code}/{slug}/{action}", ping_three, methods=_ANY_METHOD),
        ],
        redirect_slashes=False,
        default=_unknown_path,
    )


async def _unknown_path(scope: Scope, receive: Receive, send: Send) -> None:
    await PlainTextResponse("not found", status_code=404)(scope, receive, send)


class PingFastPath:
    """ASGI middleware that answers ``/ping/...`` before the application does.

    Pings are the hot path. ``/ping/<uuid>[/<action>]`` is handled here on raw
    ASGI messages, with no Request, Response or route table; the slug forms go
    to the ping router. Every error is rendered as the endpoints render it, so
    nothing is lost. Other paths pass through.

    Usage: ``app.add_middleware(PingFastPath)``
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.router = create_ping_app()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/ping/"):
            await self.app(scope, receive, send)
            return
        parts = scope["path"][len("/ping/") :].split("/")
        if len(parts) <= 2 and is_canonical_uuid(parts[0]):
            action = parts[1] if len(parts) == 2 else ""
            if action == "" or _is_action(action):
                await _ping_by_uuid(scope, receive, send, parts[0], action)
                return
        child = dict(scope)
        child["root_path"] = scope.get("root_path", "") + "/ping"
        await self.router(child, receive, send)


async def _ping_by_uuid(scope: Scope, receive: Receive, send: Send, code: str, action: str) -> None:
    services: Services = scope["state"]["services"]
    limit = services.settings.ping_body_limit
    forwarded: list[str] = []
    scheme, ua = "http", ""
    for name, value in scope["headers"]:
        if name == b"x-forwarded-for":
            forwarded.append(value.decode("latin-1"))
        elif name == b"x-forwarded-proto":
            scheme = value.decode("latin-1")
        elif name == b"user-agent":
            ua = value.decode("latin-1")
    kept = bytearray()
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            return
        if len(kept) < limit:
            kept += message.get("body", b"")[: limit - len(kept)]
        more = message.get("more_body", False)
    query = scope.get("query_string", b"")
    rid = parse_qs(query.decode("latin-1")).get("rid", [None])[0] if b"rid=" in query else None
    client = scope.get("client")
    exit_status = int(action) if action.isdigit() else None
    ping = PingRequest(
        method=scope["method"],
        body=bytes(kept),
        action="" if exit_status is not None else action,
        exit_status=exit_status,
        rid=rid,
        remote_addr=client_address(
            client[0] if client else None, forwarded, services.pings.proxies
        ),
        scheme=scheme,
        ua=ua,
    )
    try:
        await services.pings.ping_uuid(code, ping)
    except HealthgateError as exc:
        failed = ping_error(exc)
    except (PyMongoError, TimeoutError):
        failed = ping_error(StoreUnavailableError("the database is unavailable"))
    else:
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", b"2"),
                    *_ping_headers(limit),
                ],
            }
        )
        await send({"type": "http.response.body", "body": b"OK"})
        return
    failed.raw_headers.extend(_ping_headers(limit))
    await failed(scope, _drained, send)


def _ping_headers(limit: int) -> list[tuple[bytes, bytes]]:
    return [
        (b"access-control-allow-origin", b"*"),
        (b"cache-control", _NO_CACHE.encode()),
        (b"ping-body-limit", str(limit).encode()),
    ]


async def _drained() -> Message:
    """The request body was read already: what a response may still ``receive``."""
    return {"type": "http.disconnect"}
