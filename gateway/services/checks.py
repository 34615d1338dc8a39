"""Checks of the Healthchecks Management API: create, update, read, pause, resume, delete.

Every change is compare-and-set: read the check, compute the new state with the
pure status engine, store it only if it is unchanged since the read, else retry.
"""

import dataclasses
import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from gateway.domain.channels import Channel
from gateway.domain.checks import Check
from gateway.domain.checks.naming import is_canonical_uuid
from gateway.domain.checks.spec import apply_spec, matches, parse_spec, unique_lookup
from gateway.domain.checks.state import display_status, pause, resume
from gateway.domain.clock import Clock
from gateway.domain.status import Flip, SourceKind, SourceRef, Status
from gateway.errors import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    LimitExceededError,
    NotFoundError,
)
from gateway.services.check_flips import record_check_flip
from gateway.services.flips import FlipsService
from gateway.services.ports import BadgeCheck
from gateway.settings import Settings
from storage import Store

__all__ = ["ChecksService", "FlipsQuery"]

_INTEGER = re.compile(r"^-?\d+$")
_MAX_TIMESTAMP = 10_000_000_000
_MAX_SECONDS = 31_536_000


@dataclasses.dataclass(frozen=True)
class FlipsQuery:
    """Validated ``seconds``/``start``/``end`` of a flips request."""

    since: datetime | None = None
    until: datetime | None = None


