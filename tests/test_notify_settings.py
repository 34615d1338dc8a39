import pytest
from pydantic import ValidationError

from gateway.settings import Settings


def test_notification_and_badge_defaults():
    settings = Settings()
    assert (
        settings.channels_file,
        settings.notify_max_attempts,
        settings.notify_backoff_seconds,
        settings.notify_backoff_max_seconds,
        settings.notify_timeout_seconds,
        settings.notify_concurrency,
        settings.badge_label,
    ) == (None, 8, 30.0, 3600.0, 10.0, 8, "healthgate")


@pytest.mark.parametrize(
    "values",
    [
        {"notify_max_attempts": 0},
        {"notify_backoff_seconds": 0},
        {"notify_timeout_seconds": 121},
        {"notify_concurrency": 0},
        {"badge_label": ""},
        {"channels_file": "/nonexistent/channels.toml"},
    ],
)
def test_out_of_range_values_are_refused(values):
    with pytest.raises(ValidationError):
        Settings(**values)


def test_they_are_read_from_the_environment(monkeypatch, tmp_path):
    path = tmp_path / "channels.toml"
    path.write_text("")
    monkeypatch.setenv("HEALTHGATE_CHANNELS_FILE", str(path))
    monkeypatch.setenv("HEALTHGATE_NOTIFY_MAX_ATTEMPTS", "3")
    settings = Settings()
    assert settings.channels_file == path
    assert settings.notify_max_attempts == 3
