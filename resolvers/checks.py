"""Check queries and mutations: the same service calls, rules and errors as the REST API."""

import re
from enum import Enum

import strawberry
from strawberry.types.unset import UNSET

from gateway.domain.checks import Check as DomainCheck
from gateway.domain.checks.naming import is_canonical_uuid
from gateway.domain.checks.spec import SpecError
from gateway.domain.projects import Principal
from gateway.errors import ForbiddenError, InvalidInputError, NotFoundError
from gateway.services.pings import PingRequest
from resolvers.context import Context
from resolvers.ids import decode_global_id
from resolvers.types.checks import Check

__all__ = [
    "CheckInput",
    "CreateCheckPayload",
    "PingCheckKind",
    "check_for",
    "render",
    "require_writer",
    "spec_body",
]

_UNIQUE_KEY = re.compile(r"^[0-9a-f]{40}$")

# GraphQL input names for the Healthchecks fields they set, so errors name the
# argument the client sent.
_FIELDS = {
    "name": "name",
    "slug": "slug",
    "tags": "tags",
    "desc": "desc",
    "timeout": "timeout",
    "grace": "grace",
    "schedule": "schedule",
    "tz": "tz",
    "manual_resume": "manualResume",
    "methods": "methods",
    "channels": "channels",
    "start_kw": "startKw",
    "success_kw": "successKw",
    "failure_kw": "failureKw",
    "filter_subject": "filterSubject",
    "filter_body": "filterBody",
    "filter_http_body": "filterHttpBody",
    "filter_default_fail": "filterDefaultFail",
    "unique": "unique",
}


@strawberry.input(description="Fields of a check; only those given are written.")
class CheckInput:
    name: str | None = UNSET
    slug: str | None = UNSET
    tags: list[str] | None = UNSET
    desc: str | None = UNSET
    timeout: int | None = strawberry.field(default=UNSET, description="60 to 31536000 s.")
    grace: int | None = strawberry.field(default=UNSET, description="60 to 31536000 s.")
    schedule: str | None = strawberry.field(default=UNSET, description="Cron or OnCalendar.")
    tz: str | None = UNSET
    manual_resume: bool | None = UNSET
    methods: str | None = strawberry.field(default=UNSET, description='"" or "POST".')
    channels: list[str] | None = strawberry.field(
        default=UNSET, description='Channel ids or names; ["*"] for all, [] for none.'
    )
    start_kw: str | None = UNSET
    success_kw: str | None = UNSET
    failure_kw: str | None = UNSET
    filter_subject: bool | None = UNSET
    filter_body: bool | None = UNSET
    filter_http_body: bool | None = UNSET
    filter_default_fail: bool | None = UNSET
    unique: list[str] | None = strawberry.field(
        default=UNSET,
        description="createCheck only: fields (name, slug, tags, timeout, grace) that "
        "identify an existing check to update instead of creating one.",
    )


@strawberry.type
class CreateCheckPayload:
    check: Check
    created: bool = strawberry.field(description="False when `unique` matched a check.")


@strawberry.enum(description="What a ping from GraphQL means.")
class PingCheckKind(Enum):
    SUCCESS = ""
    START = "start"
    FAIL = "fail"
    LOG = "log"


def spec_body(data: CheckInput) -> dict[str, object]:
    """The Healthchecks create/update body for the fields given (null means unset)."""
    body: dict[str, object] = {}
    for field in _FIELDS:
        value = getattr(data, field)
        if value is UNSET:
            continue
        if value is None:
            raise InvalidInputError(_FIELDS[field], "must not be null")
        if field == "tags":
            value = " ".join(value)
        elif field == "channels":
            value = ",".join(value)
        body[field] = value
    return body


def require_writer(context: Context) -> Principal:
    principal = context.require_reader()
    if not principal.can_write:
        raise ForbiddenError("this needs a read-write key")
    return principal


def _graphql_spec_error(error: SpecError) -> InvalidInputError:
    field = _FIELDS.get(error.field or "", error.field)
    return InvalidInputError(field, error.reason)


async def check_for(context: Context, principal: Principal, check_id: str) -> DomainCheck:
    """The caller's check named by its uuid, unique_key or global id.

    Raises:
        NotFoundError: no such check in the caller's project (another project's
            check is not found either: GraphQL does not reveal that it exists).
    """
    checks = context.services.checks
    try:
        if is_canonical_uuid(check_id):
            return await checks.get(principal.project, check_id)
        if _UNIQUE_KEY.match(check_id):
            return await checks.get_by_unique_key(principal.project, check_id)
        type_name, local = decode_global_id(check_id)
        if type_name != "Check":
            raise NotFoundError("not a check")
        return await checks.get_by_unique_key(principal.project, local)
    except (ForbiddenError, InvalidInputError, NotFoundError):
        raise NotFoundError("no such check") from None


def render(context: Context, check: DomainCheck) -> Check:
    site_root = context.services.settings.site_root.rstrip("/")
    return Check.from_domain(check, context.services.clock(), site_root)


async def create_check(context: Context, data: CheckInput) -> CreateCheckPayload:
    principal = require_writer(context)
    try:
        check, created = await context.services.checks.create(
            principal.project, spec_body(data), version=3
        )
    except SpecError as error:
        raise _graphql_spec_error(error) from None
    return CreateCheckPayload(check=render(context, check), created=created)


async def update_check(context: Context, check_id: str, data: CheckInput) -> Check:
    principal = require_writer(context)
    if data.unique is not UNSET:
        raise InvalidInputError("unique", "is only for createCheck")
    check = await check_for(context, principal, check_id)
    try:
        updated = await context.services.checks.update(
            principal.project, check.uuid, spec_body(data), version=3
        )
    except SpecError as error:
        raise _graphql_spec_error(error) from None
    return render(context, updated)


async def ping_check(
    context: Context,
    check_id: str,
    kind: PingCheckKind,
    exit_status: int | None,
    body: str | None,
    run_id: str | None,
) -> Check:
    principal = require_writer(context)
    check = await check_for(context, principal, check_id)
    if exit_status is not None and not 0 <= exit_status <= 255:
        raise InvalidInputError("exitStatus", "must be between 0 and 255")
    if exit_status is not None and kind is not PingCheckKind.SUCCESS:
        raise InvalidInputError("exitStatus", "goes only with kind SUCCESS")
    request = context.request
    client = request.client.host if request is not None and request.client else None
    ua = request.headers.get("user-agent", "") if request is not None else ""
    try:
        await context.services.pings.ping_uuid(
            check.uuid,
            PingRequest(
                method="POST",
                body=(body or "").encode(),
                action=kind.value,
                exit_status=exit_status,
                rid=run_id,
                remote_addr=client,
                scheme="graphql",
                ua=ua,
            ),
        )
    except InvalidInputError as error:
        if error.reason == "invalid uuid format":
            raise InvalidInputError("runId", "is not a UUID") from None
        raise
    return render(context, await context.services.checks.get(principal.project, check.uuid))
