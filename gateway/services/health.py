"""The gateway's own health, reported the way mosparo reports its health."""

import asyncio
import enum
from dataclasses import dataclass

from storage import Store

__all__ = ["DatabaseStatus", "HealthReport", "HealthService"]


class DatabaseStatus(enum.StrEnum):
    CONNECTED = "connected"
    CONNECTION_FAILED = "connection-failed"
    NOT_CONFIGURED = "not-configured"


@dataclass(frozen=True)
class HealthReport:
    healthy: bool
    database_status: DatabaseStatus
    error: str | None


class HealthService:
    def __init__(self, store: Store, timeout: float) -> None:
        self._store = store
        self._timeout = timeout

    async def check(self) -> HealthReport:
        """Ping the database within the configured bound (at most 2 s); never hangs."""
        try:
            async with asyncio.timeout(self._timeout):
                await self._store.ping()
        except TimeoutError:
            return HealthReport(
                False,
                DatabaseStatus.CONNECTION_FAILED,
                f"the database did not answer within {self._timeout:g} s",
            )
        except Exception as exc:  # any driver error means the same thing here
            return HealthReport(False, DatabaseStatus.CONNECTION_FAILED, _short(exc))
        return HealthReport(True, DatabaseStatus.CONNECTED, None)


def _short(exc: Exception) -> str:
    text = str(exc).split(", Timeout:")[0].strip() or type(exc).__name__
    return text[:300]
