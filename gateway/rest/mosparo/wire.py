"""The mosparo health body, field names as documented."""

from typing import TypedDict

from gateway.services.health import HealthReport

__all__ = ["HealthOut", "health_out"]

SERVICE_NAME = "healthgate"


class HealthOut(TypedDict):
    service: str
    healthy: bool
    databaseStatus: str
    error: str | None


def health_out(report: HealthReport) -> HealthOut:
    return {
        "service": SERVICE_NAME,
        "healthy": report.healthy,
        "databaseStatus": report.database_status.value,
        "error": report.error,
    }
