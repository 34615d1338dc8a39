"""The one error tree of healthgate.

Errors carry data, never HTTP status codes; each surface (a vendor's REST
routes, GraphQL) maps them to the shape its contract documents::

    HealthgateError
     ├── NotFoundError            the object does not exist (for this caller)
     ├── AuthError                no key, or a key that is not valid
     ├── ForbiddenError           a valid key that may not do this
     ├── ConflictError            the object is not in a state that allows this
     ├── InvalidInputError        (field, reason): a value the caller sent is wrong
     ├── LimitExceededError       a quota (checks per project, rate) is used up
     ├── StoreUnavailableError    the database cannot be reached
     ├── ConfigurationError       settings or a sources file cannot be used
     └── UpstreamError            a probed upstream failed
          └── UpstreamTimeoutError
"""

__all__ = [
    "AuthError",
    "ConfigurationError",
    "ConflictError",
    "ForbiddenError",
    "HealthgateError",
    "InvalidInputError",
    "LimitExceededError",
    "NotFoundError",
    "StoreUnavailableError",
    "UpstreamError",
    "UpstreamTimeoutError",
]


class HealthgateError(Exception):
    """Base of every error healthgate raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFoundError(HealthgateError):
    """The object does not exist, or the caller may not know that it does."""


class AuthError(HealthgateError):
    """The request carries no API key, or one that is unknown or revoked."""


class ForbiddenError(HealthgateError):
    """The key is valid but its scope or project does not allow this."""


class ConflictError(HealthgateError):
    """The object is not in a state that allows the operation."""


class InvalidInputError(HealthgateError):
    """A value the caller sent is wrong.

    Usage: ``raise InvalidInputError("timeout", "is too small")``
    """

    def __init__(self, field: str | None, reason: str) -> None:
        super().__init__(f"{field} {reason}" if field else reason)
        self.field = field
        self.reason = reason


class LimitExceededError(HealthgateError):
    """A quota is used up (checks per project, requests per minute)."""


class StoreUnavailableError(HealthgateError):
    """The database cannot be reached; nothing was stored."""


class ConfigurationError(HealthgateError):
    """A setting or a sources file cannot be used; the message says which and why."""


class UpstreamError(HealthgateError):
    """A probed upstream answered with an error or could not be reached."""


class UpstreamTimeoutError(UpstreamError):
    """A probed upstream did not answer in time."""
