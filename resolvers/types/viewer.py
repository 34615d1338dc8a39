"""``Viewer``: who the caller is."""

from enum import Enum

import strawberry

from gateway.domain.keys import Scope
from gateway.domain.projects import Principal

__all__ = ["KeyScope", "Viewer"]


@strawberry.enum(description="What an API key may do.")
class KeyScope(Enum):
    READ_WRITE = "read-write"
    READ_ONLY = "read-only"
    CONNECTOR_HEALTH = "connector-health"


@strawberry.type(description="The project and scope of the API key that made the request.")
class Viewer:
    project: str
    scope: KeyScope
    key_prefix: str = strawberry.field(description="The first 8 characters of the key.")

    @classmethod
    def from_domain(cls, principal: Principal) -> "Viewer":
        return cls(
            project=principal.project,
            scope=KeyScope(Scope(principal.scope).value),
            key_prefix=principal.key_prefix,
        )
