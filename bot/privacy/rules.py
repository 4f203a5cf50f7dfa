"""When an event's personal data is due for deletion: RETENTION_DAYS after the event ends."""

from __future__ import annotations

from datetime import datetime, timedelta

CHECK_INTERVAL = timedelta(days=1)  # the retention job looks once a day (and once at start)


def deletion_due_at(event_ends_at: datetime, retention_days: int) -> datetime:
    """The moment the event's personal data is to be deleted."""
    if event_ends_at.tzinfo is None:
        raise ValueError("a naive event end is ambiguous; pass an aware one")
    if retention_days < 0:
        raise ValueError("retention_days must not be negative")
    return event_ends_at + timedelta(days=retention_days)


def is_due(now: datetime, event_ends_at: datetime, retention_days: int) -> bool:
    """True from the deletion moment on; the deletion itself is harmless to repeat."""
    return now >= deletion_due_at(event_ends_at, retention_days)
