"""Status badges: their state, the signatures in their URLs and their three formats.

Pure: no I/O. The signature is healthgate's own (Healthchecks' cannot be checked
without its secret key), an HMAC keyed by ``secret_key`` over the project's
badge key and the tag.

Usage::

    sig = badge_signature(secret, project.badge_key, "db", three_state=False)
    three_state = verify_signature(secret, project.badge_key, "db", sig)  # False
    summary = summarize([Status.UP, Status.GRACE], three_state=True)       # late
    body, media_type = render(BadgeFormat.SVG, "db", summary)
"""

import base64
import enum
import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypedDict
from xml.sax.saxutils import escape

from gateway.domain.status import Status

__all__ = [
    "BadgeFormat",
    "BadgeJson",
    "BadgeState",
    "BadgeSummary",
    "ShieldsJson",
    "badge_signature",
    "render",
    "render_svg",
    "summarize",
    "text_width",
    "verify_signature",
]

_SIG_LENGTH = 8
_TWO_STATE_SUFFIX = "-2"


class BadgeState(enum.StrEnum):
    UP = "up"
    LATE = "late"
    DOWN = "down"

    @property
    def colour(self) -> str:
        return _COLOURS[self]

    @property
    def shields_colour(self) -> str:
        return _SHIELDS_COLOURS[self]


_COLOURS = {BadgeState.UP: "#4c1", BadgeState.LATE: "#fe7d37", BadgeState.DOWN: "#e05d44"}
_SHIELDS_COLOURS = {
    BadgeState.UP: "success",
    BadgeState.LATE: "important",
    BadgeState.DOWN: "critical",
}


class BadgeJson(TypedDict):
    status: str
    total: int
    grace: int
    down: int


class ShieldsJson(TypedDict):
    schemaVersion: int
    label: str
    message: str
    color: str


class BadgeFormat(enum.StrEnum):
    SVG = "svg"
    JSON = "json"
    SHIELDS = "shields"


@dataclass(frozen=True)
class BadgeSummary:
    """What a badge reports: its state and the counts behind it."""

    state: BadgeState
    total: int
    grace: int
    down: int


def summarize(statuses: Iterable[Status], *, three_state: bool) -> BadgeSummary:
    """The badge of a group of checks, from each one's displayed status.

    Any down makes it down; otherwise any in grace makes it late, but only on a
    3-state badge (a 2-state one stays up). New and paused checks count as up.
    """
    total = grace = down = 0
    for status in statuses:
        total += 1
        if status is Status.DOWN:
            down += 1
        elif status is Status.GRACE:
            grace += 1
    if down:
        state = BadgeState.DOWN
    elif grace and three_state:
        state = BadgeState.LATE
    else:
        state = BadgeState.UP
    return BadgeSummary(state, total, grace, down)


def _digest(secret: str, badge_key: str, tag: str) -> str:
    message = f"healthgate.badge\0{badge_key}\0{tag}".encode()
    mac = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode()[:_SIG_LENGTH]


def badge_signature(secret: str, badge_key: str, tag: str, *, three_state: bool) -> str:
    """The ``<sig>`` part of a tag badge URL: 8 characters, plus ``-2`` for 2-state."""
    sig = _digest(secret, badge_key, tag)
    return sig if three_state else sig + _TWO_STATE_SUFFIX


def verify_signature(secret: str, badge_key: str, tag: str, sig: str) -> bool | None:
    """Whether ``sig`` is 3-state (True) or 2-state (False); None when it is not ours.

    As Healthchecks does, only the first 8 characters are compared, and a
    10-character signature ending in ``-2`` asks for 2 states.
    """
    expected = _digest(secret, badge_key, tag)
    if not hmac.compare_digest(expected.encode(), sig[:_SIG_LENGTH].encode()):
        return None
    return not (len(sig) == _SIG_LENGTH + 2 and sig.endswith(_TWO_STATE_SUFFIX))


# Approximate advance widths, in pixels, of 11 px Verdana: enough to size a badge
# so that its text neither overflows nor leaves a wide gap.
_NARROW = frozenset("fijlrt1I!.,:;'|()[] -")
_WIDE = frozenset("mwMW%@")
_CAPITAL_WIDTH = 8


def text_width(text: str) -> int:
    """The estimated rendered width of ``text`` on a badge."""
    width = 0
    for char in text:
        if char in _NARROW:
            width += 4
        elif char in _WIDE:
            width += 10
        elif char.isupper():
            width += _CAPITAL_WIDTH
        else:
            width += 7
    return width


_PADDING = 10


def render_svg(label: str, state: BadgeState) -> str:
    """A flat two-part badge: ``label`` on grey, the state on its colour."""
    left = text_width(label) + _PADDING
    right = text_width(state.value) + _PADDING
    total = left + right
    text = escape(label)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" '
        f'role="img" aria-label="{escape(label, {chr(34): "&quot;"})}: {state.value}">'
        f"<title>{text}: {state.value}</title>"
        '<linearGradient id="s" x2="0" y2="100%">'
        '<stop offset="0" stop-color="#bbb" stop-opacity=".1"/>'
        '<stop offset="1" stop-opacity=".1"/></linearGradient>'
        f'<clipPath id="r"><rect width="{total}" height="20" rx="3" fill="#fff"/></clipPath>'
        '<g clip-path="url(#r)">'
        f'<rect width="{left}" height="20" fill="#555"/>'
        f'<rect x="{left}" width="{right}" height="20" fill="{state.colour}"/>'
        f'<rect width="{total}" height="20" fill="url(#s)"/></g>'
        '<g fill="#fff" text-anchor="middle" '
        'font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">'
        f'<text x="{left / 2}" y="15" fill="#010101" fill-opacity=".3">{text}</text>'
        f'<text x="{left / 2}" y="14">{text}</text>'
        f'<text x="{left + right / 2}" y="15" fill="#010101" fill-opacity=".3">'
        f"{state.value}</text>"
        f'<text x="{left + right / 2}" y="14">{state.value}</text></g></svg>'
    )


def render(fmt: BadgeFormat, label: str, summary: BadgeSummary) -> tuple[str, str]:
    """The badge body in ``fmt`` and its media type."""
    if fmt is BadgeFormat.SVG:
        return render_svg(label, summary.state), "image/svg+xml"
    if fmt is BadgeFormat.JSON:
        counts: BadgeJson = {
            "status": summary.state.value,
            "total": summary.total,
            "grace": summary.grace,
            "down": summary.down,
        }
        return json.dumps(counts), "application/json"
    shields: ShieldsJson = {
        "schemaVersion": 1,
        "label": label,
        "message": summary.state.value,
        "color": summary.state.shields_colour,
    }
    return json.dumps(shields), "application/json"
