"""Kafka connectors: reading a Connect cluster's states and mapping them, in one place.

Self-managed Kafka Connect and Confluent Cloud use different state sets (notes
C.1). Both are mapped here onto Confluent's documented connector enum (what the
status route serves) and onto the normalised ``Status``.
"""

import json
from dataclasses import dataclass
from datetime import datetime

from gateway.domain.sources import KafkaClusterSpec
from gateway.domain.status import Status

__all__ = [
    "KafkaCluster",
    "KafkaConnector",
    "KafkaTask",
    "confluent_task_state",
    "connector_state",
    "parse_connectors",
]

# vendor connector state -> (Confluent connector state, normalised status)
_CONNECTOR_STATES: dict[str, tuple[str, Status]] = {
    # self-managed (AbstractStatus.State)
    "RUNNING": ("RUNNING", Status.UP),
    "PAUSED": ("PAUSED", Status.PAUSED),
    "STOPPED": ("PAUSED", Status.PAUSED),
    "FAILED": ("FAILED", Status.DOWN),
    "UNASSIGNED": ("DEGRADED", Status.DEGRADED),
    "RESTARTING": ("DEGRADED", Status.DEGRADED),
    # Confluent Cloud only
    "NONE": ("NONE", Status.UNKNOWN),
    "PROVISIONING": ("PROVISIONING", Status.UNKNOWN),
    "DEGRADED": ("DEGRADED", Status.DEGRADED),
    "DELETED": ("DELETED", Status.UNKNOWN),
}
_FAILED_TASK_STATES = {"FAILED", "SYSTEM_ERROR", "USER_ACTIONABLE_ERROR"}
# self-managed task state -> Confluent task state; Cloud's own states pass through.
_TASK_STATES = {"PAUSED": "STOPPED", "FAILED": "SYSTEM_ERROR"}


@dataclass(frozen=True)
class KafkaTask:
    id: int
    state: str  # as the cluster reported it
    worker_id: str
    msg: str


@dataclass(frozen=True)
class KafkaConnector:
    """A connector as last read from its cluster."""

    cluster: str  # the KafkaCluster's id
    project: str
    name: str
    type: str
    state: str  # as the cluster reported it
    worker_id: str
    trace: str
    tasks: tuple[KafkaTask, ...]
    status: Status = Status.UNKNOWN
    confluent_state: str = "NONE"
    last_checked: datetime | None = None

    @property
    def id(self) -> str:
        return f"{self.cluster}/{self.name}"


@dataclass(frozen=True)
class KafkaCluster:
    id: str
    spec: KafkaClusterSpec
    origin: str
    error: str | None = None
    last_checked: datetime | None = None
    latency_ms: float | None = None
    failures: int = 0


def connector_state(state: str, task_states: list[str]) -> tuple[str, Status]:
    """(Confluent state, normalised status) of a connector and its tasks.

    A running connector whose tasks all failed is FAILED; with some failed tasks
    it is DEGRADED (Confluent's definition). Unknown states are NONE/UNKNOWN.
    """
    confluent, status = _CONNECTOR_STATES.get(state.upper(), ("NONE", Status.UNKNOWN))
    failed = sum(1 for task in task_states if task.upper() in _FAILED_TASK_STATES)
    if confluent == "RUNNING" and failed:
        if failed == len(task_states):
            return "FAILED", Status.DOWN
        return "DEGRADED", Status.DEGRADED
    return confluent, status


def confluent_task_state(state: str) -> str:
    upper = state.upper()
    return _TASK_STATES.get(upper, upper)


def _task_id(value: object, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def parse_connectors(cluster: KafkaCluster, body: bytes, now: datetime) -> list[KafkaConnector]:
    """Connectors from ``GET .../connectors?expand=status`` (both flavours: a map of
    name to ``{"status": {...}}``).

    Raises:
        ValueError: the body is not JSON of that shape (the message says why, briefly).
    """
    try:
        data = json.loads(body)
    except ValueError:
        raise ValueError("invalid JSON in the response") from None
    if not isinstance(data, dict):
        raise ValueError("unexpected response: not a map of connectors")
    found: list[KafkaConnector] = []
    for name, entry in sorted(data.items()):
        status = entry.get("status") if isinstance(entry, dict) else None
        if not isinstance(status, dict) or not isinstance(status.get("connector"), dict):
            raise ValueError(f"unexpected response: no status for connector {name!r}")
        head = status["connector"]
        tasks = tuple(
            KafkaTask(
                id=_task_id(task.get("id"), index),
                state=_text(task.get("state")) or "UNASSIGNED",
                worker_id=_text(task.get("worker_id")),
                msg=_text(task.get("msg")) or _text(task.get("trace")),
            )
            for index, task in enumerate(status.get("tasks") or [])
            if isinstance(task, dict)
        )
        state = _text(head.get("state")) or "NONE"
        confluent, normalised = connector_state(state, [task.state for task in tasks])
        found.append(
            KafkaConnector(
                cluster=cluster.id,
                project=cluster.spec.project,
                name=str(name),
                type=_text(status.get("type")) or "unknown",
                state=state,
                worker_id=_text(head.get("worker_id")),
                trace=_text(head.get("trace")),
                tasks=tasks,
                status=normalised,
                confluent_state=confluent,
                last_checked=now,
            )
        )
    return found
