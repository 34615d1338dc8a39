"""Projects (the tenant boundary) and the API keys that belong to them."""

from dataclasses import dataclass
from datetime import datetime

from gateway.domain.keys import Scope

__all__ = ["ApiKey", "Principal", "Project"]


@dataclass(frozen=True)
class Project:
    name: str
    created_at: datetime
    ping_key: str  # the <ping-key> in /ping/<ping-key>/<slug>
    badge_key: str  # the project's part of badge URLs


@dataclass(frozen=True)
class ApiKey:
    """A stored key: only its hash and a displayable prefix, never the key."""

    id: str
    project: str
    scope: Scope
    key_hash: str
    prefix: str
    label: str
    created_at: datetime
    revoked_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True)
class Principal:
    """Who is calling: the project and scope of the key that authenticated the request."""

    project: str
    scope: Scope
    key_id: str
    key_prefix: str

    @property
    def can_write(self) -> bool:
        return self.scope is Scope.READ_WRITE

    @property
    def can_read(self) -> bool:
        return self.scope in (Scope.READ_WRITE, Scope.READ_ONLY)
