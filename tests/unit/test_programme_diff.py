"""Programme edits: partners hear about times, place and speaker; everything else is "other"."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from bot.programme.diff import Change, ChangeKind, diff_programmes, notifying
from bot.programme.model import (
    SHIPPED_PROGRAMME,
    Localized,
    Programme,
    load_programme,
    parse_offset,
)

OLD_VENUE = "Alte Handelsbörse, Naschmarkt 1, 04109 Leipzig"


@pytest.fixture(scope="module")
def old() -> Programme:
    return load_programme(SHIPPED_PROGRAMME)


def with_event(programme: Programme, **update: object) -> Programme:
    return programme.model_copy(update={"event": programme.event.model_copy(update=update)})


def with_venue(programme: Programme, **update: object) -> Programme:
    return with_event(programme, venue=programme.event.venue.model_copy(update=update))


def with_keynote(programme: Programme, **update: object) -> Programme:
    return programme.model_copy(update={"keynote": programme.keynote.model_copy(update=update)})


def test_identical_programmes_have_no_changes(old: Programme) -> None:
    assert diff_programmes(old, old) == []
    assert diff_programmes(old, load_programme(SHIPPED_PROGRAMME)) == []


def test_same_instants_written_in_utc_are_no_change(old: Programme) -> None:
    new = with_event(
        old,
        starts_at=datetime(2025, 6, 10, 15, 0, tzinfo=UTC),
        ends_at=datetime(2025, 6, 10, 19, 0, tzinfo=UTC),
    )
    new = with_keynote(new, starts_at=datetime(2025, 6, 10, 16, 0, tzinfo=UTC))
    assert diff_programmes(old, new) == []


def test_moved_event_start_is_an_event_time_change_with_both_starts(old: Programme) -> None:
    later = old.event.starts_at + timedelta(hours=1)
    new = with_event(old, starts_at=later)
    assert diff_programmes(old, new) == [
        Change(ChangeKind.EVENT_TIME, old.event.starts_at, later, notify=True)
    ]


def test_moved_event_start_and_end_is_one_event_time_change(old: Programme) -> None:
    shift = timedelta(days=1)
    new = with_event(old, starts_at=old.event.starts_at + shift, ends_at=old.event.ends_at + shift)
    assert diff_programmes(old, new) == [
        Change(ChangeKind.EVENT_TIME, old.event.starts_at, new.event.starts_at, notify=True)
    ]


def test_moved_event_end_alone_is_an_event_time_change_with_both_ends(old: Programme) -> None:
    new = with_event(old, ends_at=old.event.ends_at + timedelta(hours=1))
    [change] = diff_programmes(old, new)
    assert change == Change(ChangeKind.EVENT_TIME, old.event.ends_at, new.event.ends_at, True)
    assert change.after != new.event.starts_at


def test_moved_keynote_is_a_keynote_time_change(old: Programme) -> None:
    later = old.keynote.starts_at + timedelta(minutes=30)
    new = with_keynote(old, starts_at=later)
    assert diff_programmes(old, new) == [
        Change(ChangeKind.KEYNOTE_TIME, old.keynote.starts_at, later, notify=True)
    ]


def test_new_venue_is_a_venue_change_with_name_and_address(old: Programme) -> None:
    new = with_venue(old, name="Neues Rathaus", address="Martin-Luther-Ring 4, 04109 Leipzig")
    assert diff_programmes(old, new) == [
        Change(
            ChangeKind.VENUE,
            OLD_VENUE,
            "Neues Rathaus, Martin-Luther-Ring 4, 04109 Leipzig",
            notify=True,
        )
    ]


def test_changed_address_alone_is_a_venue_change(old: Programme) -> None:
    new = with_venue(old, address="Naschmarkt 2, 04109 Leipzig")
    assert diff_programmes(old, new) == [
        Change(ChangeKind.VENUE, OLD_VENUE, "Alte Handelsbörse, Naschmarkt 2, 04109 Leipzig", True)
    ]


def test_moved_map_pin_is_a_venue_change(old: Programme) -> None:
    new = with_venue(old, latitude=51.34, longitude=12.38)
    assert diff_programmes(old, new) == [Change(ChangeKind.VENUE, OLD_VENUE, OLD_VENUE, True)]


def test_new_keynote_speaker_is_a_speaker_change(old: Programme) -> None:
    new = with_keynote(old, speaker="Dr. Jane Doe")
    assert diff_programmes(old, new) == [
        Change(ChangeKind.KEYNOTE_SPEAKER, "Prof. Dr. Anders Levermann", "Dr. Jane Doe", True)
    ]


def test_agenda_edit_is_only_an_other_change_nobody_is_told_about(old: Programme) -> None:
    first = old.agenda[0].model_copy(update={"title": Localized(de="Einlass", en="Doors")})
    new = old.model_copy(update={"agenda": [first, *old.agenda[1:]]})
    assert diff_programmes(old, new) == [Change(ChangeKind.OTHER, None, "agenda", notify=False)]
    assert notifying(diff_programmes(old, new)) == []


def test_faq_edit_is_only_an_other_change(old: Programme) -> None:
    new = old.model_copy(update={"faq": old.faq[:-1]})
    assert diff_programmes(old, new) == [Change(ChangeKind.OTHER, None, "faq", notify=False)]


@pytest.mark.parametrize(
    ("edit", "parts"),
    [
        (lambda p: with_event(p, capacity=300), "event.capacity"),
        (lambda p: with_event(p, title=Localized(de="Neu", en="New")), "event.title"),
        (
            lambda p: with_venue(p, directions=Localized(de="Bus", en="Bus")),
            "event.venue.directions",
        ),
        (lambda p: with_keynote(p, ends_at=None), "keynote.ends_at"),
        (lambda p: p.model_copy(update={"reminders": [parse_offset("3d")]}), "reminders"),
        (
            lambda p: p.model_copy(update={"keynote_reminders": [], "faq": []}),
            "keynote_reminders, faq",
        ),
    ],
)
def test_other_edits_are_one_other_change_naming_the_parts(
    old: Programme, edit: Callable[[Programme], Programme], parts: str
) -> None:
    new = edit(old)
    assert diff_programmes(old, new) == [Change(ChangeKind.OTHER, None, parts, notify=False)]


def test_notified_and_other_changes_come_together_in_kind_order(old: Programme) -> None:
    new = with_keynote(
        old, speaker="Dr. Jane Doe", starts_at=old.keynote.starts_at + timedelta(minutes=30)
    )
    new = with_venue(new, name="Neues Rathaus")
    new = with_event(new, capacity=80, starts_at=old.event.starts_at - timedelta(hours=1))
    new = new.model_copy(update={"agenda": new.agenda[:-1]})
    changes = diff_programmes(old, new)
    assert [change.kind for change in changes] == [
        ChangeKind.EVENT_TIME,
        ChangeKind.KEYNOTE_TIME,
        ChangeKind.VENUE,
        ChangeKind.KEYNOTE_SPEAKER,
        ChangeKind.OTHER,
    ]
    assert changes[-1] == Change(ChangeKind.OTHER, None, "event.capacity, agenda", notify=False)
    assert notifying(changes) == changes[:-1]
    assert all(change.notify for change in notifying(changes))


def test_speaker_change_with_an_agenda_edit_notifies_only_about_the_speaker(
    old: Programme,
) -> None:
    new = with_keynote(old, speaker="Dr. Jane Doe")
    new = new.model_copy(update={"agenda": new.agenda[1:]})
    assert notifying(diff_programmes(old, new)) == [
        Change(ChangeKind.KEYNOTE_SPEAKER, "Prof. Dr. Anders Levermann", "Dr. Jane Doe", True)
    ]
