"""Service health endpoints: create, change, delete, read, and record their probes."""

from pymongo.errors import DuplicateKeyError

from gateway.domain.clock import Clock
from gateway.domain.probes import Fetched, ProbeFailure
from gateway.domain.service_health import ServiceSource, evaluate_service
from gateway.domain.sources import ServiceSpec
from gateway.domain.status import SourceKind, SourceRef, Status
from gateway.errors import ConflictError, NotFoundError
from gateway.services.probing import ProbeBook
from storage import Store
from storage.repos.scheduled import Claim
from storage.repos.service_sources import to_service

__all__ = ["ServiceSourcesService"]


class ServiceSourcesService:
    def __init__(self, store: Store, book: ProbeBook, clock: Clock) -> None:
        self._store = store
        self._book = book
        self._clock = clock

    async def create(self, spec: ServiceSpec, origin: str = "api") -> ServiceSource:
        """Raises: ConflictError: its project has a service of that name."""
        first = self._book.first_probe_at(self._clock(), spec.interval)
        created = await self._store.service_sources.insert(spec, origin, first)
        if created is None:
            raise ConflictError(f"project {spec.project!r} has a service named {spec.name!r}")
        return created

    async def update(self, source_id: str, spec: ServiceSpec) -> ServiceSource:
        """Raises: NotFoundError, ConflictError."""
        try:
            updated = await self._store.service_sources.update_spec(source_id, spec)
        except DuplicateKeyError:
            raise ConflictError(
                f"project {spec.project!r} has a service named {spec.name!r}"
            ) from None
        if updated is None:
            raise NotFoundError("service not found")
        return updated

    async def delete(self, source_id: str) -> None:
        if not await self._store.service_sources.delete(source_id):
            raise NotFoundError("service not found")
        await self._store.probe_history.delete_for_source(self.ref(source_id))

    async def in_project(self, project: str) -> list[ServiceSource]:
        return await self._store.service_sources.find_all(project)

    async def get(self, project: str, source_id: str) -> ServiceSource:
        found = await self._store.service_sources.get(source_id)
        if found is None or found.spec.project != project:
            raise NotFoundError("service not found")
        return found

    async def probe_now(self, project: str, source_id: str) -> ServiceSource:
        """Make one service of ``project`` due now (a probe in flight is left alone).

        Raises:
            NotFoundError: no such service in ``project``.
        """
        found = await self.get(project, source_id)
        await self._store.service_sources.probe_now(source_id, self._clock())
        return found

    @staticmethod
    def ref(source_id: str) -> SourceRef:
        return SourceRef(SourceKind.SERVICE, source_id)

    async def record_probe(self, claim: Claim, outcome: Fetched | ProbeFailure) -> None:
        source = to_service(claim.doc)
        found = evaluate_service(outcome)
        at = self._clock()
        failures = source.failures + 1 if found.result.status is Status.DOWN else 0
        next_at = self._book.next_at(at, source.spec.interval, failures)
        if await self._store.service_sources.record(claim, found, failures, at, next_at):
            await self._book.note(
                source.spec.project,
                self.ref(source.id),
                source.spec.name,
                source.status,
                found.result,
                at,
            )
