import pytest
from pydantic import ValidationError

from gateway.settings import Settings


def test_it_reads_every_setting_from_the_environment(monkeypatch, tmp_path):
    sources = tmp_path / "sources.toml"
    sources.write_text("")
    monkeypatch.setenv("HEALTHGATE_HOST", "0.0.0.0")
    monkeypatch.setenv("HEALTHGATE_PORT", "9000")
    monkeypatch.setenv("HEALTHGATE_DATABASE", "hg")
    monkeypatch.setenv("HEALTHGATE_LOG_LEVEL", "debug")
    monkeypatch.setenv("HEALTHGATE_HEALTH_ALLOW_LIST", "10.0.0.0/8,::1")
    monkeypatch.setenv("HEALTHGATE_TRUSTED_PROXIES", "")
    monkeypatch.setenv("HEALTHGATE_BOOTSTRAP_KEYS", "p:read-only:" + "k" * 32)
    monkeypatch.setenv("HEALTHGATE_SOURCES_FILE", str(sources))
    monkeypatch.setenv("HEALTHGATE_LOOP_CONCURRENCY", "8")
    monkeypatch.setenv("MONGODB_URI", "mongodb://db:27017/?replicaSet=rs0")
    settings = Settings()
    assert (settings.host, settings.port, settings.database) == ("0.0.0.0", 9000, "hg")
    assert settings.log_level == "debug"
    assert settings.allow_list.allows("10.9.9.9") is True
    assert settings.allow_list.allows("127.0.0.1") is False
    assert settings.proxies.is_empty is True
    assert [(b.project, b.scope.value) for b in settings.bootstrap] == [("p", "read-only")]
    assert settings.sources_file == sources
    assert settings.loop_concurrency == 8
    assert settings.mongodb_uri is not None
    assert settings.mongodb_uri.get_secret_value() == "mongodb://db:27017/?replicaSet=rs0"


def test_defaults_need_no_configuration():
    settings = Settings()
    assert settings.mongodb_uri is None
    assert settings.allow_list.allows("127.0.0.1") is True
    assert settings.allow_list.allows("::1") is True
    assert settings.allow_list.allows("192.0.2.1") is False
    assert settings.bootstrap == []
    assert settings.db_timeout <= 2


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("port", 0, "greater than or equal to 1"),
        ("health_allow_list", "127.0.0.1,nope", "'nope' is not an IP address"),
        ("bootstrap_keys", "p:read-only:short", "the key must be 32 characters"),
        ("db_timeout", 5, "less than or equal to 2"),
        ("unknown_setting", 1, "Extra inputs are not permitted"),
        ("sources_file", "/nonexistent/sources.toml", "Path does not point to a file"),
    ],
)
def test_it_refuses_bad_values(field, value, message):
    with pytest.raises(ValidationError, match=message):
        Settings(**{field: value})


def test_it_refuses_the_placeholder_secret_in_production():
    with pytest.raises(ValidationError, match="HEALTHGATE_SECRET_KEY must be set"):
        Settings(environment="production")
    assert Settings(environment="production", secret_key="s3cret-for-real").environment == (
        "production"
    )


def test_an_empty_variable_means_not_set(monkeypatch):
    for name in ("HEALTHGATE_SOURCES_FILE", "HEALTHGATE_CHANNELS_FILE", "MONGODB_URI"):
        monkeypatch.setenv(name, "")
    settings = Settings()
    assert (settings.sources_file, settings.channels_file, settings.mongodb_uri) == (
        None,
        None,
        None,
    )
