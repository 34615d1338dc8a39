"""ProGet-style connectors: create, change, delete, read, and record their probes.

The sources file and GraphQL mutations both go through these functions.
"""

from pymongo.errors import DuplicateKeyError

from gateway.domain.clock import Clock
from gateway.domain.connectors import Connector, evaluate_connector
from gateway.domain.probes import Fetched, ProbeFailure
from gateway.domain.sources import ConnectorSpec
from gateway.domain.status import SourceKind, SourceRef, Status
from gateway.errors import ConflictError, NotFoundError
from gateway.services.probing import ProbeBook
from storage import Store
from storage.repos.connectors import to_connector
from storage.repos.scheduled import Claim

__all__ = ["ConnectorsService"]

_SEQUENCE = "connector_id"


class ConnectorsService:
    def __init__(self, store: Store, book: ProbeBook, clock: Clock) -> None:
        self._store = store
        self._book = book
        self._clock = clock

    async def create(self, spec: ConnectorSpec, origin: str = "api") -> Connector:
        """Store a new connector with the next integer id; it is ``unknown`` until probed.

        Raises:
            ConflictError: its project has a connector of that name already.
        """
        connector_id = await self._store.counters.next(_SEQUENCE)
        first = self._book.first_probe_at(self._clock(), spec.interval)
        created = await self._store.connectors.insert(connector_id, spec, origin, first)
        if created is None:
            raise ConflictError(f"project {spec.project!r} has a connector named {spec.name!r}")
        return created

    async def update(self, connector_id: int, spec: ConnectorSpec) -> Connector:
        """Change a connector's settings; its id, state and history stay.

        Raises:
            NotFoundError: no such connector.
            ConflictError: the new name is taken.
        """
        try:
            updated = await self._store.connectors.update_spec(connector_id, spec)
        except DuplicateKeyError:
            raise ConflictError(
                f"project {spec.project!r} has a connector named {spec.name!r}"
            ) from None
        if updated is None:
            raise NotFoundError("connector not found")
        return updated

    async def delete(self, connector_id: int) -> None:
        if not await self._store.connectors.delete(connector_id):
            raise NotFoundError("connector not found")
        await self._store.probe_history.delete_for_source(self.ref(connector_id))

    async def in_project(self, project: str) -> list[Connector]:
        return await self._store.connectors.find_all(project)

    async def get(self, project: str, connector_id: int) -> Connector:
        """One connector of ``project``; another project's is reported as not found."""
        found = await self._store.connectors.get(connector_id)
        if found is None or found.spec.project != project:
            raise NotFoundError("connector not found")
        return found

    async def probe_now(self, project: str, connector_id: int) -> Connector:
        """Make one connector of ``project`` due now (a probe in flight is left alone).

        Raises:
            NotFoundError: no such connector in ``project``.
        """
        found = await self.get(project, connector_id)
        await self._store.connectors.probe_now(connector_id, self._clock())
        return found

    @staticmethod
    def ref(connector_id: int) -> SourceRef:
        return SourceRef(SourceKind.CONNECTOR, str(connector_id))

    async def record_probe(self, claim: Claim, outcome: Fetched | ProbeFailure) -> None:
        """Store what a probe found, with a flip when the state changed."""
        connector = to_connector(claim.doc)
        result = evaluate_connector(connector.spec, outcome)
        at = self._clock()
        failures = connector.failures + 1 if result.status is Status.DOWN else 0
        next_at = self._book.next_at(at, connector.spec.interval, failures)
        if await self._store.connectors.record(claim, result, failures, at, next_at):
            await self._book.note(
                connector.spec.project,
                self.ref(connector.id),
                connector.spec.name,
                connector.status,
                result,
                at,
            )
