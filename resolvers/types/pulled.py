"""The sources healthgate probes: ``Connector`` (ProGet style), ``Service`` (health
endpoints), ``KafkaConnector`` and the ``KafkaCluster`` it is read from."""

from datetime import datetime
from enum import Enum

import strawberry

from gateway.domain.connectors import Connector as DomainConnector
from gateway.domain.kafka import KafkaCluster as DomainKafkaCluster
from gateway.domain.kafka import KafkaConnector as DomainKafkaConnector
from gateway.domain.kafka import KafkaTask as DomainKafkaTask
from gateway.domain.probes import ProbeSample
from gateway.domain.service_health import ServiceSource
from gateway.domain.status import SourceKind as DomainSourceKind
from gateway.domain.status import SourceRef
from resolvers.context import Context
from resolvers.ids import encode_global_id, source_global_id
from resolvers.loaders import LatencyKey
from resolvers.pagination import check_page_size
from resolvers.types.sources import HealthSource, Node
from resolvers.types.status import SourceKind, Status

__all__ = [
    "Connector",
    "ConnectorState",
    "KafkaCluster",
    "KafkaClusterKind",
    "KafkaConnector",
    "KafkaTask",
    "LatencySample",
    "ProbedSource",
    "Service",
    "SourceOrigin",
]


@strawberry.enum(description="ProGet's connector states, as its connector-health API has them.")
class ConnectorState(Enum):
    HEALTHY = "healthy"
    ERROR = "error"
    UNKNOWN = "unknown"


@strawberry.enum(description="Where a probed source was declared.")
class SourceOrigin(Enum):
    FILE = "file"
    API = "api"


@strawberry.enum(description="The flavour of a Kafka Connect cluster.")
class KafkaClusterKind(Enum):
    KAFKA_CONNECT = "kafka-connect"
    CONFLUENT_CLOUD = "confluent-cloud"


@strawberry.type(description="One probe of a source, as kept in the recent history.")
class LatencySample:
    at: datetime
    status: Status
    latency_ms: float | None
    error: str | None

    @classmethod
    def from_domain(cls, sample: ProbeSample) -> "LatencySample":
        return cls(
            at=sample.at,
            status=Status.from_domain(sample.status),
            latency_ms=sample.latency_ms,
            error=sample.error,
        )


@strawberry.interface(description="A source healthgate probes itself (not a check).")
class ProbedSource(HealthSource):
    @strawberry.field(
        description="The most recent probes (first: up to the maximum page size), newest "
        "first; kept for the probe history's retention (a day by default)."
    )
    async def latency(
        self, info: strawberry.Info[Context, None], first: int = 50
    ) -> list[LatencySample]:
        maximum = info.context.services.settings.graphql_max_page_size
        limit = check_page_size(first, maximum, default=50)
        found = await info.context.loaders.latency.load(LatencyKey(self.ref, limit))
        return [LatencySample.from_domain(sample) for sample in found]


def _origin(origin: str) -> SourceOrigin:
    return SourceOrigin.FILE if origin == "file" else SourceOrigin.API


@strawberry.type(description="A ProGet-style connector: a URL probed for a healthy answer.")
class Connector(ProbedSource):
    proget_id: int = strawberry.field(
        description="The stable integer id of /api/connector-health/<id>."
    )
    url: str
    interval: float = strawberry.field(description="Seconds between probes.")
    timeout: float = strawberry.field(description="Seconds a probe may take.")
    expect_status: list[int] = strawberry.field(
        description="[low, high]: the HTTP statuses that are healthy."
    )
    expect_keyword: str | None = strawberry.field(
        description="Text the body must contain to be healthy."
    )
    state: ConnectorState = strawberry.field(description="The ProGet state.")
    error_message: str | None = strawberry.field(
        description="Why the state is ERROR (null otherwise), as ProGet reports it."
    )
    latency_ms: float | None = strawberry.field(description="The last probe's duration.")
    origin: SourceOrigin

    @classmethod
    def from_domain(cls, connector: DomainConnector) -> "Connector":
        ref = SourceRef(DomainSourceKind.CONNECTOR, str(connector.id))
        state = ConnectorState(connector.state.value)
        return cls(
            id=strawberry.ID(source_global_id(ref)),
            kind=SourceKind.CONNECTOR,
            name=connector.spec.name,
            project=connector.spec.project,
            status=Status.from_domain(connector.status),
            last_checked_at=connector.last_checked,
            ref=ref,
            created_at=None,
            proget_id=connector.id,
            url=connector.spec.url,
            interval=connector.spec.interval,
            timeout=connector.spec.timeout,
            expect_status=list(connector.spec.expect_status),
            expect_keyword=connector.spec.expect_keyword,
            state=state,
            error_message=connector.error if state is ConnectorState.ERROR else None,
            latency_ms=connector.latency_ms,
            origin=_origin(connector.origin),
        )


