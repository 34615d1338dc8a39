"""ProGet's connector health object, field names as its data-model table has them.

The docs' example spells ``erroMessage`` and ``unhealthy`` and leaves out a null
``errorMessage``; the table wins (notes C.2): ``errorMessage`` is always emitted.
"""

from datetime import UTC
from typing import TypedDict

from gateway.domain.connectors import Connector

__all__ = ["ConnectorHealthOut", "connector_out"]


class ConnectorHealthOut(TypedDict):
    id: int
    name: str
    url: str
    state: str
    errorMessage: str | None
    lastChecked: str | None


def connector_out(connector: Connector) -> ConnectorHealthOut:
    checked = connector.last_checked
    return {
        "id": connector.id,
        "name": connector.spec.name,
        "url": connector.spec.url,
        "state": connector.state.value,
        "errorMessage": connector.error if connector.state.value == "error" else None,
        "lastChecked": (
            checked.astimezone(UTC).isoformat(timespec="milliseconds") if checked else None
        ),
    }
