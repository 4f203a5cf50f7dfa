"""The callback data of the reminder buttons: /reminders' switch and the shortcuts under a reminder.

The strings are in partners' chats already (queued reminders carry them), so they never change.
"""

from __future__ import annotations

from enum import StrEnum

REMINDERS_ON = "rem:on"
REMINDERS_OFF = "rem:off"
TOGGLE_PATTERN = r"^rem:(on|off)$"
SHORTCUT_PATTERN = r"^go:"


class Shortcut(StrEnum):
    PROGRAMME = "go:programme"
    CALENDAR = "go:calendar"


def toggle(enabled: bool) -> str:
    """The button that switches reminders to `enabled`."""
    return REMINDERS_ON if enabled else REMINDERS_OFF


def toggled_on(data: str | None) -> bool:
    return data == REMINDERS_ON
