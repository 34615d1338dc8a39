"""Connector, service and Kafka cluster queries and mutations: the same services and the
same spec rules as the sources file; the project always comes from the caller's key.

Sources declared in the sources file (origin FILE) are read-only here: the file is
re-applied at every start, so an API change would silently not last. Updating or
deleting one answers CONFLICT; probeNow works on every source.
"""

from typing import Any, TypeVar

import strawberry
from strawberry.types.unset import UNSET

from gateway.domain.connectors import Connector as DomainConnector
from gateway.domain.kafka import KafkaCluster as DomainKafkaCluster
from gateway.domain.kafka import KafkaConnector as DomainKafkaConnector
from gateway.domain.projects import Principal
from gateway.domain.service_health import ServiceSource
from gateway.domain.sources import (
    ConnectorSpec,
    KafkaClusterSpec,
    ServiceSpec,
    SpecError,
    validate_spec,
)
from gateway.domain.status import SourceKind as DomainSourceKind
from gateway.errors import ConflictError, InvalidInputError, NotFoundError
from resolvers.checks import require_writer
from resolvers.context import Context
from resolvers.ids import decode_global_id, decode_source_id
from resolvers.types.pulled import (
    Connector,
    KafkaCluster,
    KafkaClusterKind,
    KafkaConnector,
    ProbedSource,
    Service,
)
from resolvers.types.sources import HealthSource

__all__ = [
    "ConnectorInput",
    "KafkaClusterInput",
    "ServiceInput",
    "cluster_for",
    "connector_for",
    "create_connector",
    "create_kafka_cluster",
    "create_service",
    "delete_connector",
    "delete_kafka_cluster",
    "delete_service",
    "kafka_connector_for",
    "load_kafka_connectors",
    "load_pulled",
    "probe_now",
    "service_for",
    "update_connector",
    "update_kafka_cluster",
    "update_service",
]

FILE_ORIGIN_NOTE = (
    " Sources declared in the sources file (origin FILE) cannot be changed here: "
    "CONFLICT (edit the file; it is applied at every start)."
)

# GraphQL input names of the spec keys, so errors name the argument the client sent.
_FIELDS = {
    "project": "project",
    "name": "name",
    "url": "url",
    "interval": "interval",
    "timeout": "timeout",
    "expect_status": "expectStatus",
    "expect_keyword": "expectKeyword",
    "kind": "kind",
    "environment_id": "environmentId",
    "cluster_id": "clusterId",
    "api_key": "apiKey",
    "api_secret": "apiSecret",
}
_NULLABLE = {"expect_keyword", "environment_id", "cluster_id", "api_key", "api_secret"}

_SpecT = TypeVar("_SpecT", ConnectorSpec, ServiceSpec, KafkaClusterSpec)


@strawberry.input(description="Settings of a connector; only those given are written.")
class ConnectorInput:
    name: str | None = UNSET
    url: str | None = strawberry.field(default=UNSET, description="An http(s) URL.")
    interval: float | None = strawberry.field(default=UNSET, description="1 to 86400 s; 60.")
    timeout: float | None = strawberry.field(default=UNSET, description="0.1 to 3600 s; 10.")
    expect_status: list[int] | None = strawberry.field(
        default=UNSET, description="[low, high] healthy HTTP statuses; [200, 299]."
    )
    expect_keyword: str | None = strawberry.field(
        default=UNSET, description="Text the body must contain; null for none."
    )


@strawberry.input(
    description="Settings of a service health endpoint; only those given are written."
)
class ServiceInput:
    name: str | None = UNSET
    url: str | None = strawberry.field(default=UNSET, description="An http(s) URL.")
    interval: float | None = strawberry.field(default=UNSET, description="1 to 86400 s; 30.")
    timeout: float | None = strawberry.field(default=UNSET, description="0.1 to 3600 s; 10.")


