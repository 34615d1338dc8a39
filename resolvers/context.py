"""The per-request GraphQL context: the services and the caller's key."""

from typing import Any

from fastapi import HTTPException
from starlette.requests import HTTPConnection
from strawberry.fastapi import BaseContext

from gateway.auth import api_key_from_headers
from gateway.domain.projects import Principal
from gateway.errors import AuthError, ForbiddenError
from gateway.services import Services
from resolvers.loaders import Loaders

__all__ = ["Context", "get_context"]


class Context(BaseContext):
    def __init__(self, services: Services, principal: Principal | None) -> None:
        super().__init__()
        self.services = services
        self.principal = principal
        self.loaders = Loaders(services)
        self.connection_params: dict[str, Any] | None = None

    def require_reader(self) -> Principal:
        """The caller, who must hold a key that may read."""
        if self.principal is None:
            raise AuthError("missing api key")
        if not self.principal.can_read:
            raise ForbiddenError(f"a {self.principal.scope} key cannot use the GraphQL API")
        return self.principal


def _wants_graphiql(connection: HTTPConnection) -> bool:
    return connection.scope["type"] == "http" and "text/html" in connection.headers.get(
        "accept", ""
    )


async def get_context(connection: HTTPConnection) -> Context:
    """Authenticate HTTP requests here; WebSockets authenticate in ``connection_init``.

    A request without a usable key gets 401 JSON before any GraphQL runs, except
    the GraphiQL page itself, which a browser loads without headers.
    """
    services: Services = connection.state.services
    key = api_key_from_headers(connection.headers)
    if connection.scope["type"] == "websocket" or (key is None and _wants_graphiql(connection)):
        principal = await services.keys.authenticate(key) if key else None
        return Context(services, principal)
    try:
        principal = await services.keys.authenticate(key)
    except AuthError as exc:
        raise HTTPException(status_code=401, detail=exc.message) from None
    return Context(services, principal)
