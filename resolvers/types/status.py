"""The normalised ``Status`` and ``SourceKind`` enums, and ``StatusChange`` (a flip)."""

from datetime import datetime
from enum import Enum

import strawberry

from gateway.domain import status as domain
from resolvers.ids import source_global_id

__all__ = ["SourceKind", "Status", "StatusChange"]


@strawberry.enum(description="The normalised status of every source; NEW and GRACE are check-only.")
class Status(Enum):
    UP = "up"
    DOWN = "down"
    DEGRADED = "degraded"
    PAUSED = "paused"
    UNKNOWN = "unknown"
    NEW = "new"
    GRACE = "grace"

    @classmethod
    def from_domain(cls, status: domain.Status) -> "Status":
        return cls(status.value)

    def to_domain(self) -> domain.Status:
        return domain.Status(self.value)


@strawberry.enum(description="The kinds of health source.")
class SourceKind(Enum):
    CHECK = "check"
    CONNECTOR = "connector"
    SERVICE = "service"
    KAFKA_CONNECTOR = "kafka_connector"

    @classmethod
    def from_domain(cls, kind: domain.SourceKind) -> "SourceKind":
        return cls(kind.value)

    def to_domain(self) -> domain.SourceKind:
        return domain.SourceKind(self.value)


@strawberry.type(description="One change of a source's status (a flip).")
class StatusChange:
    source_id: strawberry.ID = strawberry.field(description="The source's global id.")
    kind: SourceKind
    name: str
    project: str
    from_: Status = strawberry.field(name="from")
    to: Status
    at: datetime = strawberry.field(
        description="When the change happened (a missed deadline, not when it was noticed)."
    )
    reason: str

    @classmethod
    def from_domain(cls, flip: domain.Flip) -> "StatusChange":
        return cls(
            source_id=strawberry.ID(source_global_id(flip.source)),
            kind=SourceKind.from_domain(flip.source.kind),
            name=flip.name,
            project=flip.project,
            from_=Status.from_domain(flip.from_status),
            to=Status.from_domain(flip.to_status),
            at=flip.at,
            reason=flip.reason,
        )
