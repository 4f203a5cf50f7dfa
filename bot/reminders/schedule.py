"""When reminders are due: a pure schedule computed from the programme, so the sending job stays a
thin loop and every timing rule can be tested without a clock, a database or Telegram.

Offsets mean what people mean by them. The whole-day part keeps the local wall-clock time in
Europe/Berlin: `1d` before an event at 10:00 is 10:00 the day before, even when the clocks
changed in between (then it is 23 or 25 real hours). The hours/minutes/seconds part is exact
elapsed time: `2h` is always 7200 seconds. `1d2h` is "the day before at the same time, then two
hours earlier".

A day-shifted wall time can fall into a clock change. It is read with the UTC offset in force
before the change (zoneinfo's `fold=0`, as java.time and dateutil do):

- spring forward (30 March 2025, 02:00 → 03:00): a non-existent 02:30 is read as 02:30 CET,
  which is 03:30 CEST, so the reminder comes as much after 03:00 as 02:30 is after 02:00;
- fall back (26 October 2025, 03:00 → 02:00): a 02:30 that happens twice means the first one
  (CEST), so the reminder is never later than promised.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from bot.core.clock import BERLIN
from bot.programme.model import Programme, format_offset

KEY_MAX_LENGTH = 100
# Waitlisted partners hear from us once, with the last reminder that still leaves a day to plan.
WAITLIST_MIN_OFFSET = timedelta(days=1)


class ReminderKind(StrEnum):
    EVENT = "event"
    KEYNOTE = "keynote"
    WAITLIST = "waitlist"


@dataclass(frozen=True)
class Reminder:
    """One message to send once: `key` is the database uniqueness key that prevents a resend."""

    key: str
    kind: ReminderKind
    offset: timedelta  # before `anchor`
    due_at: datetime  # aware, UTC
    anchor: datetime  # event start (EVENT, WAITLIST) or keynote start (KEYNOTE), aware, UTC


def due_time(anchor: datetime, offset: timedelta) -> datetime:
    """`offset` before `anchor` as people mean it (see the module docstring), in UTC."""
    days = timedelta(days=offset.days)
    exact = offset - days
    if days:
        # Drop the anchor's own fold: the shifted day has its own, resolved as documented above.
        wall = anchor.astimezone(BERLIN).replace(tzinfo=None, fold=0) - days
        base = wall.replace(tzinfo=BERLIN, fold=0).astimezone(UTC)
    else:
        base = anchor.astimezone(UTC)
    return base - exact


def reminder_key(
    event_key: str, kind: ReminderKind, anchor: datetime, offset: timedelta | None = None
) -> str:
    """Stable while the anchor stays put, new when it moves, so a moved keynote is announced again.

    Longer than `KEY_MAX_LENGTH` only with absurd ids or offsets; then the tail becomes a hash.
    """
    stamp = anchor.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    parts = [event_key, kind.value]
    if offset is not None:
        parts.append(format_offset(offset))
    parts.append(stamp)
    key = ":".join(parts)
    if len(key) <= KEY_MAX_LENGTH:
        return key
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return f"{key[: KEY_MAX_LENGTH - len(digest) - 1]}~{digest}"


def waitlist_offset(event_offsets: Sequence[timedelta]) -> timedelta:
    """The event reminder the waitlist note rides along with: the nearest one still a day ahead."""
    if not event_offsets:
        return WAITLIST_MIN_OFFSET
    early_enough = [offset for offset in event_offsets if offset >= WAITLIST_MIN_OFFSET]
    return min(early_enough) if early_enough else max(event_offsets)


def _order(reminder: Reminder) -> tuple[datetime, int, timedelta, str]:
    # With equal due times the nearer reminder (smaller offset) counts as the later one.
    return (
        reminder.due_at,
        tuple(ReminderKind).index(reminder.kind),
        -reminder.offset,
        reminder.key,
    )


def _make(
    event_key: str, kind: ReminderKind, offset: timedelta, anchor: datetime, *, keyed: bool = True
) -> Reminder:
    return Reminder(
        key=reminder_key(event_key, kind, anchor, offset if keyed else None),
        kind=kind,
        offset=offset,
        due_at=due_time(anchor, offset),
        anchor=anchor,
    )


def reminder_schedule(programme: Programme) -> list[Reminder]:
    """Every reminder of the programme, sorted by due time; repeated offsets count once."""
    event_key = programme.event_key
    event_start = programme.event.starts_at.astimezone(UTC)
    keynote_start = programme.keynote.starts_at.astimezone(UTC)
    event_offsets = sorted(set(programme.reminders))
    reminders = [_make(event_key, ReminderKind.EVENT, o, event_start) for o in event_offsets]
    reminders += [
        _make(event_key, ReminderKind.KEYNOTE, o, keynote_start)
        for o in sorted(set(programme.keynote_reminders))
    ]
    # One note per event start, whatever reminder it rides with: editing the reminder list
    # must not send it twice.
    reminders.append(
        _make(
            event_key,
            ReminderKind.WAITLIST,
            waitlist_offset(event_offsets),
            event_start,
            keyed=False,
        )
    )
    return sorted(reminders, key=_order)


def _check_aware(now: datetime) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be a timezone-aware datetime")


def due_now(schedule: Sequence[Reminder], now: datetime) -> list[Reminder]:
    """What to send at `now`, sorted by due time; the caller skips keys it already sent.

    Due means `due_at <= now < anchor`. After downtime only the latest due reminder of each kind
    is sent (it covers the earlier ones), and only while at most half of its lead time has passed
    since it was due: a `7d` reminder noticed two days before the event would only confuse.
    """
    _check_aware(now)
    latest: dict[ReminderKind, Reminder] = {}
    for reminder in schedule:
        if reminder.due_at <= now < reminder.anchor:
            current = latest.get(reminder.kind)
            if current is None or _order(reminder) > _order(current):
                latest[reminder.kind] = reminder
    due = [r for r in latest.values() if now - r.due_at <= r.offset / 2]
    return sorted(due, key=_order)


def skipped(
    schedule: Sequence[Reminder], now: datetime, *, last_run: datetime | None = None
) -> list[Reminder]:
    """Overdue reminders that will not be sent from `now` on, for the log.

    Without `last_run` this includes reminders sent earlier that are merely over now; filter by
    the keys already sent. With `last_run` (the previous time `due_now` was called and its result
    sent) only reminders that came due after it are listed: exactly those missed, each once.
    """
    _check_aware(now)
    sending = {reminder.key for reminder in due_now(schedule, now)}
    missed = [
        reminder
        for reminder in schedule
        if reminder.due_at <= now
        and reminder.key not in sending
        and (last_run is None or reminder.due_at > last_run)
    ]
    return sorted(missed, key=_order)


def next_due(schedule: Sequence[Reminder], now: datetime) -> datetime | None:
    """The next moment after `now` at which a reminder becomes due, to sleep until then."""
    _check_aware(now)
    return min((r.due_at for r in schedule if r.due_at > now), default=None)
