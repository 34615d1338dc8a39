import json
from datetime import UTC, datetime, timedelta

from gateway.domain.channel_config import EmailConfig, WebhookConfig
from gateway.domain.notifications import (
    backoff_delay,
    email_message,
    render_template,
    webhook_request,
)
from gateway.domain.status import Flip, SourceKind, SourceRef, Status

AT = datetime(2026, 1, 15, 11, 58, 30, 123456, tzinfo=UTC)
NOW = datetime(2026, 1, 15, 12, 0, 5, 999999, tzinfo=UTC)
CODE = "7c1d2c43-1c9e-4f5b-9d55-2f6a4b1e0d3a"


def _flip(name="nightly backup", to=Status.DOWN, reason="timeout"):
    return Flip("alpha", SourceRef(SourceKind.CHECK, CODE), name, Status.UP, to, AT, reason)


def test_it_replaces_every_placeholder():
    text = "$CODE|$NAME|$STATUS|$NOW|$PROJECT|$REASON|$OTHER|$$NAME"
    assert render_template(text, _flip(), NOW) == (
        f"{CODE}|nightly backup|down|2026-01-15T12:00:05+00:00|alpha|timeout|$OTHER|$nightly backup"
    )


def test_json_is_the_notification_document():
    assert json.loads(render_template("$JSON", _flip(), NOW)) == {
        "project": "alpha",
        "code": CODE,
        "name": "nightly backup",
        "status": "down",
        "previous_status": "up",
        "at": "2026-01-15T11:58:30+00:00",
        "reason": "timeout",
        "now": "2026-01-15T12:00:05+00:00",
    }


def test_values_in_urls_are_encoded():
    flip = _flip(name="a/b c&d")
    assert render_template("https://x.test/$NAME?s=$STATUS", flip, NOW, url=True) == (
        "https://x.test/a%2Fb%20c%26d?s=down"
    )


def test_the_default_webhook_request_posts_json():
    request = webhook_request(WebhookConfig("https://x.test/$CODE"), _flip(to=Status.UP), NOW)
    assert request.method == "POST"
    assert request.url == f"https://x.test/{CODE}"
    assert request.headers == {"Content-Type": "application/json"}
    assert json.loads(request.body)["status"] == "up"


def test_a_webhook_template_fills_body_and_headers():
    config = WebhookConfig(
        "https://x.test/",
        "PUT",
        {"X-Check": "$NAME", "content-type": "text/plain"},
        "$NAME is $STATUS",
    )
    request = webhook_request(config, _flip(), NOW)
    assert request.method == "PUT"
    assert request.headers == {"X-Check": "nightly backup", "content-type": "text/plain"}
    assert request.body == b"nightly backup is down"


def test_a_name_cannot_add_a_header_line():
    config = WebhookConfig("https://x.test/", headers={"X-Check": "$NAME"})
    request = webhook_request(config, _flip(name="a\r\nX-Evil: 1"), NOW)
    assert request.headers["X-Check"] == "a X-Evil: 1"


def test_a_get_webhook_has_no_body():
    request = webhook_request(WebhookConfig("https://x.test/", "GET", body="$NAME"), _flip(), NOW)
    assert request.body == b""


def test_the_email_names_check_status_and_time():
    config = EmailConfig(("a@example.com", "b@example.com"), "hg@example.com", "localhost")
    message = email_message(config, _flip(), NOW)
    assert message["Subject"] == "nightly backup is DOWN"
    assert message["To"] == "a@example.com, b@example.com"
    assert message["From"] == "hg@example.com"
    body = message.get_content()
    assert 'The check "nightly backup" in project alpha is DOWN.' in body
    assert "Changed:  2026-01-15T11:58:30+00:00 (up -> down)" in body
    assert "Reason:   timeout" in body


def test_an_unnamed_check_is_named_by_its_uuid():
    config = EmailConfig(("a@example.com",), "hg@example.com", "localhost")
    assert email_message(config, _flip(name=""), NOW)["Subject"] == f"{CODE} is DOWN"


def test_backoff_doubles_up_to_the_cap():
    assert [backoff_delay(n, 30, 200).total_seconds() for n in range(1, 6)] == [
        30,
        60,
        120,
        200,
        200,
    ]
    assert backoff_delay(100, 30, 3600) == timedelta(hours=1)
