"""The callback data of the door's buttons: check in some persons, or pick a search result."""

from __future__ import annotations

from dataclasses import dataclass

CHECK_IN_PREFIX = "ci:"  # ci:<registration id>:<persons>:<token>, about 40 bytes
PICK_PREFIX = "cs:"  # cs:<registration id>, a search result
CHECK_IN_PATTERN = rf"^{CHECK_IN_PREFIX}"
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