@strawberry.input(description="Settings of a Kafka Connect cluster; only those given are written.")
class KafkaClusterInput:
    name: str | None = UNSET
    url: str | None = strawberry.field(default=UNSET, description="The Connect REST API.")
    interval: float | None = strawberry.field(default=UNSET, description="1 to 86400 s; 30.")
    timeout: float | None = strawberry.field(default=UNSET, description="0.1 to 3600 s; 10.")
    kind: KafkaClusterKind | None = UNSET
    environment_id: str | None = strawberry.field(
        default=UNSET, description="For the Confluent route; the project by default."
    )
    cluster_id: str | None = strawberry.field(
        default=UNSET, description="For the Confluent route; the name by default."
    )
    api_key: str | None = strawberry.field(default=UNSET, description="Write-only.")
    api_secret: str | None = strawberry.field(default=UNSET, description="Write-only.")


def _spec(
    model: type[_SpecT],
    data: ConnectorInput | ServiceInput | KafkaClusterInput,
    base: dict[str, Any],
) -> _SpecT:
    """``base`` with the given input fields written over it, validated by the spec model."""
    raw = dict(base)
    for field, value in vars(data).items():
        if value is UNSET:
            continue
        if value is None and field not in _NULLABLE:
            raise InvalidInputError(_FIELDS[field], "must not be null")
        raw[field] = value.value if isinstance(value, KafkaClusterKind) else value
    try:
        return validate_spec(model, raw)
    except SpecError as error:
        raise InvalidInputError(_FIELDS.get(error.key or "", error.key), error.reason) from None


def _editable(origin: str, what: str) -> None:
    if origin == "file":
        raise ConflictError(f"this {what} is declared in the sources file; change the file")


def _local_id(global_id: str, type_name: str) -> str:
    try:
        found_type, local = decode_global_id(global_id)
    except InvalidInputError:
        raise NotFoundError(f"no such {type_name}") from None
    if found_type != type_name:
        raise NotFoundError(f"no such {type_name}")
    return local


def _connector_id(global_id: str) -> int:
    local = _local_id(global_id, "Connector")
    if not local.isdigit() or str(int(local)) != local:
        raise NotFoundError("connector not found")
    return int(local)


async def connector_for(context: Context, principal: Principal, global_id: str) -> DomainConnector:
    """Raises: NotFoundError: no such connector in the caller's project."""
    return await context.services.connectors.get(principal.project, _connector_id(global_id))


async def service_for(context: Context, principal: Principal, global_id: str) -> ServiceSource:
    """Raises: NotFoundError: no such service in the caller's project."""
    local = _local_id(global_id, "Service")
    return await context.services.service_sources.get(principal.project, local)


async def cluster_for(context: Context, principal: Principal, global_id: str) -> DomainKafkaCluster:
    """Raises: NotFoundError: no such Kafka cluster in the caller's project."""
    local = _local_id(global_id, "KafkaCluster")
    return await context.services.kafka.get(principal.project, local)


async def kafka_connector_for(
    context: Context, principal: Principal, global_id: str
) -> tuple[DomainKafkaConnector, DomainKafkaCluster]:
    """Raises: NotFoundError: no such Kafka connector in the caller's project."""
    local = _local_id(global_id, "KafkaConnector")
    connector = await context.services.kafka.connector(principal.project, local)
    cluster = await context.services.kafka.get(principal.project, connector.cluster)
    return connector, cluster


async def load_kafka_connectors(context: Context, principal: Principal) -> list[KafkaConnector]:
    """The connectors of every Kafka cluster of the project: two queries."""
    clusters = await context.services.kafka.in_project(principal.project)
    per_cluster = await context.services.kafka.connectors_of([c.id for c in clusters])
    return [
        KafkaConnector.from_domain(connector, cluster)
        for cluster, connectors in zip(clusters, per_cluster, strict=True)
        for connector in connectors
    ]


