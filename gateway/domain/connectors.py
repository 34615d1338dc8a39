"""ProGet-style connectors: a URL whose answer is healthy or an error."""

import enum
from dataclasses import dataclass
from datetime import datetime

from gateway.domain.probes import Fetched, ProbeFailure
from gateway.domain.sources import ConnectorSpec
from gateway.domain.status import Status

__all__ = ["Connector", "ConnectorState", "ProbeResult", "evaluate_connector"]


class ConnectorState(enum.StrEnum):
    """ProGet's three states (its docs' ``unhealthy`` is a typo for ``error``)."""

    HEALTHY = "healthy"
    ERROR = "error"
    UNKNOWN = "unknown"


_STATE_OF = {Status.UP: ConnectorState.HEALTHY, Status.UNKNOWN: ConnectorState.UNKNOWN}


@dataclass(frozen=True)
class ProbeResult:
    """What one probe found, normalised; ``error`` is set unless ``status`` is UP."""

    status: Status
    error: str | None
    latency_ms: float | None


@dataclass(frozen=True)
class Connector:
    """A stored connector: its spec, its stable integer id and its last result."""

    id: int
    spec: ConnectorSpec
    origin: str
    status: Status = Status.UNKNOWN
    error: str | None = None
    last_checked: datetime | None = None
    latency_ms: float | None = None
    failures: int = 0

    @property
    def state(self) -> ConnectorState:
        return _STATE_OF.get(self.status, ConnectorState.ERROR)


def evaluate_connector(spec: ConnectorSpec, outcome: Fetched | ProbeFailure) -> ProbeResult:
    """Healthy when the status is in ``expect_status`` and the body has ``expect_keyword``."""
    if isinstance(outcome, ProbeFailure):
        return ProbeResult(Status.DOWN, outcome.message, outcome.latency_ms)
    low, high = spec.expect_status
    if not low <= outcome.status_code <= high:
        phrase = f"HTTP {outcome.status_code} {outcome.reason}".rstrip()
        return ProbeResult(Status.DOWN, phrase, outcome.latency_ms)
    if spec.expect_keyword is not None:
        text = outcome.body.decode("utf-8", errors="replace")
        if spec.expect_keyword not in text:
            message = f"keyword {spec.expect_keyword!r} not found in the response"
            return ProbeResult(Status.DOWN, message, outcome.latency_ms)
    return ProbeResult(Status.UP, None, outcome.latency_ms)
