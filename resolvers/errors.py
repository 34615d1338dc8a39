"""How healthgate errors reach GraphQL clients: ``extensions.code`` on the error.

Expected failures (``HealthgateError``) keep their message and get a code;
anything else is masked as "Unexpected error." and logged with the request id.
"""

import logging

from graphql import GraphQLError

from gateway.errors import (
    AuthError,
    ConflictError,
    ForbiddenError,
    HealthgateError,
    InvalidInputError,
    LimitExceededError,
    NotFoundError,
    StoreUnavailableError,
)
from gateway.requestid import current_request_id

__all__ = ["error_code", "should_mask_error"]

log = logging.getLogger("healthgate.graphql")

_CODES: list[tuple[type[HealthgateError], str]] = [
    (AuthError, "UNAUTHENTICATED"),
    (ForbiddenError, "FORBIDDEN"),
    (NotFoundError, "NOT_FOUND"),
    (ConflictError, "CONFLICT"),
    (InvalidInputError, "BAD_USER_INPUT"),
    (LimitExceededError, "LIMIT_EXCEEDED"),
    (StoreUnavailableError, "STORE_UNAVAILABLE"),
]


def error_code(error: HealthgateError) -> str:
    for cls, code in _CODES:
        if isinstance(error, cls):
            return code
    return "INTERNAL"


def should_mask_error(error: GraphQLError) -> bool:
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        return False  # syntax and validation errors are the client's to read
    if isinstance(original, HealthgateError):
        error.extensions = {**(error.extensions or {}), "code": error_code(original)}
        if isinstance(original, InvalidInputError) and original.field:
            error.extensions["field"] = original.field
        return False
    log.error(
        "unexpected error in %s (request %s)", error.path, current_request_id(), exc_info=original
    )
    return True
