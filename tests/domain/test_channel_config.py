import pytest

from gateway.domain.channel_config import (
    EmailConfig,
    WebhookConfig,
    channel_id,
    parse_channels,
)
from gateway.errors import ConfigurationError

GOOD = """
[[channels]]
project = "alpha"
name = "ops hook"
kind = "webhook"
url = "https://hooks.example.com/$CODE"
method = "PUT"
headers = { Authorization = "Bearer s3cret-token" }
body = "$NAME is $STATUS"

[[channels]]
project = "alpha"
name = "ops mail"
kind = "email"
to = ["ops@example.com", "oncall@example.com"]
from = "healthgate <hg@example.com>"
smtp_host = "smtp.example.com"
smtp_port = 587
smtp_username = "hg"
smtp_password = "hunter2-password"
smtp_starttls = true

[[channels]]
project = "beta"
name = "ops hook"
kind = "webhook"
url = "http://10.0.0.1:8080/hook"
"""


def test_it_reads_every_key():
    hook, mail, other = parse_channels(GOOD, "channels.toml")
    assert (hook.project, hook.name, hook.kind) == ("alpha", "ops hook", "webhook")
    assert WebhookConfig.from_config(hook.config) == WebhookConfig(
        url="https://hooks.example.com/$CODE",
        method="PUT",
        headers={"Authorization": "Bearer s3cret-token"},
        body="$NAME is $STATUS",
    )
    assert EmailConfig.from_config(mail.config) == EmailConfig(
        to=("ops@example.com", "oncall@example.com"),
        sender="healthgate <hg@example.com>",
        smtp_host="smtp.example.com",
        smtp_port=587,
        smtp_username="hg",
        smtp_password="hunter2-password",
        smtp_starttls=True,
        smtp_tls=False,
    )
    assert WebhookConfig.from_config(other.config) == WebhookConfig("http://10.0.0.1:8080/hook")


def test_ids_are_stable_uuids_of_project_and_name():
    hook, mail, other = parse_channels(GOOD, "channels.toml")
    assert hook.id == channel_id("alpha", "ops hook")
    assert [c.id for c in parse_channels(GOOD, "x")] == [hook.id, mail.id, other.id]
    assert len({hook.id, mail.id, other.id}) == 3
    # Pinned: checks store these ids, so they must never change between releases.
    assert hook.id == "d9cf687d-0830-502d-a19e-a035e7e15ea7"


def test_email_defaults():
    text = """
[[channels]]
project = "alpha"
name = "m"
kind = "email"
to = ["a@example.com"]
from = "hg@example.com"
smtp_host = "localhost"
"""
    (mail,) = parse_channels(text, "f")
    config = EmailConfig.from_config(mail.config)
    assert (config.smtp_port, config.smtp_starttls, config.smtp_tls) == (25, None, False)
    assert config.smtp_username is None
    tls = parse_channels(text + "smtp_tls = true\n", "f")[0]
    assert EmailConfig.from_config(tls.config).smtp_port == 465


def test_an_empty_file_declares_nothing():
    assert parse_channels("", "f") == []
    assert parse_channels("channels = []", "f") == []


HOOK = '[[channels]]\nproject = "alpha"\nname = "h"\nkind = "webhook"\nurl = "https://x.test/"\n'
MAIL = (
    '[[channels]]\nproject = "alpha"\nname = "m"\nkind = "email"\nto = ["a@example.com"]\n'
    'from = "hg@example.com"\nsmtp_host = "localhost"\n'
)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[channels]\n", "f: not valid TOML"),
        ("other = 1\n", "f: unknown top-level key 'other'"),
        ("channels = 3\n", "f: 'channels' must be an array of tables"),
        (HOOK + "colour = 'red'\n", "f: [[channels]] table 1, key 'colour': is not a key"),
        (HOOK + "to = ['a@example.com']\n", "table 1, key 'to': is not a key of webhook channels"),
        (HOOK.replace('"alpha"', '"Alpha"'), "table 1, key 'project': must be 1-63 lowercase"),
        (HOOK.replace('name = "h"\n', ""), "table 1, key 'name': is required"),
        (HOOK.replace('name = "h"', 'name = "  "'), "table 1, key 'name': must not be empty"),
        (HOOK.replace('"webhook"', '"slack"'), "table 1, key 'kind': must be 'webhook' or 'email'"),
        (HOOK.replace('"https://x.test/"', "1"), "table 1, key 'url': must be a string"),
        (HOOK.replace("https://x.test/", "ftp://x.test/"), "key 'url': must be an http:// or"),
        (HOOK + "method = 'TRACE'\n", "key 'method': must be one of GET, POST, PUT, PATCH, DELETE"),
        (HOOK + "headers = 'x'\n", "key 'headers': must be a table"),
        (HOOK + "headers = { 'a b' = 'x' }\n", "key 'headers': 'a b' is not a valid header name"),
        (HOOK + "headers = { X = 1 }\n", "key 'headers': the value of 'X' must be a one-line"),
        (HOOK + "body = 1\n", "key 'body': must be a string"),
        (HOOK + "\n" + HOOK, "f: [[channels]] table 2, key 'name': duplicates table 1"),
        (MAIL.replace('["a@example.com"]', "[]"), "key 'to': must be a non-empty list"),
        (MAIL.replace('["a@example.com"]', '"a@example.com"'), "key 'to': must be a non-empty"),
        (MAIL.replace('["a@example.com"]', '["nobody"]'), "key 'to': must hold e-mail addresses"),
        (MAIL.replace('"hg@example.com"', '"hg"'), "key 'from': must be an e-mail address"),
        (MAIL + "smtp_port = true\n", "key 'smtp_port': must be an integer from 1 to 65535"),
        (MAIL + "smtp_port = 70000\n", "key 'smtp_port': must be an integer from 1 to 65535"),
        (MAIL + "smtp_tls = 'yes'\n", "key 'smtp_tls': must be true or false"),
        (MAIL + "smtp_tls = true\nsmtp_starttls = true\n", "key 'smtp_starttls': cannot be"),
        (MAIL + "smtp_username = 'u'\n", "key 'smtp_password': is required when the other"),
        (MAIL + "url = 'https://x.test/'\n", "key 'url': is not a key of email channels"),
    ],
)
def test_it_names_file_table_and_key(text, message):
    with pytest.raises(ConfigurationError) as caught:
        parse_channels(text, "f")
    assert message in caught.value.message


def test_errors_never_echo_secret_values():
    text = MAIL + "smtp_password = 'hunter2-password'\n" + "smtp_port = 'hunter3'\n"
    with pytest.raises(ConfigurationError) as caught:
        parse_channels(text, "f")
    assert "hunter" not in caught.value.message
    hook = HOOK + "headers = { 'Bad Name' = 'Bearer token-123' }\n"
    with pytest.raises(ConfigurationError) as caught:
        parse_channels(hook, "f")
    assert "token-123" not in caught.value.message


def test_the_password_is_not_in_the_repr():
    config = EmailConfig(("a@example.com",), "b@example.com", "h", smtp_password="hunter2")
    assert "hunter2" not in repr(config)