async def load_pulled(context: Context, principal: Principal) -> list[HealthSource]:
    """Every probed source of the project: one query per kind, and one for Kafka connectors."""
    services = context.services
    connectors = await services.connectors.in_project(principal.project)
    endpoints = await services.service_sources.in_project(principal.project)
    found: list[HealthSource] = [Connector.from_domain(c) for c in connectors]
    found += [Service.from_domain(s) for s in endpoints]
    return found + list(await load_kafka_connectors(context, principal))


async def create_connector(context: Context, data: ConnectorInput) -> Connector:
    principal = require_writer(context)
    spec = _spec(ConnectorSpec, data, {"project": principal.project})
    return Connector.from_domain(await context.services.connectors.create(spec))


async def update_connector(context: Context, global_id: str, data: ConnectorInput) -> Connector:
    principal = require_writer(context)
    current = await connector_for(context, principal, global_id)
    _editable(current.origin, "connector")
    spec = _spec(ConnectorSpec, data, current.spec.model_dump())
    return Connector.from_domain(await context.services.connectors.update(current.id, spec))


async def delete_connector(context: Context, global_id: str) -> Connector:
    principal = require_writer(context)
    current = await connector_for(context, principal, global_id)
    _editable(current.origin, "connector")
    await context.services.connectors.delete(current.id)
    return Connector.from_domain(current)


async def create_service(context: Context, data: ServiceInput) -> Service:
    principal = require_writer(context)
    spec = _spec(ServiceSpec, data, {"project": principal.project})
    return Service.from_domain(await context.services.service_sources.create(spec))


async def update_service(context: Context, global_id: str, data: ServiceInput) -> Service:
    principal = require_writer(context)
    current = await service_for(context, principal, global_id)
    _editable(current.origin, "service")
    spec = _spec(ServiceSpec, data, current.spec.model_dump())
    return Service.from_domain(await context.services.service_sources.update(current.id, spec))


async def delete_service(context: Context, global_id: str) -> Service:
    principal = require_writer(context)
    current = await service_for(context, principal, global_id)
    _editable(current.origin, "service")
    await context.services.service_sources.delete(current.id)
    return Service.from_domain(current)


async def create_kafka_cluster(context: Context, data: KafkaClusterInput) -> KafkaCluster:
    principal = require_writer(context)
    spec = _spec(KafkaClusterSpec, data, {"project": principal.project})
    return KafkaCluster.from_domain(await context.services.kafka.create(spec))


async def update_kafka_cluster(
    context: Context, global_id: str, data: KafkaClusterInput
) -> KafkaCluster:
    principal = require_writer(context)
    current = await cluster_for(context, principal, global_id)
    _editable(current.origin, "Kafka cluster")
    spec = _spec(KafkaClusterSpec, data, current.spec.model_dump())
    return KafkaCluster.from_domain(await context.services.kafka.update(current.id, spec))


async def delete_kafka_cluster(context: Context, global_id: str) -> KafkaCluster:
    principal = require_writer(context)
    current = await cluster_for(context, principal, global_id)
    _editable(current.origin, "Kafka cluster")
    await context.services.kafka.delete(current.id)
    return KafkaCluster.from_domain(current)


async def probe_now(context: Context, global_id: str) -> ProbedSource:
    """Make a probed source due now (a Kafka connector: its cluster) and return it."""
    principal = require_writer(context)
    try:
        ref = decode_source_id(global_id)
    except InvalidInputError:
        raise NotFoundError("no such source") from None
    services = context.services
    project = principal.project
    if ref.kind is DomainSourceKind.CONNECTOR:
        connector = await services.connectors.probe_now(project, _connector_id(global_id))
        return Connector.from_domain(connector)
    if ref.kind is DomainSourceKind.SERVICE:
        return Service.from_domain(await services.service_sources.probe_now(project, ref.id))
    if ref.kind is DomainSourceKind.KAFKA_CONNECTOR:
        kafka_connector = await services.kafka.connector(project, ref.id)
        cluster = await services.kafka.probe_now(project, kafka_connector.cluster)
        return KafkaConnector.from_domain(kafka_connector, cluster)
    raise InvalidInputError("id", "is not the id of a probed source (a check is pinged)")
