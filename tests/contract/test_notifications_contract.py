"""The storage contract of the notification queue and the ``notifications`` collection."""

from datetime import UTC, datetime, timedelta

from gateway.domain.notifications import NotificationAttempt
from gateway.domain.status import Flip, SourceKind, SourceRef, Status

NOW = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def _flip(minutes: int) -> Flip:
    return Flip(
        "alpha",
        SourceRef(SourceKind.CHECK, "c1"),
        "c1",
        Status.UP,
        Status.DOWN,
        NOW + timedelta(minutes=minutes),
    )


async def test_the_notifications_indexes_exist(contract_store):
    assert {"by_flip", "by_channel"} <= await contract_store.index_names("notifications")


async def test_a_round_keeps_reached_channels_and_waits_for_its_retry(contract_store):
    flips = contract_store.flips
    stored = await flips.insert(_flip(0), notify_channels=["a", "b"])
    lease = NOW + timedelta(seconds=30)
    claimed = await flips.claim_pending(NOW, lease)
    assert claimed is not None
    assert (claimed.delivered, claimed.attempts) == ([], 0)
    retry_at = NOW + timedelta(minutes=5)
    await flips.record_round(stored.id, delivered=["a"], attempts=1, next_attempt_at=retry_at)
    assert await flips.claim_pending(retry_at - timedelta(seconds=1), lease) is None
    again = await flips.claim_pending(retry_at, retry_at + timedelta(seconds=30))
    assert again is not None
    assert (again.channels, again.delivered, again.attempts) == (["a", "b"], ["a"], 1)
    await flips.record_round(stored.id, delivered=["a"], attempts=2, next_attempt_at=retry_at)
    later = await flips.claim_pending(retry_at + timedelta(hours=1), retry_at + timedelta(hours=2))
    assert later is not None
    assert later.delivered == ["a"]  # a set: reaching "a" twice keeps it once
    await flips.mark_failed(stored.id, attempts=3, now=retry_at)
    assert await flips.notify_state(stored.id) == "failed"
    assert await flips.claim_pending(retry_at + timedelta(days=1), retry_at) is None


async def test_a_flip_without_channels_has_no_notify_state(contract_store):
    stored = await contract_store.flips.insert(_flip(0))
    assert await contract_store.flips.notify_state(stored.id) is None


async def test_attempts_are_listed_per_flip_and_per_channel(contract_store):
    repo = contract_store.notifications

    def attempt(flip: str, channel: str, n: int, ok: bool, minutes: int) -> NotificationAttempt:
        at = NOW + timedelta(minutes=minutes)
        return NotificationAttempt(flip, channel, "alpha", n, ok, "" if ok else "boom", 12.5, at)

    await repo.insert_many(
        [
            attempt("f1", "b", 1, False, 0),
            attempt("f1", "a", 1, True, 0),
            attempt("f1", "b", 2, True, 5),
            attempt("f2", "b", 1, True, 7),
        ]
    )
    await repo.insert_many([])
    assert [(a.channel_id, a.attempt, a.ok) for a in await repo.for_flip("f1")] == [
        ("a", 1, True),
        ("b", 1, False),
        ("b", 2, True),
    ]
    recent = await repo.for_channel("b", limit=2)
    assert [(a.flip_id, a.attempt, a.at) for a in recent] == [
        ("f2", 1, NOW + timedelta(minutes=7)),
        ("f1", 2, NOW + timedelta(minutes=5)),
    ]
    assert recent[0].error == ""
    assert (await repo.for_flip("f1"))[1].error == "boom"
    assert (await repo.for_flip("f1"))[1].latency_ms == 12.5
