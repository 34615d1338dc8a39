"""The root ``Query``."""

from typing import TypeVar

import strawberry

from gateway.errors import NotFoundError
from resolvers import pulled
from resolvers.checks import check_for, render, require_writer
from resolvers.context import Context
from resolvers.ids import decode_global_id
from resolvers.pagination import Connection, paginate
from resolvers.sources import (
    Overview,
    SourceFilter,
    SourceOrder,
    filter_sources,
    load_sources,
    overview,
)
from resolvers.types.badges import Badge
from resolvers.types.checks import Channel, Check
from resolvers.types.pulled import Connector, KafkaCluster, KafkaConnector, Service
from resolvers.types.sources import HealthSource, Node
from resolvers.types.status import SourceKind, Status
from resolvers.types.viewer import Viewer

__all__ = ["CheckFilter", "Query"]

Info = strawberry.Info[Context, None]


@strawberry.input(description="Which checks to list; every given condition must hold.")
class CheckFilter:
    tags: list[str] | None = strawberry.field(
        default=None, description="Whole tags, all of which the check must carry."
    )
    slug: str | None = None
    statuses: list[Status] | None = None
    search: str | None = None


_Pulled = TypeVar("_Pulled", Connector, Service, KafkaConnector)


def _page(
    info: Info, items: list[_Pulled], first: int | None, after: str | None
) -> Connection[_Pulled]:
    """A page of one kind of probed source, ordered by name as ``sources`` orders them."""
    ordered = sorted(items, key=lambda item: (item.name.casefold(), item.id))
    maximum = info.context.services.settings.graphql_max_page_size
    return paginate(ordered, first, after, maximum=maximum)


@strawberry.type
class Query:
    @strawberry.field(description="The project and scope of the caller's API key.")
    async def viewer(self, info: Info) -> Viewer:
        return Viewer.from_domain(info.context.require_reader())

    @strawberry.field(description="Every health source of the project, of every kind.")
    async def sources(
        self,
        info: Info,
        filter: SourceFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        order_by: SourceOrder = SourceOrder.NAME,
    ) -> Connection[HealthSource]:
        principal = info.context.require_reader()
        found = filter_sources(await load_sources(info.context, principal), filter, order_by)
        maximum = info.context.services.settings.graphql_max_page_size
        return paginate(found, first, after, maximum=maximum)

    @strawberry.field(description="Counts by status and kind, and the worst status per tag.")
    async def overview(self, info: Info) -> Overview:
        principal = info.context.require_reader()
        return overview(await load_sources(info.context, principal))

    @strawberry.field(description="Any object by its global id.")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        principal = info.context.require_reader()
        type_name, _ = decode_global_id(id)
        context = info.context
        try:
            if type_name == "Check":
                return render(context, await check_for(context, principal, id))
            if type_name == "Connector":
                return Connector.from_domain(await pulled.connector_for(context, principal, id))
            if type_name == "Service":
                return Service.from_domain(await pulled.service_for(context, principal, id))
            if type_name == "KafkaConnector":
                found, cluster = await pulled.kafka_connector_for(context, principal, id)
                return KafkaConnector.from_domain(found, cluster)
            if type_name == "KafkaCluster":
                return KafkaCluster.from_domain(await pulled.cluster_for(context, principal, id))
        except NotFoundError:
            return None
        return None

    @strawberry.field(description="The project's checks, by name.")
    async def checks(
        self,
        info: Info,
        filter: CheckFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Check]:
        principal = info.context.require_reader()
        where = filter or CheckFilter()
        found = await info.context.services.checks.find(
            principal.project, tags=where.tags or [], slug=where.slug
        )
        checks = [render(info.context, check) for check in found]
        selected = filter_sources(
            list(checks),
            SourceFilter(kinds=[SourceKind.CHECK], statuses=where.statuses, search=where.search),
            SourceOrder.NAME,
        )
        maximum = info.context.services.settings.graphql_max_page_size
        return paginate(
            [check for check in selected if isinstance(check, Check)],
            first,
            after,
            maximum=maximum,
        )

    @strawberry.field(description="One check, by uuid, unique_key or global id.")
    async def check(self, info: Info, id: str) -> Check:
        principal = info.context.require_reader()
        return render(info.context, await check_for(info.context, principal, id))

    @strawberry.field(description="The project's ProGet-style connectors, by name.")
    async def connectors(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Connector]:
        principal = info.context.require_reader()
        found = await info.context.services.connectors.in_project(principal.project)
        return _page(info, [Connector.from_domain(connector) for connector in found], first, after)

    @strawberry.field(description="The project's service health endpoints, by name.")
    async def services(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Service]:
        principal = info.context.require_reader()
        found = await info.context.services.service_sources.in_project(principal.project)
        return _page(info, [Service.from_domain(source) for source in found], first, after)

    @strawberry.field(description="The connectors of every Kafka cluster of the project, by name.")
    async def kafka_connectors(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[KafkaConnector]:
        principal = info.context.require_reader()
        found = await pulled.load_kafka_connectors(info.context, principal)
        return _page(info, found, first, after)

    @strawberry.field(description="The project's Kafka Connect clusters, by name.")
    async def kafka_clusters(self, info: Info) -> list[KafkaCluster]:
        principal = info.context.require_reader()
        found = await info.context.services.kafka.in_project(principal.project)
        clusters = [KafkaCluster.from_domain(cluster) for cluster in found]
        return sorted(clusters, key=lambda cluster: (cluster.name.casefold(), cluster.id))

    @strawberry.field(description="The badge URLs of every tag of the project, and of * (all).")
    async def badges(self, info: Info) -> list[Badge]:
        principal = info.context.require_reader()
        found = await info.context.services.badges.badge_urls(principal.project)
        return [Badge.from_domain(tag, urls) for tag, urls in found.items()]

    @strawberry.field(description="The project's channels (read-write keys only, as REST).")
    async def channels(self, info: Info) -> list[Channel]:
        principal = require_writer(info.context)
        found = await info.context.services.checks.channels(principal.project)
        return [Channel.from_domain(channel) for channel in found]
