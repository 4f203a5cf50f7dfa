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

# Learned FAQ entries (bot/questions/faq.py). The organisers' group gets "Save as FAQ" under
# the delivery confirmation, partners "Doesn't help" under a learned answer, organisers the
# offer to carry an entry of an earlier event over; /faq runs a conversation (fq:<run>:…).
FAQ_RUN_PREFIX = "fq"
SAVE_FAQ_PREFIX = "faq:save:"  # faq:save:<relay id>
UNHELPFUL_PREFIX = "faq:nohelp:"  # faq:nohelp:<id of the answer sent>
CARRY_PREFIX = "faq:carry:"  # faq:carry:<entry id>
DROP_PREFIX = "faq:drop:"  # faq:drop:<entry id>
SAVE_FAQ_PATTERN = rf"^{SAVE_FAQ_PREFIX}\d+$"
UNHELPFUL_PATTERN = rf"^{UNHELPFUL_PREFIX}\d+$"
EARLIER_ENTRY_PATTERN = rf"^(?:{CARRY_PREFIX}|{DROP_PREFIX})\d+$"


def save_faq(relay_id: int) -> str:
    return f"{SAVE_FAQ_PREFIX}{relay_id}"


def unhelpful(answer_id: int) -> str:
    return f"{UNHELPFUL_PREFIX}{answer_id}"


def carry_over(entry_id: int) -> str:
    return f"{CARRY_PREFIX}{entry_id}"


def drop(entry_id: int) -> str:
    return f"{DROP_PREFIX}{entry_id}"


def parse_id(data: str | None, prefix: str) -> int | None:
    """The number after `prefix`, or None for data that is not one of these buttons."""
    rest = (data or "").removeprefix(prefix)
    return int(rest) if data and data.startswith(prefix) and rest.isdigit() else None


# A second organiser's reply to a question answered before: send it as an addition, or not.
ADDITION_PREFIX = "qa:"  # qa:add:<relay id>:<their reply's message id>, qa:skip:…
ADDITION_PATTERN = rf"^{ADDITION_PREFIX}(?:add|skip):\d+:\d+$"


def addition(choice: str, relay_id: int, message_id: int) -> str:
    """`choice` is "add" or "skip"."""
    return f"{ADDITION_PREFIX}{choice}:{relay_id}:{message_id}"


def parse_addition(data: str | None) -> tuple[str, int, int]:
    """(choice, relay id, message id); the pattern has checked the shape."""
    choice, relay_id, message_id = (data or "qa:skip:0:0").removeprefix(ADDITION_PREFIX).split(":")
    return choice, int(relay_id), int(message_id)
