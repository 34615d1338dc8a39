import json

import pytest

from gateway.domain.badges import (
    BadgeFormat,
    BadgeState,
    BadgeSummary,
    badge_signature,
    render,
    render_svg,
    summarize,
    text_width,
    verify_signature,
)
from gateway.domain.status import Status

SECRET = "s" * 40
KEY = "6f1c1a52-6a39-4b35-9d0e-0a3e5c4b8d11"


@pytest.mark.parametrize(
    ("statuses", "three_state", "expected"),
    [
        ([], True, BadgeSummary(BadgeState.UP, 0, 0, 0)),
        ([Status.UP, Status.NEW, Status.PAUSED], True, BadgeSummary(BadgeState.UP, 3, 0, 0)),
        ([Status.UP, Status.GRACE], True, BadgeSummary(BadgeState.LATE, 2, 1, 0)),
        ([Status.UP, Status.GRACE], False, BadgeSummary(BadgeState.UP, 2, 1, 0)),
        ([Status.GRACE, Status.DOWN, Status.DOWN], True, BadgeSummary(BadgeState.DOWN, 3, 1, 2)),
        ([Status.DOWN], False, BadgeSummary(BadgeState.DOWN, 1, 0, 1)),
    ],
)
def test_it_summarizes_statuses(statuses, three_state, expected):
    assert summarize(statuses, three_state=three_state) == expected


def test_it_signs_8_characters_and_marks_two_state_with_a_suffix():
    three = badge_signature(SECRET, KEY, "db", three_state=True)
    two = badge_signature(SECRET, KEY, "db", three_state=False)
    assert len(three) == 8
    assert two == three + "-2"
    assert verify_signature(SECRET, KEY, "db", three) is True
    assert verify_signature(SECRET, KEY, "db", two) is False


def test_it_compares_only_the_first_8_characters():
    sig = badge_signature(SECRET, KEY, "db", three_state=True)
    assert verify_signature(SECRET, KEY, "db", sig + "xyz") is True
    assert verify_signature(SECRET, KEY, "db", sig + "-3") is True


@pytest.mark.parametrize(
    ("secret", "key", "tag"),
    [("t" * 40, KEY, "db"), (SECRET, KEY.replace("6", "7"), "db"), (SECRET, KEY, "dc")],
)
def test_a_signature_is_bound_to_secret_key_and_tag(secret, key, tag):
    sig = badge_signature(SECRET, KEY, "db", three_state=True)
    assert badge_signature(secret, key, tag, three_state=True) != sig
    assert verify_signature(secret, key, tag, sig) is None


def test_it_rejects_short_and_empty_signatures():
    sig = badge_signature(SECRET, KEY, "db", three_state=True)
    assert verify_signature(SECRET, KEY, "db", sig[:7]) is None
    assert verify_signature(SECRET, KEY, "db", "") is None


def test_the_svg_carries_label_state_and_colour():
    svg = render_svg("db", BadgeState.LATE)
    width = text_width("db") + 10 + text_width("late") + 10
    assert svg.startswith(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20"')
    assert 'fill="#fe7d37"' in svg
    assert svg.count(">db</text>") == 2
    assert svg.count(">late</text>") == 2


@pytest.mark.parametrize(
    ("state", "colour"),
    [(BadgeState.UP, "#4c1"), (BadgeState.LATE, "#fe7d37"), (BadgeState.DOWN, "#e05d44")],
)
def test_each_state_has_its_colour(state, colour):
    assert f'fill="{colour}"' in render_svg("x", state)


def test_the_svg_escapes_the_label():
    svg = render_svg('<a&"b>', BadgeState.UP)
    assert "&lt;a&amp;" in svg
    assert "<a&" not in svg


def test_text_width_grows_with_wide_letters():
    assert text_width("") == 0
    assert text_width("ii") < text_width("oo") < text_width("mm")
    assert text_width("OO") == 16


def test_json_and_shields_bodies():
    summary = BadgeSummary(BadgeState.DOWN, 4, 1, 2)
    body, media_type = render(BadgeFormat.JSON, "db", summary)
    assert media_type == "application/json"
    assert json.loads(body) == {"status": "down", "total": 4, "grace": 1, "down": 2}
    body, _ = render(BadgeFormat.SHIELDS, "db", summary)
    assert json.loads(body) == {
        "schemaVersion": 1,
        "label": "db",
        "message": "down",
        "color": "critical",
    }
    late, _ = render(BadgeFormat.SHIELDS, "db", BadgeSummary(BadgeState.LATE, 1, 1, 0))
    up, _ = render(BadgeFormat.SHIELDS, "db", BadgeSummary(BadgeState.UP, 1, 0, 0))
    assert json.loads(late)["color"] == "important"
    assert json.loads(up)["color"] == "success"
    svg, media_type = render(BadgeFormat.SVG, "db", summary)
    assert media_type == "image/svg+xml"
    assert svg == render_svg("db", BadgeState.DOWN)
