"""The schema: ``build_schema(limits)`` per app; ``schema`` (default limits) for export."""

from dataclasses import dataclass

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors, MaxAliasesLimiter, MaxTokensLimiter, QueryDepthLimiter

from gateway.requestid import current_request_id
from resolvers.errors import should_mask_error
from resolvers.mutation import Mutation
from resolvers.query import Query
from resolvers.subscription import Subscription
from resolvers.types.checks import Check
from resolvers.types.pulled import Connector, KafkaCluster, KafkaConnector, Service

__all__ = ["GraphQLLimits", "build_schema", "schema"]


@dataclass(frozen=True)
class GraphQLLimits:
    """Bounds against abusive queries (``HEALTHGATE_GRAPHQL_*`` settings)."""

    max_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 5000


class _MaskErrors(MaskErrors):
    """Masks unexpected errors, keeping a code and the request id to quote in a report."""

    def _process_result(self, result: object) -> None:
        # The base class tests a runtime-checkable Protocol with isinstance, which
        # costs more than the rest of the hook on every event of every subscriber.
        errors = getattr(result, "errors", None)
        if errors:
            result.errors = self._process_errors(errors)  # type: ignore[attr-defined]

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        masked = super().anonymise_error(error)
        masked.extensions = {"code": "INTERNAL", "requestId": current_request_id()}
        return masked


def build_schema(limits: GraphQLLimits) -> strawberry.Schema:
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        types=[Check, Connector, Service, KafkaConnector, KafkaCluster],
        subscription=Subscription,
        extensions=[
            lambda: QueryDepthLimiter(max_depth=limits.max_depth),
            lambda: MaxAliasesLimiter(max_alias_count=limits.max_aliases),
            lambda: MaxTokensLimiter(max_token_count=limits.max_tokens),
            lambda: _MaskErrors(should_mask_error=should_mask_error),
        ],
    )


schema = build_schema(GraphQLLimits())
