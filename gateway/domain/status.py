"""The one normalised status of every source, and flips: its changes."""

import enum
from dataclasses import dataclass, field
from datetime import datetime

__all__ = ["Flip", "SourceKind", "SourceRef", "Status"]


class Status(enum.StrEnum):
    """Normalised status. ``NEW`` and ``GRACE`` occur only for checks."""

    UP = "up"
    DOWN = "down"
    DEGRADED = "degraded"
    PAUSED = "paused"
    UNKNOWN = "unknown"
    NEW = "new"
    GRACE = "grace"


class SourceKind(enum.StrEnum):
    CHECK = "check"
    CONNECTOR = "connector"
    SERVICE = "service"
    KAFKA_CONNECTOR = "kafka_connector"


@dataclass(frozen=True)
class SourceRef:
    """Which source: its kind and its id within that kind (a check's uuid, a connector's id)."""

    kind: SourceKind
    id: str


@dataclass(frozen=True)
class Flip:
    """One change of a source's status.

    ``at`` is when the change happened in theory (a check that went down at its
    deadline gets the deadline, not the moment the sweeper noticed).
    """

    project: str
    source: SourceRef
    name: str
    from_status: Status
    to_status: Status
    at: datetime
    reason: str = ""
    id: str | None = field(default=None, compare=False)
