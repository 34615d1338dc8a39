"""The root ``Mutation``: every change goes through the same services as REST."""

import strawberry

from resolvers import checks as check_ops
from resolvers.checks import CheckInput, CreateCheckPayload, PingCheckKind
from resolvers.context import Context
from resolvers.types.checks import Check

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
