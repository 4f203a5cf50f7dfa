"""The callback data of the door's buttons: check in some persons, undo it, or pick a search
result."""

from __future__ import annotations

from dataclasses import dataclass

CHECK_IN_PREFIX = "ci:"  # ci:<registration id>:<persons>:<token>, about 40 bytes
PICK_PREFIX = "cs:"  # cs:<registration id>, a search result
UNDO_PREFIX = "cu:"  # cu:<registration id>:<token>, under a check-in just made
CHECK_IN_PATTERN = rf"^{CHECK_IN_PREFIX}"
UNDO_PATTERN = rf"^{UNDO_PREFIX}"
PICK_PATTERN = rf"^{PICK_PREFIX}\d+$"


@dataclass(frozen=True)
class CheckInTap:
    registration_id: int
    persons: int
    token: str


def check_in(registration_id: int, persons: int, token: str) -> str:
    return f"{CHECK_IN_PREFIX}{registration_id}:{persons}:{token}"


def parse_check_in(data: str | None) -> CheckInTap | None:
    try:
        _, registration, persons, token = (data or "").split(":", 3)
        return CheckInTap(int(registration), int(persons), token)
    except ValueError:
        return None


def pick(registration_id: int) -> str:
    return f"{PICK_PREFIX}{registration_id}"


def parse_pick(data: str | None) -> int | None:
    try:
        return int((data or "").removeprefix(PICK_PREFIX))
    except ValueError:
        return None


@dataclass(frozen=True)
class UndoTap:
    registration_id: int
    token: str


def undo(registration_id: int, token: str) -> str:
    return f"{UNDO_PREFIX}{registration_id}:{token}"


def parse_undo(data: str | None) -> UndoTap | None:
    try:
        _, registration, token = (data or "").split(":", 2)
        return UndoTap(int(registration), token)
    except ValueError:
        return None
