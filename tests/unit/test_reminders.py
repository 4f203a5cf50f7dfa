"""Reminders come once, at the moment people expect, and late only while they still make sense."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.core.clock import BERLIN
from bot.programme.model import SHIPPED_PROGRAMME, Programme, load_programme, parse_offset
from bot.reminders.schedule import (
    KEY_MAX_LENGTH,
    Reminder,
    ReminderKind,
    due_now,
    due_time,
    next_due,
    reminder_key,
    reminder_schedule,
    skipped,
)

EVENT_START = datetime(2025, 6, 10, 15, 0, tzinfo=UTC)  # 17:00 in Leipzig
KEYNOTE_START = datetime(2025, 6, 10, 16, 0, tzinfo=UTC)  # 18:00 in Leipzig
SECOND = timedelta(seconds=1)


@pytest.fixture(scope="module")
def shipped() -> Programme:
    return load_programme(SHIPPED_PROGRAMME)


def offsets(*texts: str) -> list[timedelta]:
    return [parse_offset(text) for text in texts]


def programme_at(
    base: Programme,
    start: datetime,
    *,
    reminders: list[str] | None = None,
    keynote_reminders: list[str] | None = None,
    keynote_after: timedelta = timedelta(hours=1),
) -> Programme:
    """The shipped programme moved to `start`, with the given reminder offsets."""
    event = base.event.model_copy(
        update={
            "starts_at": start,
            "ends_at": start + timedelta(hours=4),
            "rsvp_deadline": start - timedelta(days=7),
        }
    )
    keynote = base.keynote.model_copy(update={"starts_at": start + keynote_after, "ends_at": None})
    update: dict[str, object] = {"event": event, "keynote": keynote}
    if reminders is not None:
        update["reminders"] = offsets(*reminders)
    if keynote_reminders is not None:
        update["keynote_reminders"] = offsets(*keynote_reminders)
    return base.model_copy(update=update)


def by_key(schedule: list[Reminder]) -> dict[str, Reminder]:
    return {reminder.key: reminder for reminder in schedule}


def find(schedule: list[Reminder], kind: ReminderKind, offset: str = "") -> Reminder:
    matches = [
        r for r in schedule if r.kind == kind and (not offset or r.offset == parse_offset(offset))
    ]
    assert len(matches) == 1, matches
    return matches[0]


# --- the shipped programme ------------------------------------------------------------------


def test_shipped_schedule_lists_event_waitlist_and_keynote_reminders_by_due_time(
    shipped: Programme,
) -> None:
    schedule = reminder_schedule(shipped)
    assert [(r.key, r.due_at) for r in schedule] == [
        ("klimakonferenz-2025:event:7d:20250610T150000Z", datetime(2025, 6, 3, 15, tzinfo=UTC)),
        ("klimakonferenz-2025:event:1d:20250610T150000Z", datetime(2025, 6, 9, 15, tzinfo=UTC)),
        ("klimakonferenz-2025:waitlist:20250610T150000Z", datetime(2025, 6, 9, 15, tzinfo=UTC)),
        ("klimakonferenz-2025:event:2h:20250610T150000Z", datetime(2025, 6, 10, 13, tzinfo=UTC)),
        (
            "klimakonferenz-2025:keynote:15m:20250610T160000Z",
            datetime(2025, 6, 10, 15, 45, tzinfo=UTC),
        ),
    ]


def test_shipped_reminders_are_anchored_to_event_or_keynote_start_in_utc(
    shipped: Programme,
) -> None:
    schedule = reminder_schedule(shipped)
    assert [(r.kind, r.offset, r.anchor) for r in schedule] == [
        (ReminderKind.EVENT, timedelta(days=7), EVENT_START),
        (ReminderKind.EVENT, timedelta(days=1), EVENT_START),
        (ReminderKind.WAITLIST, timedelta(days=1), EVENT_START),
        (ReminderKind.EVENT, timedelta(hours=2), EVENT_START),
        (ReminderKind.KEYNOTE, timedelta(minutes=15), KEYNOTE_START),
    ]
    for reminder in schedule:
        assert reminder.due_at.utcoffset() == timedelta(0)
        assert reminder.anchor.utcoffset() == timedelta(0)


def test_shipped_event_reminders_come_at_five_pm_leipzig_time(shipped: Programme) -> None:
    schedule = reminder_schedule(shipped)
    local = [r.due_at.astimezone(BERLIN) for r in schedule if r.kind == ReminderKind.EVENT]
    assert [(t.month, t.day, t.hour, t.minute) for t in local] == [
        (6, 3, 17, 0),
        (6, 9, 17, 0),
        (6, 10, 15, 0),
    ]


# --- the waitlist note ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("event_reminders", "expected"),
    [
        (["7d", "1d", "2h"], "1d"),
        (["7d", "2d", "2h"], "2d"),
        (["1d2h", "1d", "3h"], "1d"),
        (["12h", "2h"], "12h"),
        (["2h"], "2h"),
        ([], "1d"),
    ],
)
def test_waitlist_note_rides_with_the_nearest_reminder_still_a_day_ahead(
    shipped: Programme, event_reminders: list[str], expected: str
) -> None:
    programme = programme_at(shipped, EVENT_START, reminders=event_reminders)
    schedule = reminder_schedule(programme)
    waitlist = find(schedule, ReminderKind.WAITLIST)
    assert waitlist.offset == parse_offset(expected)
    assert waitlist.anchor == EVENT_START
    if event_reminders:
        assert waitlist.due_at == find(schedule, ReminderKind.EVENT, expected).due_at
    else:
        assert waitlist.due_at == EVENT_START - timedelta(days=1)


def test_there_is_exactly_one_waitlist_note(shipped: Programme) -> None:
    schedule = reminder_schedule(shipped)
    assert [r.kind for r in schedule].count(ReminderKind.WAITLIST) == 1


def test_waitlist_note_is_sent_together_with_the_one_day_reminder(shipped: Programme) -> None:
    schedule = reminder_schedule(shipped)
    now = datetime(2025, 6, 9, 15, 0, tzinfo=UTC)
    assert [(r.kind, r.offset) for r in due_now(schedule, now)] == [
        (ReminderKind.EVENT, timedelta(days=1)),
        (ReminderKind.WAITLIST, timedelta(days=1)),
    ]


def test_repeated_offsets_give_one_reminder(shipped: Programme) -> None:
    programme = programme_at(shipped, EVENT_START, reminders=["1d", "24h", "2h", "2h"])
    kinds = [r.offset for r in reminder_schedule(programme) if r.kind == ReminderKind.EVENT]
    assert kinds == [timedelta(days=1), timedelta(hours=2)]


# --- exactly on time --------------------------------------------------------------------------


def test_each_reminder_is_due_exactly_at_its_moment_and_not_a_second_before(
    shipped: Programme,
) -> None:
    schedule = reminder_schedule(shipped)
    for reminder in schedule:
        assert reminder not in due_now(schedule, reminder.due_at - SECOND)
        assert reminder in due_now(schedule, reminder.due_at)
        assert reminder in due_now(schedule, reminder.due_at + SECOND)


def test_thirty_second_keynote_reminder_is_due_thirty_seconds_before_the_keynote(
    shipped: Programme,
) -> None:
    programme = programme_at(shipped, EVENT_START, keynote_reminders=["30s"])
    schedule = reminder_schedule(programme)
    keynote = find(schedule, ReminderKind.KEYNOTE)
    assert keynote.key == "klimakonferenz-2025:keynote:30s:20250610T160000Z"
    assert keynote.due_at == KEYNOTE_START - timedelta(seconds=30)
    assert due_now(schedule, KEYNOTE_START - timedelta(seconds=31)) == []
    assert due_now(schedule, KEYNOTE_START - timedelta(seconds=30)) == [keynote]
    assert due_now(schedule, KEYNOTE_START - timedelta(seconds=15)) == [keynote]
    assert due_now(schedule, KEYNOTE_START - timedelta(seconds=14)) == []


def test_naive_now_is_refused(shipped: Programme) -> None:
    with pytest.raises(ValueError, match="aware"):
        due_now(reminder_schedule(shipped), datetime(2025, 6, 9, 15, 0))


def test_now_in_another_time_zone_means_the_same_instant(shipped: Programme) -> None:
    schedule = reminder_schedule(shipped)
    local_now = datetime(2025, 6, 10, 15, 0, tzinfo=BERLIN)  # 13:00 UTC
    assert [r.offset for r in due_now(schedule, local_now)] == [timedelta(hours=2)]


# --- restarts and downtime --------------------------------------------------------------------


def test_restart_just_before_a_due_time_sends_nothing_and_knows_when_to_wake(
    shipped: Programme,
) -> None:
    schedule = reminder_schedule(shipped)
    now = datetime(2025, 6, 10, 13, 0, tzinfo=UTC) - timedelta(minutes=1)
    assert due_now(schedule, now) == []
    assert next_due(schedule, now) == datetime(2025, 6, 10, 13, 0, tzinfo=UTC)


def test_restart_at_the_due_time_sends_the_reminder(shipped: Programme) -> None:
    schedule = reminder_schedule(shipped)
    now = datetime(2025, 6, 10, 13, 0, tzinfo=UTC)
    assert [r.key for r in due_now(schedule, now)] == [
        "klimakonferenz-2025:event:2h:20250610T150000Z"
    ]
    assert next_due(schedule, now) == datetime(2025, 6, 10, 15, 45, tzinfo=UTC)


def test_restart_shortly_after_the_due_time_still_sends_it_late(shipped: Programme) -> None:
    schedule = reminder_schedule(shipped)
    now = datetime(2025, 6, 10, 13, 40, tzinfo=UTC)  # 40 minutes late for the 2h reminder
    assert [r.offset for r in due_now(schedule, now)] == [timedelta(hours=2)]
    assert skipped(schedule, now, last_run=datetime(2025, 6, 10, 12, 0, tzinfo=UTC)) == []


def test_late_reminder_is_sent_until_half_its_lead_time_has_passed(shipped: Programme) -> None:
    schedule = reminder_schedule(shipped)
    two_hours = find(schedule, ReminderKind.EVENT, "2h")
    assert due_now(schedule, two_hours.due_at + timedelta(hours=1)) == [two_hours]
    assert due_now(schedule, two_hours.due_at + timedelta(hours=1) + SECOND) == []


def test_downtime_across_a_seven_day_reminder_sends_it_when_a_day_late(
    shipped: Programme,
) -> None:
    schedule = reminder_schedule(shipped)
    now = datetime(2025, 6, 4, 15, 0, tzinfo=UTC)  # 6 days before the event
    assert [r.key for r in due_now(schedule, now)] == [
        "klimakonferenz-2025:event:7d:20250610T150000Z"
    ]


def test_seven_day_reminder_noticed_two_days_before_the_event_is_skipped(
    shipped: Programme,
) -> None:
    schedule = reminder_schedule(shipped)
    now = datetime(2025, 6, 8, 15, 0, tzinfo=UTC)
    assert due_now(schedule, now) == []
    assert [r.key for r in skipped(schedule, now)] == [
        "klimakonferenz-2025:event:7d:20250610T150000Z"
    ]


def test_only_the_latest_of_several_overdue_reminders_is_sent(shipped: Programme) -> None:
    schedule = reminder_schedule(shipped)
    last_run = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
    now = datetime(2025, 6, 9, 18, 0, tzinfo=UTC)  # down since before the 7d reminder
    assert [(r.kind, r.offset) for r in due_now(schedule, now)] == [
        (ReminderKind.EVENT, timedelta(days=1)),
        (ReminderKind.WAITLIST, timedelta(days=1)),
    ]
    assert [r.offset for r in skipped(schedule, now, last_run=last_run)] == [timedelta(days=7)]


def test_a_later_due_reminder_replaces_an_earlier_one_that_would_still_make_sense(
    shipped: Programme,
) -> None:
    programme = programme_at(shipped, EVENT_START, reminders=["7d", "5d"])
    schedule = reminder_schedule(programme)
    now = EVENT_START - timedelta(days=5) + timedelta(hours=1)  # 7d is only 2 days late
    assert [(r.kind, r.offset) for r in due_now(schedule, now)] == [
        (ReminderKind.EVENT, timedelta(days=5)),
        (ReminderKind.WAITLIST, timedelta(days=5)),
    ]
    last_run = EVENT_START - timedelta(days=8)
    assert [r.offset for r in skipped(schedule, now, last_run=last_run)] == [timedelta(days=7)]


def test_latest_overdue_keynote_reminder_wins_over_earlier_keynote_ones(
    shipped: Programme,
) -> None:
    programme = programme_at(shipped, EVENT_START, keynote_reminders=["20m", "15m"])
    schedule = reminder_schedule(programme)
    now = KEYNOTE_START - timedelta(minutes=14)  # the 20m one alone would still go out
    without_15m = [r for r in schedule if r.offset != timedelta(minutes=15)]
    assert [r.offset for r in due_now(without_15m, now)] == [timedelta(minutes=20)]
    assert [(r.kind, r.offset) for r in due_now(schedule, now)] == [
        (ReminderKind.KEYNOTE, timedelta(minutes=15)),
    ]


def test_skipped_with_last_run_lists_each_missed_reminder_once(shipped: Programme) -> None:
    schedule = reminder_schedule(shipped)
    # Running normally: the 7d reminder went out on time, so it is not reported as missed later.
    on_time = datetime(2025, 6, 3, 15, 0, tzinfo=UTC)
    assert [r.offset for r in due_now(schedule, on_time)] == [timedelta(days=7)]
    later = datetime(2025, 6, 8, 15, 0, tzinfo=UTC)
    assert skipped(schedule, later, last_run=later - timedelta(minutes=1)) == []
    # Without last_run it is listed as not going out any more; the caller filters sent keys.
    assert [r.offset for r in skipped(schedule, later)] == [timedelta(days=7)]


def test_nothing_is_sent_once_the_anchor_has_begun(shipped: Programme) -> None:
    schedule = reminder_schedule(shipped)
    for now in (EVENT_START, KEYNOTE_START, KEYNOTE_START + timedelta(days=1)):
        assert [r for r in due_now(schedule, now) if r.anchor <= now] == []
    assert due_now(schedule, KEYNOTE_START) == []
    assert next_due(schedule, KEYNOTE_START) is None
    assert skipped(schedule, KEYNOTE_START) == schedule


def test_a_reminder_is_never_due_at_or_after_its_anchor_even_with_a_hand_made_schedule() -> None:
    anchor = datetime(2025, 6, 10, 15, 0, tzinfo=UTC)
    reminder = Reminder(
        key="x:event:1h:20250610T150000Z",
        kind=ReminderKind.EVENT,
        offset=timedelta(hours=10),  # half lead time would still allow sending after the anchor
        due_at=anchor - timedelta(hours=1),
        anchor=anchor,
    )
    assert due_now([reminder], anchor - SECOND) == [reminder]
    assert due_now([reminder], anchor) == []
    assert skipped([reminder], anchor) == [reminder]


# --- daylight saving time ---------------------------------------------------------------------


def local(year: int, month: int, day: int, hour: int, minute: int = 0, fold: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN, fold=fold)


@pytest.mark.parametrize(
    ("start", "offset", "expected_local", "real_hours"),
    [
        # Spring forward on Sunday 30 March 2025: Saturday 10:00 CET to Sunday 10:00 CEST.
        (local(2025, 3, 30, 10), "1d", local(2025, 3, 29, 10), 23),
        (local(2025, 3, 30, 10), "1d2h", local(2025, 3, 29, 8), 25),
        # The day after the change both days are summer time: a plain 24 hours.
        (local(2025, 3, 31, 10), "1d", local(2025, 3, 30, 10), 24),
        (local(2025, 3, 31, 10), "1d2h", local(2025, 3, 30, 8), 26),
        # An event early on Monday: the day part crosses the change, the hours do not.
        (local(2025, 3, 31, 1), "1d2h", local(2025, 3, 29, 23), 25),
        # Fall back on Sunday 26 October 2025: Saturday 10:00 CEST to Sunday 10:00 CET.
        (local(2025, 10, 26, 10), "1d", local(2025, 10, 25, 10), 25),
        (local(2025, 10, 26, 10), "1d2h", local(2025, 10, 25, 8), 27),
        (local(2025, 10, 27, 10), "1d", local(2025, 10, 26, 10), 24),
        # Whole weeks keep the clock time too.
        (local(2025, 4, 2, 10), "7d", local(2025, 3, 26, 10), 7 * 24 - 1),
    ],
)
def test_whole_days_keep_the_leipzig_clock_time_and_hours_are_exact(
    shipped: Programme, start: datetime, offset: str, expected_local: datetime, real_hours: int
) -> None:
    programme = programme_at(shipped, start, reminders=[offset])
    reminder = find(reminder_schedule(programme), ReminderKind.EVENT)
    assert reminder.due_at == expected_local.astimezone(UTC)
    assert reminder.anchor - reminder.due_at == timedelta(hours=real_hours)
    assert due_now([reminder], reminder.due_at - SECOND) == []
    assert due_now([reminder], reminder.due_at) == [reminder]


def test_exact_hours_across_spring_forward_are_real_elapsed_time() -> None:
    start = local(2025, 3, 30, 4)  # 04:00 CEST, 02:00 UTC
    assert due_time(start, timedelta(hours=3)) == datetime(2025, 3, 29, 23, 0, tzinfo=UTC)
    assert due_time(start, timedelta(hours=3)).astimezone(BERLIN).hour == 0  # 00:00 CET


def test_day_shift_into_the_spring_forward_gap_is_read_with_winter_time() -> None:
    # Monday 31 March 02:30 CEST; the day before, 02:30 does not exist (02:00 jumps to 03:00).
    start = local(2025, 3, 31, 2, 30)
    due = due_time(start, timedelta(days=1))
    assert due == datetime(2025, 3, 30, 1, 30, tzinfo=UTC)  # 02:30 CET = 03:30 CEST
    assert due.astimezone(BERLIN).strftime("%H:%M %Z") == "03:30 CEST"
    assert start - due == timedelta(hours=23)


def test_day_shift_into_the_autumn_fold_takes_the_first_occurrence() -> None:
    # Monday 27 October 02:30 CET; the day before, 02:30 happens twice.
    start = local(2025, 10, 27, 2, 30)
    due = due_time(start, timedelta(days=1))
    assert due == datetime(2025, 10, 26, 0, 30, tzinfo=UTC)  # 02:30 CEST, the earlier one
    assert start - due == timedelta(hours=25)


def test_anchor_in_the_second_fold_hour_keeps_it_for_exact_offsets() -> None:
    start = local(2025, 10, 26, 2, 30, fold=1)  # 02:30 CET, 01:30 UTC
    assert due_time(start, timedelta(minutes=15)) == datetime(2025, 10, 26, 1, 15, tzinfo=UTC)
    # A whole day earlier is plain summer time, 02:30 CEST on Saturday.
    assert due_time(start, timedelta(days=1)) == datetime(2025, 10, 25, 0, 30, tzinfo=UTC)


# --- keys ------------------------------------------------------------------------------------


def test_keys_are_unique(shipped: Programme) -> None:
    programme = programme_at(
        shipped, EVENT_START, reminders=["7d", "1d", "2h"], keynote_reminders=["1d", "2h", "15m"]
    )
    keys = [r.key for r in reminder_schedule(programme)]
    assert len(keys) == len(set(keys))


def test_keys_stay_the_same_when_unrelated_parts_change(shipped: Programme) -> None:
    before = by_key(reminder_schedule(shipped))
    venue = shipped.event.venue.model_copy(update={"name": "Neues Rathaus"})
    event = shipped.event.model_copy(
        update={"capacity": 300, "venue": venue, "ends_at": EVENT_START + timedelta(hours=6)}
    )
    keynote = shipped.keynote.model_copy(update={"speaker": "Dr. Jane Doe"})
    edited = shipped.model_copy(
        update={
            "event": event,
            "keynote": keynote,
            "agenda": shipped.agenda[:2],
            "faq": shipped.faq[1:],
        }
    )
    assert by_key(reminder_schedule(edited)).keys() == before.keys()


def test_adding_a_reminder_keeps_the_keys_of_the_others_and_of_the_waitlist_note(
    shipped: Programme,
) -> None:
    before = {r.key for r in reminder_schedule(shipped)}
    programme = shipped.model_copy(update={"reminders": offsets("7d", "3d", "1d", "2h")})
    after = {r.key for r in reminder_schedule(programme)}
    assert before < after
    assert after - before == {"klimakonferenz-2025:event:3d:20250610T150000Z"}


def test_moving_the_keynote_gives_new_keynote_keys_only(shipped: Programme) -> None:
    before = reminder_schedule(shipped)
    keynote = shipped.keynote.model_copy(update={"starts_at": KEYNOTE_START + timedelta(hours=1)})
    after = reminder_schedule(shipped.model_copy(update={"keynote": keynote}))
    changed = {r.key for r in after} - {r.key for r in before}
    assert changed == {"klimakonferenz-2025:keynote:15m:20250610T170000Z"}
    assert find(after, ReminderKind.KEYNOTE).due_at == datetime(2025, 6, 10, 16, 45, tzinfo=UTC)


def test_moving_the_event_gives_new_event_and_waitlist_keys(shipped: Programme) -> None:
    before = {r.key for r in reminder_schedule(shipped) if r.kind != ReminderKind.KEYNOTE}
    moved = programme_at(shipped, EVENT_START + timedelta(days=1), keynote_after=timedelta(hours=1))
    after = {r.key for r in reminder_schedule(moved) if r.kind != ReminderKind.KEYNOTE}
    assert before.isdisjoint(after)


def test_rewriting_the_start_in_another_time_zone_keeps_the_keys(shipped: Programme) -> None:
    before = {r.key for r in reminder_schedule(shipped)}
    same_instant = programme_at(shipped, EVENT_START)  # written in UTC instead of +02:00
    assert {r.key for r in reminder_schedule(same_instant)} == before


def test_shipped_keys_are_readable_and_short(shipped: Programme) -> None:
    for reminder in reminder_schedule(shipped):
        assert len(reminder.key) <= KEY_MAX_LENGTH
        assert reminder.key.startswith("klimakonferenz-2025:")
        assert "~" not in reminder.key


def test_keys_of_the_longest_event_id_and_offsets_stay_within_the_limit(
    shipped: Programme,
) -> None:
    longest_id = "k" * 61
    event = shipped.event.model_copy(update={"id": longest_id})
    programme = shipped.model_copy(
        update={
            "event": event,
            "reminders": offsets("999d23h59m59s", "999d23h59m58s", "1d"),
            "keynote_reminders": offsets("999d23h59m59s"),
        }
    )
    keys = [r.key for r in reminder_schedule(programme)]
    assert all(len(key) <= KEY_MAX_LENGTH for key in keys)
    assert len(set(keys)) == len(keys)
    assert all(key.startswith(longest_id) for key in keys)
    # The same input always gives the same shortened key.
    assert keys == [r.key for r in reminder_schedule(programme)]


def test_reminder_key_without_offset_is_the_event_start_key() -> None:
    assert (
        reminder_key("klimakonferenz-2025", ReminderKind.WAITLIST, EVENT_START)
        == "klimakonferenz-2025:waitlist:20250610T150000Z"
    )
