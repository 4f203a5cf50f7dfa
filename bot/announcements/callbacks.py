"""The callback data of the announcement buttons: the composing conversation's run and the
"who did not get it" list under /broadcasts."""

from __future__ import annotations

RUN_PREFIX = "b"  # b:<run>:<choice>, see handlers/runs.py
FAILED_CSV_PREFIX = "bcx:"
FAILED_CSV_PATTERN = rf"^{FAILED_CSV_PREFIX}\d+$"


def failed_csv(broadcast_id: int) -> str:
    return f"{FAILED_CSV_PREFIX}{broadcast_id}"


def parse_failed_csv(data: str | None) -> int:
    return int((data or f"{FAILED_CSV_PREFIX}0").removeprefix(FAILED_CSV_PREFIX))
