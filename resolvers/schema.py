"""The schema object; ``healthgate export-schema`` prints it to ``schema.graphql``."""

import strawberry
from strawberry.extensions import MaskErrors

from resolvers.errors import should_mask_error
from resolvers.query import Query
from resolvers.subscription import Subscription

__all__ = ["schema"]

schema = strawberry.Schema(
    query=Query,
    subscription=Subscription,
    extensions=[lambda: MaskErrors(should_mask_error=should_mask_error)],
)
