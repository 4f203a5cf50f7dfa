"""The Bot API methods that read a chat or a file: getChat and getFile.

Why: the bot looks up chats it writes to and downloads what users send; getFile hands out
the path under which the server's file route serves the content.
"""

from __future__ import annotations

from functools import partial

from bot.emulator.model import JSONDict, MethodTable, bad_request
from bot.emulator.state import EmulatorState


def register(table: MethodTable, state: EmulatorState) -> None:
    """Add getChat and getFile to the method table."""
    table.update(getChat=partial(get_chat, state), getFile=partial(get_file, state))


def get_chat(state: EmulatorState, p: JSONDict) -> JSONDict:
    chat = state.resolve_chat(p.get("chat_id"))
    return {
        **chat.to_dict(),
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
            "gifts_from_channels": False,
        },
    }


def get_file(state: EmulatorState, p: JSONDict) -> JSONDict:
    file = state.files.get(str(p.get("file_id") or ""))
    if file is None or file.content is None:
        raise bad_request("invalid file_id")
    path = f"files/{file.file_unique_id}/{file.filename or 'file'}"
    state.files_by_path[path] = file
    return {
        "file_id": file.file_id,
        "file_unique_id": file.file_unique_id,
        "file_size": file.size,
        "file_path": path,
    }


# ---------------------------------------------------------------- internals