class ChecksService:
    """The Management API's use cases; also the badges' view of checks (``BadgeChecks``).

    Usage: ``check, created = await services.checks.create("alpha", {"name": "x"}, version=3)``
    """

    def __init__(self, store: Store, flips: FlipsService, settings: Settings, clock: Clock) -> None:
        self._store = store
        self._flips = flips
        self._settings = settings
        self._clock = clock

    # --- reading --------------------------------------------------------------------

    async def get(self, project: str, check_uuid: str) -> Check:
        """The project's check.

        Raises:
            NotFoundError: no such check (or a malformed uuid).
            ForbiddenError: the check belongs to another project.
        """
        check = await self._store.checks.get(check_uuid) if is_canonical_uuid(check_uuid) else None
        if check is None:
            raise NotFoundError("not found")
        if check.project != project:
            raise ForbiddenError("access denied, the check belongs to another project")
        return check

    async def get_by_unique_key(self, project: str, key: str) -> Check:
        """The project's check with this unique_key; another project's is simply not found."""
        check = await self._store.checks.get_by_unique_key(key)
        if check is None or check.project != project:
            raise NotFoundError("not found")
        return check

    async def find(self, project: str, *, tags: list[str], slug: str | None) -> list[Check]:
        """The project's checks carrying every tag in ``tags`` (whole tags), and ``slug``."""
        found = await self._store.checks.find(project, slug=slug)
        return [check for check in found if all(tag in check.tag_list for tag in tags)]

    async def channels(self, project: str) -> list[Channel]:
        return await self._store.channels.find_all(project)

    # --- writing --------------------------------------------------------------------

    async def create(
        self, project: str, body: dict[str, object], *, version: int
    ) -> tuple[Check, bool]:
        """Create a check, or update the one ``unique`` names; returns it and whether it is new.

        Raises:
            SpecError, InvalidInputError: a field or the channel list is invalid.
            LimitExceededError: the project has ``check_limit`` checks already.
        """
        spec = parse_spec(body)
        lookup = unique_lookup(spec)
        if lookup is not None:
            for existing in await self._store.checks.find(project):
                if matches(existing, lookup):
                    return await self.update(project, existing.uuid, body, version=version), False
        if await self._store.checks.count(project) >= self._settings.check_limit:
            raise LimitExceededError("the project has reached its check limit")
        channels = await self._channels_for(project, spec.get("channels"))
        fresh = Check(
            uuid=str(uuid.uuid4()),
            project=project,
            badge_key=str(uuid.uuid4()),
            created=self._clock(),
        )
        check = apply_spec(fresh, spec, version=version, channels=channels)
        await self._store.checks.insert(check)
        return check, True

    async def update(
        self, project: str, check_uuid: str, body: dict[str, object], *, version: int
    ) -> Check:
        """Write the fields given in ``body`` and recompute the deadline."""
        spec = parse_spec(body)
        await self.get(project, check_uuid)
        channels = await self._channels_for(project, spec.get("channels"))

        def edit(check: Check) -> Check:
            return apply_spec(check, spec, version=version, channels=channels)

        return (await self._change(project, check_uuid, edit))[1]

    async def pause(self, project: str, check_uuid: str) -> Check:
        """Paused; pausing a paused check changes nothing and records no flip."""
        before, after = await self._change(project, check_uuid, pause)
        if before.status is not Status.PAUSED:
            await record_check_flip(self._flips, after, before.status, Status.PAUSED, self._clock())
        return after

    async def resume(self, project: str, check_uuid: str) -> Check:
        """Back to new.

        Raises:
            ConflictError: the check is not paused.
        """

        def edit(check: Check) -> Check:
            if check.status is not Status.PAUSED:
                raise ConflictError("check is not paused")
            return resume(check)

        before, after = await self._change(project, check_uuid, edit)
        await record_check_flip(self._flips, after, before.status, Status.NEW, self._clock())
        return after

    async def delete(self, project: str, check_uuid: str) -> Check:
        """Delete the check and its pings; returns the check as it was."""
        await self.get(project, check_uuid)
        deleted = await self._store.checks.delete(check_uuid)
        if deleted is None:
            raise NotFoundError("not found")
        await self._store.pings.delete_for_check(check_uuid)
        return deleted

    async def _change(
        self, project: str, check_uuid: str, edit: Callable[[Check], Check]
    ) -> tuple[Check, Check]:
        """Apply ``edit`` until it lands on an unchanged check; (before, after)."""
        while True:
            before = await self.get(project, check_uuid)
            stored = await self._store.checks.compare_and_set(edit(before))
            if stored is not None:
                return before, stored

    async def _channels_for(self, project: str, text: str | None) -> tuple[str, ...] | None:
        """Channel ids for the ``channels`` field: ``*``, ``""`` or ids and names.

        Raises:
            InvalidInputError: an empty, unknown or ambiguous identifier.
        """
        if text is None:
            return None
        channels = await self._store.channels.find_all(project)
        if text == "*":
            return tuple(sorted(channel.id for channel in channels))
        if text == "":
            return ()
        chosen: set[str] = set()
        for token in text.split(","):
            if token == "":
                raise InvalidInputError(None, "empty channel identifier")
            found = [c for c in channels if token in (c.id, c.name)]
            if not found:
                raise InvalidInputError(None, f"invalid channel identifier: {token}")
            if len(found) > 1:
                raise InvalidInputError(None, f"non-unique channel identifier: {token}")
            chosen.add(found[0].id)
        return tuple(sorted(chosen))

    # --- flips ------------------------------------------------------------------------

    def parse_flips_query(self, params: dict[str, str]) -> FlipsQuery:
        """``seconds`` (0..31536000, 0 ignored), ``start`` and ``end`` (0..1e10) as integers.

        Raises:
            InvalidInputError: a value is not an integer or out of range.
        """
        values: dict[str, int] = {}
        for name, high in (
            ("seconds", _MAX_SECONDS),
            ("start", _MAX_TIMESTAMP),
            ("end", _MAX_TIMESTAMP),
        ):
            if name not in params:
                continue
            text = params[name]
            if not _INTEGER.match(text) or not 0 <= int(text) <= high:
                raise InvalidInputError(name, "must be an integer from 0 to " + str(high))
            values[name] = int(text)
        since: datetime | None = None
        if values.get("seconds"):
            since = self._clock() - timedelta(seconds=values["seconds"])
        if "start" in values:
            start = datetime.fromtimestamp(values["start"], tz=UTC)
            since = start if since is None else max(since, start)
        until = None
        if "end" in values:
            until = datetime.fromtimestamp(values["end"], tz=UTC)
        return FlipsQuery(since, until)

    async def flips(self, check: Check, query: FlipsQuery) -> list[Flip]:
        """The check's flips, newest first, within the query's window."""
        return await self._store.flips.for_source(
            SourceRef(SourceKind.CHECK, check.uuid), since=query.since, until=query.until
        )

    # --- BadgeChecks ------------------------------------------------------------------

    def _badge(self, check: Check) -> BadgeCheck:
        shown = display_status(check, self._clock())
        return BadgeCheck(
            project=check.project,
            uuid=check.uuid,
            name=check.name,
            tags=tuple(check.tag_list),
            status=Status(shown),
        )

    async def badge_checks(self, project: str, tag: str | None) -> list[BadgeCheck]:
        checks = await self.find(project, tags=[tag] if tag else [], slug=None)
        return [self._badge(check) for check in checks]

    async def badge_check(self, badge_key: str) -> BadgeCheck | None:
        check = await self._store.checks.get_by_badge_key(badge_key)
        return self._badge(check) if check else None

    async def project_tags(self, project: str) -> list[str]:
        checks = await self._store.checks.find(project)
        return sorted({tag for check in checks for tag in check.tag_list})
