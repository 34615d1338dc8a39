"""Service health endpoints: mosparo's body understood, any 2xx/5xx otherwise."""

import json
from dataclasses import dataclass
from datetime import datetime

from gateway.domain.connectors import ProbeResult
from gateway.domain.probes import Fetched, ProbeFailure
from gateway.domain.sources import ServiceSpec
from gateway.domain.status import Status

__all__ = ["ServiceResult", "ServiceSource", "evaluate_service"]


@dataclass(frozen=True)
class ServiceResult:
    """A service's last answer: mosparo's fields plus the normalised status."""

    result: ProbeResult
    healthy: bool | None
    database_status: str | None


@dataclass(frozen=True)
class ServiceSource:
    id: str
    spec: ServiceSpec
    origin: str
    status: Status = Status.UNKNOWN
    error: str | None = None
    healthy: bool | None = None
    database_status: str | None = None
    last_checked: datetime | None = None
    latency_ms: float | None = None
    failures: int = 0


def _mosparo_body(body: bytes) -> dict[str, object] | None:
    """The body when it looks like mosparo's (has ``healthy`` and ``databaseStatus``)."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if isinstance(data, dict) and "healthy" in data and "databaseStatus" in data:
        return data
    return None


def evaluate_service(outcome: Fetched | ProbeFailure) -> ServiceResult:
    """Normalise a service's answer.

    mosparo (notes C.3): ``healthy`` true is up (``connected`` and both value sets
    of skipped tests: ``not-configured`` and ``test-skipped__*``), false is down
    with its ``error``, null (``bypassed``) is unknown. Any other body: 2xx up,
    anything else down. A body that claims JSON but is not is an error.
    """
    if isinstance(outcome, ProbeFailure):
        return ServiceResult(
            ProbeResult(Status.DOWN, outcome.message, outcome.latency_ms), None, None
        )
    latency = outcome.latency_ms
    data = _mosparo_body(outcome.body)
    if data is not None:
        healthy = data.get("healthy")
        db_status = data.get("databaseStatus")
        database = db_status if isinstance(db_status, str) else None
        error = data.get("error")
        if healthy is True and 200 <= outcome.status_code < 300:
            return ServiceResult(ProbeResult(Status.UP, None, latency), True, database)
        if healthy is None:
            reason = "the service bypasses its health check"
            return ServiceResult(ProbeResult(Status.UNKNOWN, reason, latency), None, database)
        message = error if isinstance(error, str) and error else _phrase(outcome)
        return ServiceResult(ProbeResult(Status.DOWN, message, latency), False, database)
    if outcome.body.lstrip()[:1] in (b"{", b"["):
        try:
            json.loads(outcome.body)
        except ValueError:
            return ServiceResult(
                ProbeResult(Status.DOWN, "invalid JSON in the response", latency), None, None
            )
    if 200 <= outcome.status_code < 300:
        return ServiceResult(ProbeResult(Status.UP, None, latency), True, None)
    return ServiceResult(ProbeResult(Status.DOWN, _phrase(outcome), latency), False, None)


def _phrase(outcome: Fetched) -> str:
    return f"HTTP {outcome.status_code} {outcome.reason}".rstrip()
