"""The sources file's rules: types, ranges, unknown keys and duplicates, each named."""

import pytest

from gateway.domain.probes import next_probe_at, retry_delay
from gateway.domain.sources import SpecError, parse_sources
from tests.conftest import NOW

CONNECTOR = {"project": "default", "name": "npmjs.org", "url": "https://registry.npmjs.org"}


def test_defaults_fill_what_the_file_leaves_out():
    parsed = parse_sources(
        {
            "connectors": [CONNECTOR],
            "services": [{"name": "captcha", "url": "http://m/api/v1/health/check"}],
            "kafka_clusters": [{"name": "prod", "url": "http://connect:8083"}],
        }
    )
    [connector] = parsed.connectors
    assert (connector.interval, connector.timeout, connector.expect_status) == (60, 10, (200, 299))
    assert connector.expect_keyword is None
    [service] = parsed.services
    assert (service.project, service.interval, service.timeout) == ("default", 30, 10)
    [cluster] = parsed.kafka_clusters
    assert (cluster.kind, cluster.environment, cluster.cluster) == (
        "kafka-connect",
        "default",
        "prod",
    )


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"intervall": 5}, "[[connectors]] entry 1: key 'intervall' is not a known key"),
        ({"interval": "60"}, "[[connectors]] entry 1: key 'interval' must be a number"),
        (
            {"interval": 0},
            "[[connectors]] entry 1: key 'interval' must be between 1 and 86400 (got 0)",
        ),
        (
            {"interval": 86401},
            "[[connectors]] entry 1: key 'interval' must be between 1 and 86400 (got 86401)",
        ),
        (
            {"timeout": 0.05},
            "[[connectors]] entry 1: key 'timeout' must be between 0.1 and 3600 (got 0.05)",
        ),
        (
            {"timeout": 3601},
            "[[connectors]] entry 1: key 'timeout' must be between 0.1 and 3600 (got 3601)",
        ),
        (
            {"url": "ftp://x"},
            "[[connectors]] entry 1: key 'url' must be an http:// or https:// URL",
        ),
        ({"name": 7}, "[[connectors]] entry 1: key 'name' must be a string"),
        (
            {"expect_status": [300, 200]},
            "[[connectors]] entry 1: key 'expect_status' "
            "must be [low, high] with 100 <= low <= high <= 599",
        ),
        (
            {"expect_status": [200]},
            "[[connectors]] entry 1: key 'expect_status' must be an array [low, high]",
        ),
        (
            {"project": "Bad Name"},
            "[[connectors]] entry 1: key 'project' "
            "must be 1-63 lowercase letters, digits, '.', '_' or '-'",
        ),
    ],
)
def test_a_bad_value_is_refused_naming_table_entry_and_key(entry, message):
    with pytest.raises(SpecError) as raised:
        parse_sources({"connectors": [{**CONNECTOR, **entry}]})
    assert str(raised.value) == message


def test_a_missing_required_key_is_named():
    with pytest.raises(SpecError, match=r"^\[\[services\]\] entry 1: key 'url' is required$"):
        parse_sources({"services": [{"name": "captcha"}]})


def test_one_second_intervals_are_allowed():
    parsed = parse_sources({"connectors": [{**CONNECTOR, "interval": 1, "timeout": 30}]})
    assert (parsed.connectors[0].interval, parsed.connectors[0].timeout) == (1, 30)


def test_a_duplicate_name_in_a_project_is_refused():
    with pytest.raises(SpecError) as raised:
        parse_sources({"connectors": [CONNECTOR, {**CONNECTOR, "url": "http://other"}]})
    assert str(raised.value) == (
        "[[connectors]] entry 2: key 'name' duplicates 'npmjs.org' in project 'default'"
    )
    # the same name in another project is another connector
    parse_sources({"connectors": [CONNECTOR, {**CONNECTOR, "project": "beta"}]})


def test_two_clusters_at_one_confluent_address_are_refused():
    first = {
        "project": "a",
        "name": "p",
        "url": "http://c",
        "environment_id": "e",
        "cluster_id": "x",
    }
    with pytest.raises(SpecError) as raised:
        parse_sources({"kafka_clusters": [first, {**first, "project": "b"}]})
    assert str(raised.value) == (
        "[[kafka_clusters]] entry 2: key 'cluster_id' duplicates cluster 'x' in environment 'e'"
    )


def test_an_unknown_table_or_kind_is_refused():
    with pytest.raises(SpecError, match=r"^\[\[checks\]\]: is not a known table"):
        parse_sources({"checks": []})
    with pytest.raises(
        SpecError, match="key 'kind' must be one of 'kafka-connect', 'confluent-cloud'"
    ):
        parse_sources({"kafka_clusters": [{"name": "p", "url": "http://c", "kind": "kafka"}]})


def test_a_table_that_is_not_an_array_is_refused():
    with pytest.raises(SpecError, match=r"must be an array of tables: \[\[connectors\]\]"):
        parse_sources({"connectors": CONNECTOR})


@pytest.mark.parametrize(
    ("failures", "delay"), [(0, 30), (1, 30), (2, 60), (3, 120), (4, 240), (5, 300), (9, 300)]
)
def test_backoff_doubles_and_stops_at_ten_intervals(failures, delay):
    assert retry_delay(30, failures) == delay


def test_jitter_stays_within_its_bound():
    import random

    rng = random.Random(7)
    seen = {(next_probe_at(NOW, 60, 0, 2.0, rng) - NOW).total_seconds() for _ in range(200)}
    assert min(seen) >= 58
    assert max(seen) <= 60  # earlier, never later than the interval
    assert len(seen) > 100
    # never more than 5 % of the interval: a 10 s interval moves by 0.5 s at most
    assert all(
        9.5 <= (next_probe_at(NOW, 10, 0, 2.0, rng) - NOW).total_seconds() <= 10 for _ in range(50)
    )
