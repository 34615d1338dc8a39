"""Validation of the create/update body, with Healthchecks' messages."""

import dataclasses
from datetime import UTC, datetime

import pytest

from gateway.domain.checks import Check, CheckKind
from gateway.domain.checks.spec import SpecError, apply_spec, matches, parse_spec, unique_lookup

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def error_of(body) -> str:
    with pytest.raises(SpecError) as caught:
        parse_spec(body)
    return caught.value.message


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"timeout": 59}, "timeout is too small"),
        ({"timeout": 31536001}, "timeout is too large"),
        ({"grace": "60"}, "grace is not a number"),
        ({"grace": True}, "grace is not a number"),
        ({"timeout": 60.0}, "timeout is not a number"),
        ({"timeout": None}, "timeout is not a number"),
        ({"name": "x" * 101}, "name is too long"),
        ({"name": 5}, "name is not a string"),
        ({"slug": "Upper"}, "slug does not match pattern"),
        ({"manual_resume": "yes"}, "manual_resume is not a boolean"),
        ({"methods": "GET"}, "methods has unexpected value"),
        ({"success_kw": "k" * 201}, "success_kw is too long"),
        ({"unique": None}, "unique is not an array"),
        ({"unique": ["uuid"]}, "an item in 'unique' has unexpected value"),
        ({"tz": "Europe/Surprise"}, "tz is not a valid timezone"),
        ({"schedule": "0 0 31 2 *"}, "schedule is not a valid cron or OnCalendar expression"),
        ({"schedule": "* * * * * *"}, "schedule is not a valid cron or OnCalendar expression"),
        ({"schedule": "1,2 61 * * *"}, "schedule is not a valid cron or OnCalendar expression"),
        ({"schedule": "12:34\nsurprise"}, "schedule is not a valid cron or OnCalendar expression"),
        ({"timeout": 10, "grace": 10}, "grace is too small"),
    ],
)
def test_it_reports_the_first_error(body, message):
    assert error_of(body) == f"json validation error: {message}"


def test_it_ignores_unknown_keys_and_rewrites_legacy_zones():
    spec = parse_spec({"api_key": "x", "tz": "Europe/Kiev", "whatever": 1})
    assert spec == {"tz": "Europe/Kyiv"}
    assert parse_spec({"tz": "UCT"}) == {"tz": "Etc/UTC"}
    assert parse_spec({"tz": "CET"}) == {"tz": "Europe/Brussels"}


def base() -> Check:
    return Check(
        uuid="00000000-0000-4000-8000-000000000001", project="p", badge_key="b", created=T0
    )


@pytest.mark.parametrize(("version", "slug"), [(1, "my-backups"), (2, "my-backups"), (3, "")])
def test_only_v1_and_v2_derive_the_slug_from_the_name(version, slug):
    check = apply_spec(base(), parse_spec({"name": "My Backups"}), version=version, channels=None)
    assert (check.name, check.slug) == ("My Backups", slug)
    explicit = apply_spec(
        base(), parse_spec({"name": "My Backups", "slug": "mine"}), version=2, channels=None
    )
    assert explicit.slug == "mine"


def test_a_schedule_wins_over_a_timeout():
    check = apply_spec(
        base(), parse_spec({"schedule": "*/5 * * * *", "timeout": 120}), version=3, channels=None
    )
    assert (check.kind, check.schedule, check.timeout) == (CheckKind.CRON, "*/5 * * * *", 86400)
    simple = apply_spec(check, parse_spec({"timeout": 120}), version=3, channels=None)
    assert (simple.kind, simple.timeout) == (CheckKind.SIMPLE, 120)


def test_subject_fields_mirror_keywords_and_an_explicit_filter_wins():
    check = apply_spec(
        base(), parse_spec({"subject": "OK", "subject_fail": "ERR"}), version=3, channels=None
    )
    assert (check.success_kw, check.failure_kw, check.filter_subject) == ("OK", "ERR", True)
    explicit = apply_spec(
        base(), parse_spec({"subject": "OK", "filter_subject": False}), version=3, channels=None
    )
    assert (explicit.success_kw, explicit.filter_subject) == ("OK", False)


def test_unique_lookup_needs_every_named_field():
    assert unique_lookup(parse_spec({"name": "a", "unique": []})) is None
    assert unique_lookup(parse_spec({"name": "a", "unique": ["name", "tags"]})) is None
    lookup = unique_lookup(parse_spec({"name": "a", "timeout": 60, "unique": ["name", "timeout"]}))
    assert lookup == {"name": "a", "timeout": 60}
    assert matches(dataclasses.replace(base(), name="a", timeout=60), lookup)
    assert not matches(dataclasses.replace(base(), name="a", timeout=61), lookup)
