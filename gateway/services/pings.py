"""Ping ingestion (``/ping/...``) and the pings API: list and bodies."""

import uuid
from dataclasses import dataclass

from gateway.domain.checks import Check, Ping
from gateway.domain.checks.pings import classify, durations, parse_rid
from gateway.domain.checks.state import apply_ping
from gateway.domain.clock import Clock
from gateway.errors import ConflictError, InvalidInputError, NotFoundError
from gateway.services.check_flips import record_check_flip
from gateway.services.flips import FlipsService
from gateway.services.ping_writer import PingWriter
from gateway.settings import Settings
from storage import Store

__all__ = ["PingEvent", "PingRequest", "PingsService"]

_MAX_UA = 200
_MAX_LISTED = 1000
_TRIM_EVERY = 100


@dataclass(frozen=True)
class PingRequest:
    """One HTTP ping as the edge parsed it.

    ``action`` is "", "start", "fail" or "log"; ``exit_status`` the number in
    ``/ping/<uuid>/<n>``; ``rid`` the raw ``?rid=`` value.
    """

    method: str
    body: bytes = b""
    action: str = ""
    exit_status: int | None = None
    rid: str | None = None
    remote_addr: str | None = None
    scheme: str = "http"
    ua: str = ""


@dataclass(frozen=True)
class PingEvent:
    """A stored ping, published for ``pinged`` subscribers (in-process only)."""

    check: Check
    ping: Ping


class PingsService:
    def __init__(self, store: Store, flips: FlipsService, settings: Settings, clock: Clock) -> None:
        self._store = store
        self._flips = flips
        self._settings = settings
        self._clock = clock
        self._writer = PingWriter(store.pings)
        # Parsed once: the ping path runs for every request.
        self.proxies = settings.proxies

    @property
    def body_limit(self) -> int:
        return self._settings.ping_body_limit

    async def ping_uuid(self, check_uuid: str, request: PingRequest) -> None:
        """A ping to ``/ping/<uuid>``.

        Raises:
            NotFoundError: "not found".
            InvalidInputError: "invalid url format" (exit status) or "invalid uuid format" (rid).
        """
        check = await self._store.checks.get(check_uuid)
        if check is None:
            raise NotFoundError("not found")
        await self._ping(check, request)

    async def ping_slug(
        self, ping_key: str, slug: str, request: PingRequest, *, create: bool
    ) -> bool:
        """A ping to ``/ping/<ping-key>/<slug>``; returns whether the check was created.

        Raises:
            InvalidInputError: "invalid url format" for an upper-case slug.
            ConflictError: "ambiguous slug" when several checks have the slug.
            NotFoundError: "not found" (no such check, unless ``create``; or past the limit).
        """
        if slug != slug.lower():
            raise InvalidInputError(None, "invalid url format")
        project = await self._store.projects.get_by_ping_key(ping_key)
        if project is None:
            raise NotFoundError("not found")
        found = await self._store.checks.find(project.name, slug=slug)
        if len(found) > 1:
            raise ConflictError("ambiguous slug")
        created = False
        if found:
            check = found[0]
        else:
            if not create:
                raise NotFoundError("not found")
            if await self._store.checks.count(project.name) >= 2 * self._settings.check_limit:
                raise NotFoundError("not found")
            channels = await self._store.channels.find_all(project.name)
            check = Check(
                uuid=str(uuid.uuid4()),
                project=project.name,
                badge_key=str(uuid.uuid4()),
                created=self._clock(),
                name=slug,
                slug=slug,
                channels=tuple(sorted(channel.id for channel in channels)),
            )
            await self._store.checks.insert(check)
            created = True
        await self._ping(check, request)
        return created

    async def _ping(self, check: Check, request: PingRequest) -> None:
        """Classify, apply under compare-and-set, store the ping, record a flip.

        1. Exit status above 255 is a bad URL; the body is cut to the limit.
        2. The kind comes from the URL, the method rule and the body keywords.
        3. The rid must be a canonical UUID.
        4. The change is applied to the latest stored check (retried on a race).
        5. The ping is stored (batched with concurrent ones) before the caller is answered.
        """
        if request.exit_status is not None and request.exit_status > 255:
            raise InvalidInputError(None, "invalid url format")
        body = request.body[: self._settings.ping_body_limit]
        kind = classify(
            check,
            request.action,
            request.exit_status,
            request.method,
            body.decode(errors="replace"),
        )
        try:
            rid = parse_rid(request.rid)
        except ValueError:
            raise InvalidInputError(None, "invalid uuid format") from None
        now = self._clock()
        current: Check | None = check
        while True:
            if current is None:
                raise NotFoundError("not found")
            effect = apply_ping(current, kind, now, rid)
            stored = await self._store.checks.compare_and_set(effect.check)
            if stored is not None:
                break
            current = await self._store.checks.get(check.uuid)
        ping = Ping(
            check=stored.uuid,
            n=stored.n_pings,
            kind=effect.kind,
            created=now,
            scheme=request.scheme,
            remote_addr=request.remote_addr,
            method=request.method,
            ua=request.ua[:_MAX_UA],
            rid=rid,
            exit_status=request.exit_status,
            body=body,
        )
        await self._writer.write(ping)
        self._flips.bus.publish(PingEvent(stored, ping))
        if effect.flip_from is not None and effect.flip_to is not None:
            await record_check_flip(
                self._flips, stored, effect.flip_from, effect.flip_to, now, effect.flip_reason
            )
        keep_above = stored.n_pings - self._settings.ping_log_limit
        if keep_above > 0 and stored.n_pings % _TRIM_EVERY == 0:
            await self._store.pings.trim(stored.uuid, up_to=keep_above)

    async def pings(self, check: Check) -> tuple[list[Ping], dict[int, float]]:
        """The check's kept pings, newest first, and the durations of its runs."""
        limit = min(self._settings.ping_log_limit, _MAX_LISTED)
        above = max(check.n_pings - self._settings.ping_log_limit, 0)
        found = await self._store.pings.newest(check.uuid, above=above, limit=limit)
        return found, durations(found)

    async def body(self, check: Check, n: int) -> bytes:
        """The stored body of ping ``n``.

        Raises:
            NotFoundError: the ping is no longer kept, does not exist or has no body.
        """
        if n <= check.n_pings - self._settings.ping_log_limit:
            raise NotFoundError("not found")
        ping = await self._store.pings.get(check.uuid, n)
        if ping is None or not ping.body:
            raise NotFoundError("not found")
        return ping.body
