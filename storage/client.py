"""Opening the store: a real MongoDB when ``MONGODB_URI`` is set, else the embedded one."""

import logging
from typing import Any, cast

from pymongo import AsyncMongoClient
from pymongo.errors import ConfigurationError as MongoConfigurationError
from pymongo.errors import InvalidURI

from gateway.errors import ConfigurationError
from storage.repos.channels import ChannelsRepo
from storage.repos.checks import ChecksRepo, MongoChecksRepo
from storage.repos.checks_memory import MemoryChecksRepo
from storage.repos.connectors import ConnectorsRepo
from storage.repos.counters import CountersRepo
from storage.repos.flips import FlipsRepo
from storage.repos.kafka import KafkaClustersRepo, KafkaConnectorsRepo
from storage.repos.keys import KeysRepo
from storage.repos.notifications import NotificationsRepo
from storage.repos.pings import PingsRepo
from storage.repos.pings_memory import MemoryPingsRepo
from storage.repos.probe_history import ProbeHistoryRepo
from storage.repos.projects import ProjectsRepo
from storage.repos.service_sources import ServiceSourcesRepo
from storage.types import Database

__all__ = ["Store", "open_store"]

log = logging.getLogger("healthgate.storage")


class Store:
    """The database handle and its repositories; one per process.

    Usage: ``store = open_store(uri=None, database="healthgate"); await store.ensure_indexes()``
    """

    def __init__(self, client: Any, db: Database, *, embedded: bool) -> None:
        self._client = client
        self.db = db
        self.embedded = embedded
        self.projects = ProjectsRepo(db["projects"])
        self.keys = KeysRepo(db["api_keys"])
        self.flips = FlipsRepo(db["flips"])
        self.channels = ChannelsRepo(db["channels"])
        # Embedded checks live in a hashed in-process index (see checks_memory.py).
        self.checks: ChecksRepo = MemoryChecksRepo() if embedded else MongoChecksRepo(db["checks"])
        self.pings: PingsRepo | MemoryPingsRepo = (
            MemoryPingsRepo() if embedded else PingsRepo(db["pings"])
        )
        self.notifications = NotificationsRepo(db["notifications"])
        self.counters = CountersRepo(db["counters"])
        self.connectors = ConnectorsRepo(db["connectors"], db["connector_names"])
        self.service_sources = ServiceSourcesRepo(db["services"])
        self.kafka_clusters = KafkaClustersRepo(db["kafka_clusters"])
        self.kafka_connectors = KafkaConnectorsRepo(db["kafka_connectors"])
        self.probe_history = ProbeHistoryRepo(db["probe_history"])

    @property
    def repositories(self) -> dict[str, Any]:
        """Every repository by attribute name (start-up and tooling iterate them)."""
        return {
            name: value
            for name, value in vars(self).items()
            if not name.startswith("_") and name not in ("db", "embedded")
        }

    async def ensure_indexes(self) -> None:
        """Create every index; idempotent, so it runs at each start-up."""
        for repo in self.repositories.values():
            ensure = getattr(repo, "ensure_indexes", None)  # a counter needs none
            if ensure is not None:
                await ensure()

    async def index_names(self, collection: str) -> set[str]:
        # index_information() is awaitable on both backends; list_indexes() is not.
        return set(await self.db[collection].index_information())

    async def ping(self) -> None:
        """One round trip to the database; callers bound it with ``asyncio.timeout``.

        Raises:
            pymongo.errors.PyMongoError: the server cannot be reached or answered an error.
        """
        await self.db.command("ping")

    async def close(self) -> None:
        if self.embedded:
            return  # nothing to close: the data lives in this process
        await self._client.close()


def open_store(uri: str | None, database: str) -> Store:
    """Open a real MongoDB (lazily: no round trip yet) or the embedded store.

    Raises:
        ConfigurationError: the URI cannot be parsed.
    """
    if uri is None:
        from mongomock_motor import AsyncMongoMockClient

        from storage.embedded import speed_up_embedded_store

        speed_up_embedded_store()
        embedded: Any = AsyncMongoMockClient(tz_aware=True)
        return Store(embedded, cast(Database, embedded[database]), embedded=True)
    options: dict[str, Any] = {"tz_aware": True, "connect": False}
    if "serverselectiontimeoutms" not in uri.lower():
        # Fail requests fast while the database is away instead of pymongo's 30 s.
        options["serverSelectionTimeoutMS"] = 5000
    try:
        client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(uri, **options)
    except (InvalidURI, MongoConfigurationError, ValueError) as exc:
        raise ConfigurationError(f"MONGODB_URI is not a usable MongoDB URI: {exc}") from None
    return Store(client, client[database], embedded=False)
