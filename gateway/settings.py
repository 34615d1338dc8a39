"""All configuration, read once from the environment (``HEALTHGATE_*`` and ``MONGODB_URI``)."""

from typing import Annotated, Literal

from pydantic import AliasChoices, Field, FilePath, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from gateway.domain.keys import BootstrapKey, parse_bootstrap_keys
from gateway.domain.netaddr import AddressList

__all__ = ["Settings"]

LogLevel = Literal["critical", "error", "warning", "info", "debug"]

_PLACEHOLDER_SECRET = "change-me-development-only"


class Settings(BaseSettings):
    """healthgate's settings. Tests build ``Settings(...)`` directly.

    Usage: ``Settings(bootstrap_keys="default:read-write:" + "k" * 32)``
    """

    model_config = SettingsConfigDict(
        env_prefix="HEALTHGATE_",
        extra="forbid",
        secrets_dir=None,
        validate_default=True,
    )

    # --- server ---------------------------------------------------------------
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    log_level: LogLevel = "info"
    environment: Literal["development", "production"] = "development"
    site_root: str = Field(
        default="http://localhost:8000",
        description="Public base URL, used in URLs the API returns (ping_url, badge URLs ...).",
    )
    secret_key: SecretStr = Field(
        default=SecretStr(_PLACEHOLDER_SECRET),
        description="Signs badge URLs. Must be set outside development.",
    )

    # --- storage --------------------------------------------------------------
    mongodb_uri: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("MONGODB_URI", "HEALTHGATE_MONGODB_URI")
    )
    database: str = Field(default="healthgate", min_length=1, max_length=63)
    db_timeout: float = Field(
        default=2.0, gt=0, le=2.0, description="Seconds the health route waits for the database."
    )

    # --- keys -----------------------------------------------------------------
    bootstrap_keys: SecretStr | None = None
    create_default_project: bool = Field(
        default=True,
        description="On an empty store without bootstrap keys, create project 'default' "
        "with a read-write and a read-only key and print them once.",
    )

    # --- health route ---------------------------------------------------------
    health_allow_list: Annotated[str, NoDecode] = "127.0.0.1,::1"
    trusted_proxies: Annotated[str, NoDecode] = "127.0.0.1,::1"

    # --- sources and loop -----------------------------------------------------
    sources_file: FilePath | None = None
    loop_enabled: bool = True
    loop_concurrency: int = Field(default=64, ge=1, le=10_000)
    loop_idle_seconds: float = Field(default=0.5, gt=0, le=60)
    loop_lease_seconds: float = Field(default=30.0, gt=0, le=3600)
    loop_max_body_bytes: int = Field(default=64 * 1024, ge=1024, le=16 * 1024 * 1024)
    loop_jitter_seconds: float = Field(
        default=2.0, ge=0, le=300, description="Largest random shift of a probe's next time."
    )
    probe_history_seconds: int = Field(
        default=86_400, ge=60, le=90 * 86_400, description="How long probe results are kept."
    )
    confluent_rate_limit: int = Field(
        default=60, ge=1, le=100_000, description="Confluent status requests per key per window."
    )
    confluent_rate_window_seconds: int = Field(default=60, ge=1, le=3600)

    # --- GraphQL --------------------------------------------------------------
    graphql_max_depth: int = Field(default=12, ge=2, le=100)
    graphql_max_aliases: int = Field(default=30, ge=1, le=1000)
    graphql_max_tokens: int = Field(default=5000, ge=100, le=100_000)
    graphql_max_page_size: int = Field(default=100, ge=1, le=10_000)
    ws_connection_init_timeout: float = Field(default=10.0, gt=0, le=300)
    ws_keep_alive_seconds: float = Field(default=15.0, gt=0, le=300)
    event_bus: Literal["memory", "changestream"] = "memory"
    subscriber_queue_size: int = Field(default=1000, ge=1, le=1_000_000)

    # --- checks and pings (Healthchecks API) ------------------------------------
    check_limit: int = Field(
        default=10_000, ge=1, description="Checks per project; creating more answers 403."
    )
    ping_log_limit: int = Field(
        default=100, ge=1, le=100_000, description="Newest pings kept per check."
    )
    ping_body_limit: int = Field(
        default=100_000, ge=0, description="Bytes of a ping body that are kept (0: none)."
    )
    sweep_interval_seconds: float = Field(
        default=1.0, gt=0, le=60, description="How often overdue checks are looked for."
    )

    # --- channels and notifications --------------------------------------------
    channels_file: FilePath | None = Field(
        default=None, description="TOML file of webhook and e-mail channels per project."
    )
    notify_max_attempts: int = Field(
        default=8, ge=1, le=100, description="Delivery attempts per flip and channel."
    )
    notify_backoff_seconds: float = Field(
        default=30.0, gt=0, le=3600, description="Wait after the first failed attempt; doubles."
    )
    notify_backoff_max_seconds: float = Field(default=3600.0, gt=0, le=86_400)
    notify_timeout_seconds: float = Field(
        default=10.0, gt=0, le=120, description="Time limit of one delivery attempt."
    )
    notify_concurrency: int = Field(default=8, ge=1, le=1000)

    # --- badges ---------------------------------------------------------------
    badge_label: str = Field(
        default="healthgate",
        min_length=1,
        max_length=100,
        description="Label of the badge of all checks (Healthchecks' MASTER_BADGE_LABEL).",
    )

    @field_validator("sources_file", "channels_file", "mongodb_uri", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        # `VAR=` (as docker-compose passes an unset ${VAR:-}) means "not given".
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("health_allow_list", "trusted_proxies")
    @classmethod
    def _address_list(cls, value: str) -> str:
        AddressList.parse(value)  # raises ValueError with the offending item
        return value

    @field_validator("bootstrap_keys")
    @classmethod
    def _bootstrap_keys(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            parse_bootstrap_keys(value.get_secret_value())
        return value

    @model_validator(mode="after")
    def _no_placeholder_secret_in_production(self) -> "Settings":
        if (
            self.environment == "production"
            and self.secret_key.get_secret_value() == _PLACEHOLDER_SECRET
        ):
            raise ValueError(
                "HEALTHGATE_SECRET_KEY must be set when HEALTHGATE_ENVIRONMENT=production"
            )
        return self

    @model_validator(mode="after")
    def _changestream_needs_mongodb(self) -> "Settings":
        if self.event_bus == "changestream" and self.mongodb_uri is None:
            raise ValueError(
                "HEALTHGATE_EVENT_BUS=changestream needs MONGODB_URI (a replica set): "
                "the embedded store has no change streams"
            )
        return self

    @property
    def allow_list(self) -> AddressList:
        return AddressList.parse(self.health_allow_list)

    @property
    def proxies(self) -> AddressList:
        return AddressList.parse(self.trusted_proxies)

    @property
    def bootstrap(self) -> list[BootstrapKey]:
        if self.bootstrap_keys is None:
            return []
        return parse_bootstrap_keys(self.bootstrap_keys.get_secret_value())