@strawberry.type(description="A service health endpoint (mosparo's body is understood).")
class Service(ProbedSource):
    url: str
    interval: float = strawberry.field(description="Seconds between probes.")
    timeout: float = strawberry.field(description="Seconds a probe may take.")
    healthy: bool | None = strawberry.field(
        description="The service's own verdict (mosparo's healthy; else 2xx); null if unknown."
    )
    database_status: str | None = strawberry.field(description="mosparo's databaseStatus.")
    error: str | None = strawberry.field(description="Why the service is not up.")
    latency_ms: float | None = strawberry.field(description="The last probe's duration.")
    origin: SourceOrigin

    @classmethod
    def from_domain(cls, source: ServiceSource) -> "Service":
        ref = SourceRef(DomainSourceKind.SERVICE, source.id)
        return cls(
            id=strawberry.ID(source_global_id(ref)),
            kind=SourceKind.SERVICE,
            name=source.spec.name,
            project=source.spec.project,
            status=Status.from_domain(source.status),
            last_checked_at=source.last_checked,
            ref=ref,
            created_at=None,
            url=source.spec.url,
            interval=source.spec.interval,
            timeout=source.spec.timeout,
            healthy=source.healthy,
            database_status=source.database_status,
            error=source.error,
            latency_ms=source.latency_ms,
            origin=_origin(source.origin),
        )


@strawberry.type(description="One task of a Kafka connector, as its cluster reported it.")
class KafkaTask:
    id: int
    state: str
    worker_id: str
    msg: str

    @classmethod
    def from_domain(cls, task: DomainKafkaTask) -> "KafkaTask":
        return cls(id=task.id, state=task.state, worker_id=task.worker_id, msg=task.msg)


@strawberry.type(
    description="A Kafka Connect cluster whose connectors healthgate reads (its API "
    "key and secret are never shown)."
)
class KafkaCluster(Node):
    name: str
    project: str
    kind: KafkaClusterKind
    url: str
    environment_id: str = strawberry.field(description="The Confluent route's environment.")
    cluster_id: str = strawberry.field(description="The Confluent route's cluster id.")
    interval: float = strawberry.field(description="Seconds between reads.")
    timeout: float = strawberry.field(description="Seconds a read may take.")
    error: str | None = strawberry.field(description="Why the last read failed.")
    last_checked_at: datetime | None
    latency_ms: float | None = strawberry.field(description="The last read's duration.")
    has_credentials: bool = strawberry.field(description="An API key is configured.")
    origin: SourceOrigin
    domain: strawberry.Private[DomainKafkaCluster]

    @strawberry.field(description="The cluster's connectors as last read, by name.")
    async def connectors(self, info: strawberry.Info[Context, None]) -> list["KafkaConnector"]:
        found = await info.context.loaders.kafka_connectors.load(self.domain.id)
        return [KafkaConnector.from_domain(connector, self.domain) for connector in found]

    @classmethod
    def from_domain(cls, cluster: DomainKafkaCluster) -> "KafkaCluster":
        spec = cluster.spec
        return cls(
            id=strawberry.ID(encode_global_id("KafkaCluster", cluster.id)),
            name=spec.name,
            project=spec.project,
            kind=KafkaClusterKind(spec.kind),
            url=spec.url,
            environment_id=spec.environment,
            cluster_id=spec.cluster,
            interval=spec.interval,
            timeout=spec.timeout,
            error=cluster.error,
            last_checked_at=cluster.last_checked,
            latency_ms=cluster.latency_ms,
            has_credentials=bool(spec.api_key),
            origin=_origin(cluster.origin),
            domain=cluster,
        )


@strawberry.type(description="A connector of a Kafka Connect cluster, as last read.")
class KafkaConnector(ProbedSource):
    state: str = strawberry.field(description="The state as the cluster reported it.")
    confluent_state: str = strawberry.field(
        description="The state on Confluent's connector enum (what its status route serves)."
    )
    type: str = strawberry.field(description="source or sink.")
    worker_id: str
    trace: str
    tasks: list[KafkaTask]
    cluster_domain: strawberry.Private[DomainKafkaCluster]

    @strawberry.field(description="The cluster the connector runs on.")
    def cluster(self) -> KafkaCluster:
        return KafkaCluster.from_domain(self.cluster_domain)

    @classmethod
    def from_domain(
        cls, connector: DomainKafkaConnector, cluster: DomainKafkaCluster
    ) -> "KafkaConnector":
        ref = SourceRef(DomainSourceKind.KAFKA_CONNECTOR, connector.id)
        return cls(
            id=strawberry.ID(source_global_id(ref)),
            kind=SourceKind.KAFKA_CONNECTOR,
            name=connector.name,
            project=connector.project,
            status=Status.from_domain(connector.status),
            last_checked_at=connector.last_checked,
            ref=ref,
            created_at=None,
            state=connector.state,
            confluent_state=connector.confluent_state,
            type=connector.type,
            worker_id=connector.worker_id,
            trace=connector.trace,
            tasks=[KafkaTask.from_domain(task) for task in connector.tasks],
            cluster_domain=cluster,
        )
