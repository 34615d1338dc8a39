"""The checks status engine: models, schedules, status at ``now``, pings and specs."""

from gateway.domain.checks.model import Check, CheckKind, Ping, PingKind

__all__ = ["Check", "CheckKind", "Ping", "PingKind"]
