"""The callback data of the registration buttons: the conversation's run, /myrsvp's buttons and
the note about an interrupted registration. Already in partners' chats: never change them."""

from __future__ import annotations

RUN_PREFIX = "r"  # r:<run>:<choice>, see handlers/runs.py

START_AGAIN = "rsvp:again"  # the button under the note about an interrupted registration
CHANGE = "my:change"
CANCEL = "my:cancel"
CANCEL_YES = "my:cancel:yes"
KEEP = "my:keep"

START_PATTERN = rf"^({CHANGE}|{START_AGAIN})$"
CANCEL_PATTERN = rf"^{CANCEL}$"
CANCEL_YES_PATTERN = rf"^{CANCEL_YES}$"
KEEP_PATTERN = rf"^{KEEP}$"
