"""When an event's personal data is due for deletion."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from bot.privacy.rules import deletion_due_at, is_due

EVENT_END = datetime(2025, 6, 10, 21, 0, tzinfo=timezone(timedelta(hours=2)))


def test_data_is_deleted_the_retention_days_after_the_event_ends() -> None:
    assert deletion_due_at(EVENT_END, 30) == datetime(2025, 7, 10, 19, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "due"),
    [
        (datetime(2025, 6, 2, 9, 0, tzinfo=UTC), False),  # before the event
        (datetime(2025, 6, 10, 20, 0, tzinfo=UTC), False),  # just after it ended
        (datetime(2025, 7, 10, 18, 59, 59, tzinfo=UTC), False),  # a second before the cutoff
        (datetime(2025, 7, 10, 19, 0, tzinfo=UTC), True),  # at the cutoff
        (datetime(2026, 1, 1, tzinfo=UTC), True),  # long after: still due, deleting is repeatable
    ],
)
def test_deletion_is_due_from_the_cutoff_on(now: datetime, due: bool) -> None:
    assert is_due(now, EVENT_END, 30) is due


def test_zero_days_means_right_after_the_event() -> None:
    assert is_due(EVENT_END, EVENT_END, 0)
    assert not is_due(EVENT_END - timedelta(seconds=1), EVENT_END, 0)


def test_a_naive_end_or_negative_days_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        deletion_due_at(datetime(2025, 6, 10, 21, 0), 30)
    with pytest.raises(ValueError, match="negative"):
        deletion_due_at(EVENT_END, -1)
