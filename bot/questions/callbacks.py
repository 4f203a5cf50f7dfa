"""The callback data of the button under a built-in answer: it starts the command the answer
names. Already in partners' chats: never change them."""

from __future__ import annotations

COMMAND_PREFIX = "cmd:"  # cmd:<English command name>, at most 4 + 32 bytes (Telegram allows 64)

COMMAND_PATTERN = rf"^{COMMAND_PREFIX}(\w+)$"


def start_command(english_name: str) -> str:
    """The data of a button that starts the command `english_name` (e.g. "rsvp")."""
    return f"{COMMAND_PREFIX}{english_name}"


RSVP = start_command("rsvp")  # enters the registration conversation, not the general handler
RSVP_PATTERN = rf"^{RSVP}$"
