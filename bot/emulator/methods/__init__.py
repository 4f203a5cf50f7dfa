"""The Bot API methods the emulator answers, one module per group, and their table.

Why: each group (sending, files, edits, button answers, the bot's settings, updates,
chats and files) registers its methods here, so adding a method touches one group and the
HTTP server needs nothing but the finished table.
"""

from __future__ import annotations

from bot.emulator.methods import callbacks, chats, edits, media, messages, settings, updates
from bot.emulator.model import MethodTable
from bot.emulator.state import EmulatorState

_GROUPS = (settings, updates, messages, media, edits, callbacks, chats)


def build_method_table(state: EmulatorState) -> MethodTable:
    """Every implemented Bot API method by its name, working on ``state``."""
    table: MethodTable = {}
    for group in _GROUPS:
        group.register(table, state)
    return table
