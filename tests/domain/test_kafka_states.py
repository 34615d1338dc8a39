"""The one mapping of Kafka Connect and Confluent Cloud states (notes C.1)."""

import pytest

from gateway.domain.kafka import confluent_task_state, connector_state
from gateway.domain.status import Status


@pytest.mark.parametrize(
    ("state", "confluent", "status"),
    [
        # self-managed Kafka Connect (AbstractStatus.State)
        ("RUNNING", "RUNNING", Status.UP),
        ("PAUSED", "PAUSED", Status.PAUSED),
        ("STOPPED", "PAUSED", Status.PAUSED),
        ("FAILED", "FAILED", Status.DOWN),
        ("UNASSIGNED", "DEGRADED", Status.DEGRADED),
        ("RESTARTING", "DEGRADED", Status.DEGRADED),
        # Confluent Cloud
        ("NONE", "NONE", Status.UNKNOWN),
        ("PROVISIONING", "PROVISIONING", Status.UNKNOWN),
        ("DEGRADED", "DEGRADED", Status.DEGRADED),
        ("DELETED", "DELETED", Status.UNKNOWN),
        # anything else
        ("SOMETHING_NEW", "NONE", Status.UNKNOWN),
    ],
)
def test_each_connector_state_maps_to_the_documented_enum(state, confluent, status):
    assert connector_state(state, []) == (confluent, status)


@pytest.mark.parametrize(
    ("tasks", "expected"),
    [
        (["RUNNING", "RUNNING"], ("RUNNING", Status.UP)),
        (["RUNNING", "FAILED"], ("DEGRADED", Status.DEGRADED)),
        (["UNASSIGNED", "SYSTEM_ERROR"], ("DEGRADED", Status.DEGRADED)),
        (["FAILED", "FAILED"], ("FAILED", Status.DOWN)),
        (["USER_ACTIONABLE_ERROR"], ("FAILED", Status.DOWN)),
    ],
)
def test_failed_tasks_make_a_running_connector_degraded_or_failed(tasks, expected):
    assert connector_state("RUNNING", tasks) == expected


def test_failed_tasks_do_not_change_a_paused_connector():
    assert connector_state("PAUSED", ["FAILED"]) == ("PAUSED", Status.PAUSED)


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("RUNNING", "RUNNING"),
        ("PAUSED", "STOPPED"),
        ("FAILED", "SYSTEM_ERROR"),
        ("UNASSIGNED", "UNASSIGNED"),
        ("RESTARTING", "RESTARTING"),
        ("USER_ACTIONABLE_ERROR", "USER_ACTIONABLE_ERROR"),
    ],
)
def test_task_states_read_as_confluent_task_states(state, expected):
    assert confluent_task_state(state) == expected
