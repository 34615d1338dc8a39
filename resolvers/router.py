"""The ``/graphql`` endpoint: Strawberry's FastAPI router with key auth on WebSockets."""

from datetime import timedelta
from typing import Any

from strawberry.exceptions import ConnectionRejectionError
from strawberry.fastapi import GraphQLRouter
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_WS_PROTOCOL
from strawberry.types.unset import UnsetType

from gateway.errors import AuthError
from gateway.settings import Settings
from resolvers.context import Context, get_context
from resolvers.schema import GraphQLLimits, build_schema

__all__ = ["graphql_router"]


class _Router(GraphQLRouter[Context, None]):
    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """Take the key from ``connection_init`` (``{"apiKey": ...}``) unless a header gave one."""
        params: Any = context.connection_params
        key = params.get("apiKey") if isinstance(params, dict) else None
        if key is not None or context.principal is None:
            try:
                context.principal = await context.services.keys.authenticate(
                    key if isinstance(key, str) else None
                )
            except AuthError as exc:
                raise ConnectionRejectionError({"error": exc.message}) from None
        return await super().on_ws_connect(context)


def graphql_router(settings: Settings) -> GraphQLRouter[Context, None]:
    limits = GraphQLLimits(
        max_depth=settings.graphql_max_depth,
        max_aliases=settings.graphql_max_aliases,
        max_tokens=settings.graphql_max_tokens,
    )
    return _Router(
        build_schema(limits),
        context_getter=get_context,
        subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_WS_PROTOCOL),
        keep_alive=True,
        keep_alive_interval=settings.ws_keep_alive_seconds,
        connection_init_wait_timeout=timedelta(seconds=settings.ws_connection_init_timeout),
    )
