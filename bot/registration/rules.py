"""Rules of registering: when it is open, how many persons, who moves up from the waitlist.

Pure functions; `bot.registration.service` applies them inside database transactions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from typing import Protocol, TypeVar

from bot.programme.model import Programme

MAX_TEXT_LENGTH = 200  # names and free texts; long enough for any real name or note


class Status(StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    DECLINED = "declined"
    CANCELLED = "cancelled"


class Dietary(StrEnum):
    NONE = "none"
    VEGETARIAN = "vegetarian"
    VEGAN = "vegan"
    OTHER = "other"


class Window(StrEnum):
    """What a partner may do at a given moment."""

    OPEN = "open"  # register, change, cancel
    CHANGES_ONLY = "changes_only"  # after the deadline: change or cancel an existing registration
    OVER = "over"  # the event has begun: nothing


def registration_window(programme: Programme, now: datetime) -> Window:
    if now >= programme.event.starts_at:
        return Window.OVER
    if now > programme.event.rsvp_deadline:
        return Window.CHANGES_ONLY
    return Window.OPEN


class PersonsProblem(StrEnum):
    NOT_A_NUMBER = "not_a_number"
    TOO_FEW = "too_few"
    TOO_MANY = "too_many"


_NUMBER = re.compile(r"(?<![\w.,])-?\d+(?:[.,]\d+)?(?![\w.,]*\d)")


def parse_persons(text: str, maximum: int) -> int | PersonsProblem:
    """A whole number of persons, also inside a phrase ("2 Personen"); anything unclear is refused.

    "zwei", "2.5", "2 oder 3" are refused rather than guessed: a wrong head count is worse than
    asking again.
    """
    numbers = _NUMBER.findall(text.strip())
    if len(numbers) != 1 or any(mark in numbers[0] for mark in ".,"):
        return PersonsProblem.NOT_A_NUMBER
    value = int(numbers[0])
    if value < 1:
        return PersonsProblem.TOO_FEW
    if value > maximum:
        return PersonsProblem.TOO_MANY
    return value


def clean_text(text: str) -> str | None:
    """Free text as written (HTML and emoji included), or None if it is too long or empty."""
    stripped = text.strip()
    if not stripped or len(stripped) > MAX_TEXT_LENGTH:
        return None
    return stripped


class WaitingParty(Protocol):
    @property
    def persons(self) -> int: ...


P = TypeVar("P", bound=WaitingParty)


def choose_promotions(waiting: Sequence[P], free_seats: int) -> list[P]:
    """Who moves up when seats free: in waitlist order, skipping a party that does not fit.

    Meetup's rule: a party of three does not block a single person behind it.
    """
    promoted: list[P] = []
    for party in waiting:
        if party.persons <= free_seats:
            promoted.append(party)
            free_seats -= party.persons
        if free_seats == 0:
            break
    return promoted
