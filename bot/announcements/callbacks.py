"""The callback data of the announcement buttons: the composing conversation's run, the
"who did not get it" list under /broadcasts and the progress message, and stopping a running
announcement (the button, then yes or no)."""

from __future__ import annotations

RUN_PREFIX = "b"  # b:<run>:<choice>, see handlers/runs.py
FAILED_CSV_PREFIX = "bcx:"
FAILED_CSV_PATTERN = rf"^{FAILED_CSV_PREFIX}\d+$"


def failed_csv(broadcast_id: int) -> str:
    return f"{FAILED_CSV_PREFIX}{broadcast_id}"


def parse_failed_csv(data: str | None) -> int:
    return int((data or f"{FAILED_CSV_PREFIX}0").removeprefix(FAILED_CSV_PREFIX))


STOP_PREFIX = "bcc:"  # bcc:<id> asks; bcc:yes:<id> stops; bcc:no:<id> keeps sending
STOP_PATTERN = rf"^{STOP_PREFIX}(?:yes:|no:)?\d+$"


def stop(broadcast_id: int, answer: str = "") -> str:
    """`answer` is "", "yes" or "no"."""
    return f"{STOP_PREFIX}{answer}:{broadcast_id}" if answer else f"{STOP_PREFIX}{broadcast_id}"


def parse_stop(data: str | None) -> tuple[str, int]:
    """(answer, broadcast id) of a stop button; the pattern has checked the shape."""
    *answer, number = (data or f"{STOP_PREFIX}0").removeprefix(STOP_PREFIX).split(":")
    return (answer[0] if answer else ""), int(number)
