"""The root ``Mutation``: every change goes through the same services as REST."""

import strawberry

from resolvers import checks as check_ops
from resolvers import pulled
from resolvers.checks import CheckInput, CreateCheckPayload, PingCheckKind
from resolvers.context import Context
from resolvers.pulled import FILE_ORIGIN_NOTE, ConnectorInput, KafkaClusterInput, ServiceInput
from resolvers.types.checks import Check
from resolvers.types.pulled import Connector, KafkaCluster, ProbedSource, Service

__all__ = ["Mutation"]

Info = strawberry.Info[Context, None]


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Create a check, or update the one `unique` identifies.")
    async def create_check(self, info: Info, input: CheckInput) -> CreateCheckPayload:
        return await check_ops.create_check(info.context, input)

    @strawberry.mutation(description="Write the given fields of a check.")
    async def update_check(self, info: Info, id: str, input: CheckInput) -> Check:
        return await check_ops.update_check(info.context, id, input)

    @strawberry.mutation(description="Pause a check (pausing a paused check changes nothing).")
    async def pause_check(self, info: Info, id: str) -> Check:
        principal = check_ops.require_writer(info.context)
        check = await check_ops.check_for(info.context, principal, id)
        paused = await info.context.services.checks.pause(principal.project, check.uuid)
        return check_ops.render(info.context, paused)

    @strawberry.mutation(description="Resume a paused check (CONFLICT when it is not paused).")
    async def resume_check(self, info: Info, id: str) -> Check:
        principal = check_ops.require_writer(info.context)
        check = await check_ops.check_for(info.context, principal, id)
        resumed = await info.context.services.checks.resume(principal.project, check.uuid)
        return check_ops.render(info.context, resumed)

    @strawberry.mutation(description="Delete a check; returns it as it was.")
    async def delete_check(self, info: Info, id: str) -> Check:
        principal = check_ops.require_writer(info.context)
        check = await check_ops.check_for(info.context, principal, id)
        deleted = await info.context.services.checks.delete(principal.project, check.uuid)
        return check_ops.render(info.context, deleted)

    @strawberry.mutation(description="Ping a check, as its /ping URL would be pinged.")
    async def ping_check(
        self,
        info: Info,
        id: str,
        kind: PingCheckKind = PingCheckKind.SUCCESS,
        exit_status: int | None = None,
        body: str | None = None,
        run_id: str | None = None,
    ) -> Check:
        return await check_ops.ping_check(info.context, id, kind, exit_status, body, run_id)

    @strawberry.mutation(
        description="Create a ProGet-style connector in the key's project (validated as the "
        "sources file is; name and url are required)."
    )
    async def create_connector(self, info: Info, input: ConnectorInput) -> Connector:
        return await pulled.create_connector(info.context, input)

    @strawberry.mutation(description="Write the given settings of a connector." + FILE_ORIGIN_NOTE)
    async def update_connector(
        self, info: Info, id: strawberry.ID, input: ConnectorInput
    ) -> Connector:
        return await pulled.update_connector(info.context, id, input)

    @strawberry.mutation(
        description="Delete a connector and its probe history; returns it as it was."
        + FILE_ORIGIN_NOTE
    )
    async def delete_connector(self, info: Info, id: strawberry.ID) -> Connector:
        return await pulled.delete_connector(info.context, id)

    @strawberry.mutation(
        description="Create a service health endpoint in the key's project (name and url "
        "are required)."
    )
    async def create_service(self, info: Info, input: ServiceInput) -> Service:
        return await pulled.create_service(info.context, input)

    @strawberry.mutation(description="Write the given settings of a service." + FILE_ORIGIN_NOTE)
    async def update_service(self, info: Info, id: strawberry.ID, input: ServiceInput) -> Service:
        return await pulled.update_service(info.context, id, input)

    @strawberry.mutation(
        description="Delete a service and its probe history; returns it as it was."
        + FILE_ORIGIN_NOTE
    )
    async def delete_service(self, info: Info, id: strawberry.ID) -> Service:
        return await pulled.delete_service(info.context, id)

    @strawberry.mutation(
        description="Add a Kafka Connect cluster to the key's project; its connectors "
        "appear after its first read (name and url are required)."
    )
    async def create_kafka_cluster(self, info: Info, input: KafkaClusterInput) -> KafkaCluster:
        return await pulled.create_kafka_cluster(info.context, input)

    @strawberry.mutation(
        description="Write the given settings of a Kafka cluster." + FILE_ORIGIN_NOTE
    )
    async def update_kafka_cluster(
        self, info: Info, id: strawberry.ID, input: KafkaClusterInput
    ) -> KafkaCluster:
        return await pulled.update_kafka_cluster(info.context, id, input)

    @strawberry.mutation(
        description="Delete a Kafka cluster with its connectors and their history; returns "
        "it as it was (with no connectors left)." + FILE_ORIGIN_NOTE
    )
    async def delete_kafka_cluster(self, info: Info, id: strawberry.ID) -> KafkaCluster:
        return await pulled.delete_kafka_cluster(info.context, id)

    @strawberry.mutation(
        description="Make a connector, service or Kafka connector (its cluster) due now; the "
        "probe loop probes it next. Returns the source as it is now (also for sources "
        "from the sources file)."
    )
    async def probe_now(self, info: Info, id: strawberry.ID) -> ProbedSource:
        return await pulled.probe_now(info.context, id)
