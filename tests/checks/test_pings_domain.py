"""Ping classification, run ids and durations."""

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from gateway.domain.checks import Check, Ping, PingKind
from gateway.domain.checks.naming import is_canonical_uuid, slugify, unique_key
from gateway.domain.checks.pings import classify, durations, parse_rid

T0 = datetime(2020, 6, 9, 14, 50, tzinfo=UTC)


def make(**fields) -> Check:
    base = Check(
        uuid="00000000-0000-4000-8000-000000000001", project="p", badge_key="b", created=T0
    )
    return dataclasses.replace(base, **fields)


@pytest.mark.parametrize(
    ("action", "exit_status", "expected"),
    [
        ("", None, PingKind.SUCCESS),
        ("start", None, PingKind.START),
        ("fail", None, PingKind.FAIL),
        ("log", None, PingKind.LOG),
        ("", 0, PingKind.SUCCESS),
        ("", 1, PingKind.FAIL),
        ("", 255, PingKind.FAIL),
    ],
)
def test_the_url_gives_the_kind(action, exit_status, expected):
    assert classify(make(), action, exit_status, "GET", "") is expected


def test_post_only_checks_ignore_other_methods():
    check = make(methods="POST")
    assert classify(check, "", None, "GET", "") is PingKind.IGN
    assert classify(check, "", None, "HEAD", "") is PingKind.IGN
    assert classify(check, "fail", None, "POST", "") is PingKind.FAIL


def test_body_keywords_are_tried_failure_then_success_then_start():
    check = make(filter_http_body=True, failure_kw="ERROR, FATAL", success_kw="OK", start_kw="GO")
    assert classify(check, "", None, "POST", "all OK but FATAL") is PingKind.FAIL
    assert classify(check, "", None, "POST", "all OK, GO") is PingKind.SUCCESS
    assert classify(check, "", None, "POST", "GO now") is PingKind.START
    assert classify(check, "", None, "POST", "ok in lower case") is PingKind.IGN
    strict = dataclasses.replace(check, filter_default_fail=True)
    assert classify(strict, "", None, "POST", "nothing") is PingKind.FAIL


def test_keyword_filtering_does_not_apply_to_ignored_methods():
    check = make(methods="POST", filter_http_body=True, failure_kw="ERROR")
    assert classify(check, "", None, "GET", "ERROR") is PingKind.IGN


def test_a_rid_must_be_a_canonical_uuid():
    assert parse_rid(None) is None
    assert parse_rid("123E4567-E89B-12D3-A456-426614174000") == (
        "123e4567-e89b-12d3-a456-426614174000"
    )
    for bad in (
        "nope",
        "123e4567e89b12d3a456426614174000",
        "{123e4567-e89b-12d3-a456-426614174000}",
    ):
        with pytest.raises(ValueError):  # noqa: PT011
            parse_rid(bad)


def _ping(n, kind, seconds, rid=None):
    return Ping(check="c", n=n, kind=kind, created=T0 + timedelta(seconds=seconds), rid=rid)


def test_overlapping_runs_pair_by_rid():
    a, b = "aaaaaaaa-0000-4000-8000-000000000000", "bbbbbbbb-0000-4000-8000-000000000000"
    pings = [
        _ping(1, PingKind.START, 0, a),
        _ping(2, PingKind.START, 60, b),
        _ping(3, PingKind.SUCCESS, 180, b),
        _ping(4, PingKind.SUCCESS, 300, a),
    ]
    assert durations(list(reversed(pings))) == {3: 120.0, 4: 300.0}


def test_durations_need_a_start_within_72_hours_and_skip_ping_one():
    pings = [
        _ping(1, PingKind.SUCCESS, 0),
        _ping(2, PingKind.START, 10),
        _ping(3, PingKind.SUCCESS, 10 + 72 * 3600 + 1),
        _ping(4, PingKind.START, 400000),
        _ping(5, PingKind.FAIL, 400002.004),
        _ping(6, PingKind.SUCCESS, 400005),
    ]
    assert durations(pings) == {5: 2.0}


def test_names_derived_from_a_check():
    assert slugify("  Backups: Über DB -- nightly ") == "backups-uber-db-nightly"
    assert unique_key("31365bce-8da9-4729-8ff3-aaa71d56b712") == (
        __import__("hashlib").sha1(b"31365bce8da94729").hexdigest()
    )
    assert is_canonical_uuid("31365bce-8da9-4729-8ff3-aaa71d56b712")
    assert not is_canonical_uuid("31365BCE-8DA9-4729-8FF3-AAA71D56B712")
    assert not is_canonical_uuid("31365bce8da947298ff3aaa71d56b712")
