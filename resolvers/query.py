"""The root ``Query``."""

import strawberry

from resolvers.context import Context
from resolvers.types.viewer import Viewer

__all__ = ["Query"]


@strawberry.type
class Query:
    @strawberry.field(description="The project and scope of the caller's API key.")
    async def viewer(self, info: strawberry.Info[Context, None]) -> Viewer:
        return Viewer.from_domain(info.context.require_reader())
