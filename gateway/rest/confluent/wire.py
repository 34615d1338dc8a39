"""Confluent's connector status body, field names as its OpenAPI definition has them."""

from typing import TypedDict

from gateway.domain.kafka import KafkaConnector, confluent_task_state

__all__ = ["ConnectorStatusOut", "ErrorOut", "error_out", "status_out"]


class ConnectorOut(TypedDict):
    state: str
    worker_id: str
    trace: str


class TaskOut(TypedDict):
    id: int
    state: str
    worker_id: str
    msg: str


class ConnectorStatusOut(TypedDict):
    name: str
    type: str
    connector: ConnectorOut
    tasks: list[TaskOut]


class ErrorBody(TypedDict):
    code: int
    message: str


class ErrorOut(TypedDict):
    error: ErrorBody


def status_out(connector: KafkaConnector) -> ConnectorStatusOut:
    # `type` is "sink" or "source" in the documented enum; self-managed clusters
    # may say "unknown", which the enum has no place for.
    kind = connector.type if connector.type in ("sink", "source") else "source"
    return {
        "name": connector.name,
        "type": kind,
        "connector": {
            "state": connector.confluent_state,
            "worker_id": connector.worker_id,
            "trace": connector.trace,
        },
        "tasks": [
            {
                "id": task.id,
                "state": confluent_task_state(task.state),
                "worker_id": task.worker_id,
                "msg": task.msg,
            }
            for task in connector.tasks
        ],
    }


def error_out(code: int, message: str) -> ErrorOut:
    return {"error": {"code": code, "message": message}}
