"""What changed when organisers edit the programme file: partners hear only about what affects
their plans (times, place, speaker), the organiser sees everything else as "other changes".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel

from bot.programme.model import Localized, Programme, Venue


class ChangeKind(StrEnum):
    EVENT_TIME = "event_time"
    KEYNOTE_TIME = "keynote_time"
    VENUE = "venue"
    KEYNOTE_SPEAKER = "keynote_speaker"
    OTHER = "other"


@dataclass(frozen=True)
class Change:
    """One change; `notify` says whether partners are told about it.

    EVENT_TIME: the start times, or the end times when only the end moved (then `after` equals
    the new `event.ends_at`). KEYNOTE_TIME: keynote start times. VENUE: "name, address".
    KEYNOTE_SPEAKER: names. OTHER: `before` is None and `after` lists the changed parts, e.g.
    "agenda, event.capacity, faq", so the organiser sees what was taken without a message.
    """

    kind: ChangeKind
    before: str | datetime | None
    after: str | datetime | None
    notify: bool


def _venue_text(venue: Venue) -> str:
    return f"{venue.name}, {venue.address}"


def _venue_place(venue: Venue) -> tuple[str, str, float, float]:
    return (venue.name, venue.address, venue.latitude, venue.longitude)


def _with_notified_parts_of(new: Programme, old: Programme) -> Programme:
    """`new` with everything partners are told about reset to `old`, to see what else changed."""
    venue = new.event.venue.model_copy(
        update={
            "name": old.event.venue.name,
            "address": old.event.venue.address,
            "latitude": old.event.venue.latitude,
            "longitude": old.event.venue.longitude,
        }
    )
    event = new.event.model_copy(
        update={"starts_at": old.event.starts_at, "ends_at": old.event.ends_at, "venue": venue}
    )
    keynote = new.keynote.model_copy(
        update={"starts_at": old.keynote.starts_at, "speaker": old.keynote.speaker}
    )
    return new.model_copy(update={"event": event, "keynote": keynote})


def _changed_parts(old: BaseModel, new: BaseModel, prefix: str = "") -> list[str]:
    """Dotted names of the differing fields; lists and texts count as one part each."""
    parts: list[str] = []
    for name in type(old).model_fields:
        before, after = getattr(old, name), getattr(new, name)
        if before == after:
            continue
        path = f"{prefix}{name}"
        if (
            isinstance(before, BaseModel)
            and isinstance(after, BaseModel)
            and not isinstance(before, Localized)
        ):
            parts += _changed_parts(before, after, f"{path}.")
        else:
            parts.append(path)
    return parts


def diff_programmes(old: Programme, new: Programme) -> list[Change]:
    """The changes from `old` to `new`, in `ChangeKind` order; [] when nothing changed.

    Times compare as instants, so rewriting 17:00+02:00 as 15:00Z is no change.
    """
    changes: list[Change] = []
    old_event, new_event = old.event, new.event
    if old_event.starts_at != new_event.starts_at:
        changes.append(
            Change(ChangeKind.EVENT_TIME, old_event.starts_at, new_event.starts_at, True)
        )
    elif old_event.ends_at != new_event.ends_at:
        changes.append(Change(ChangeKind.EVENT_TIME, old_event.ends_at, new_event.ends_at, True))
    if old.keynote.starts_at != new.keynote.starts_at:
        changes.append(
            Change(ChangeKind.KEYNOTE_TIME, old.keynote.starts_at, new.keynote.starts_at, True)
        )
    if _venue_place(old_event.venue) != _venue_place(new_event.venue):
        changes.append(
            Change(
                ChangeKind.VENUE, _venue_text(old_event.venue), _venue_text(new_event.venue), True
            )
        )
    if old.keynote.speaker != new.keynote.speaker:
        changes.append(
            Change(ChangeKind.KEYNOTE_SPEAKER, old.keynote.speaker, new.keynote.speaker, True)
        )
    others = _changed_parts(old, _with_notified_parts_of(new, old))
    if others:
        changes.append(Change(ChangeKind.OTHER, None, ", ".join(others), False))
    return changes


def notifying(changes: Iterable[Change]) -> list[Change]:
    """The changes partners are told about."""
    return [change for change in changes if change.notify]
