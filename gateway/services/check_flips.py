"""Recording a check's status change as a flip, queued for notification when it should be."""

from datetime import datetime

from gateway.domain.checks import Check
from gateway.domain.checks.state import notifies
from gateway.domain.status import Flip, SourceKind, SourceRef, Status
from gateway.services.flips import FlipsService

__all__ = ["record_check_flip"]


async def record_check_flip(
    flips: FlipsService,
    check: Check,
    from_status: Status,
    to_status: Status,
    at: datetime,
    reason: str = "",
) -> Flip:
    """Store and publish the flip; changes to down and down to up go to the check's channels."""
    flip = Flip(
        project=check.project,
        source=SourceRef(SourceKind.CHECK, check.uuid),
        name=check.name,
        from_status=from_status,
        to_status=to_status,
        at=at,
        reason=reason,
    )
    channels = list(check.channels) if notifies(from_status, to_status) else None
    return await flips.record(flip, notify_channels=channels)
