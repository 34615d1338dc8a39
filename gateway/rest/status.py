"""The HTTP status each error of the tree means, where a vendor does not say otherwise."""

from gateway.errors import (
    AuthError,
    ConflictError,
    ForbiddenError,
    HealthgateError,
    InvalidInputError,
    LimitExceededError,
    NotFoundError,
    StoreUnavailableError,
    UpstreamError,
)

__all__ = ["status_for"]

_STATUS: list[tuple[type[HealthgateError], int]] = [
    (AuthError, 401),
    (ForbiddenError, 403),
    (NotFoundError, 404),
    (ConflictError, 409),
    (InvalidInputError, 400),
    (LimitExceededError, 403),
    (StoreUnavailableError, 503),
    (UpstreamError, 502),
]


def status_for(error: HealthgateError) -> int:
    for cls, status in _STATUS:
        if isinstance(error, cls):
            return status
    return 500
