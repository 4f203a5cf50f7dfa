"""The callback data of the feedback buttons: the stars (queued with the question) and "no comment".

The star buttons are in partners' chats already, so the strings never change.
"""

from __future__ import annotations

from bot.feedback.rules import STARS, star_label

PREFIX = "fb:"
NO_COMMENT = "fb:none"
STARS_PATTERN = rf"^{PREFIX}[1-5]$"
NO_COMMENT_PATTERN = rf"^{NO_COMMENT}$"


def star_buttons() -> list[tuple[str, str]]:
    """(label, callback data) of the 1 to 5 star buttons the feedback conversation answers."""
    return [(star_label(stars), f"{PREFIX}{stars}") for stars in STARS]


def parse_stars(data: str | None) -> int | None:
    """The stars of a star button; None for anything else."""
    value = (data or "").removeprefix(PREFIX)
    return int(value) if value.isdigit() else None
