"""The Bot API methods about the bot itself: getMe, its commands, descriptions, menu button.

Why: the bot sets its command menus per scope and language at start; Telegram refuses
invalid command names and over-long descriptions, and tests read back what was set.
"""

from __future__ import annotations

import json
import re
from functools import partial
from typing import Any

from bot.emulator.html import check_web_app
from bot.emulator.model import JSONDict, MethodTable, bad_request, chat_key
from bot.emulator.state import EmulatorState

_BOT_COMMAND_NAME_RE = re.compile(r"[a-z0-9_]{1,32}")


def register(table: MethodTable, state: EmulatorState) -> None:
    """Add the bot's own settings methods to the method table."""
    table.update(
        getMe=lambda p: state.bot_user_json(full=True),
        logOut=lambda p: True,
        close=lambda p: True,
        setMyCommands=partial(set_my_commands, state),
        getMyCommands=lambda p: commands_for(state, p.get("scope"), p.get("language_code")),
        deleteMyCommands=partial(delete_my_commands, state),
        setMyDescription=partial(set_text_setting, state, name="description", limit=512),
        getMyDescription=lambda p: {
            "description": state.descriptions.get(p.get("language_code") or "", "")
        },
        setMyShortDescription=partial(set_text_setting, state, name="short_description", limit=120),
        getMyShortDescription=lambda p: {
            "short_description": state.short_descriptions.get(p.get("language_code") or "", "")
        },
        setChatMenuButton=partial(set_chat_menu_button, state),
        getChatMenuButton=lambda p: state.menu_buttons.get(
            chat_key(p.get("chat_id")) if p.get("chat_id") is not None else None,
            {"type": "commands"},
        ),
    )


def command_key(scope: Any, language_code: Any) -> tuple[str, str]:
    """Commands are kept per scope and language, as Telegram keeps them."""
    if hasattr(scope, "to_dict"):  # a telegram.BotCommandScope
        scope = scope.to_dict()
    scope = scope or {"type": "default"}
    return json.dumps(scope, sort_keys=True), str(language_code or "")


def commands_for(state: EmulatorState, scope: Any, language_code: Any) -> list[JSONDict]:
    """The commands set for exactly this scope and language."""
    return list(state.commands.get(command_key(scope, language_code), []))


def set_my_commands(state: EmulatorState, p: JSONDict) -> bool:
    commands = p.get("commands")
    if not isinstance(commands, list):
        raise bad_request("commands must be an array")
    if len(commands) > 100:
        raise bad_request("too many commands specified")
    cleaned = []
    for command in commands:
        if not isinstance(command, dict):
            raise bad_request("command must be an object")
        name = str(command.get("command", ""))
        description = str(command.get("description", ""))
        if not _BOT_COMMAND_NAME_RE.fullmatch(name):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(description) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        cleaned.append({"command": name, "description": description})
    key = command_key(p.get("scope"), p.get("language_code"))
    if cleaned:
        state.commands[key] = cleaned
    else:
        state.commands.pop(key, None)
    return True


def delete_my_commands(state: EmulatorState, p: JSONDict) -> bool:
    state.commands.pop(command_key(p.get("scope"), p.get("language_code")), None)
    return True


def set_text_setting(state: EmulatorState, p: JSONDict, *, name: str, limit: int) -> bool:
    value = str(p.get(name) or "")
    if len(value) > limit:
        raise bad_request(f"{name} is too long")
    store = state.descriptions if name == "description" else state.short_descriptions
    language = str(p.get("language_code") or "")
    if value:
        store[language] = value
    else:
        store.pop(language, None)
    return True


def set_chat_menu_button(state: EmulatorState, p: JSONDict) -> bool:
    """Per private chat, or the default for all; a Mini App button needs a text and an address."""
    chat_id = p.get("chat_id")
    key = None if chat_id is None else state.resolve_chat(chat_id).id
    button = p.get("menu_button") or {"type": "default"}
    if not isinstance(button, dict) or button.get("type") not in ("default", "commands", "web_app"):
        raise bad_request("can't parse menu button")
    if button["type"] == "web_app":
        if not str(button.get("text") or "").strip():
            raise bad_request("BUTTON_TEXT_INVALID")
        check_web_app(button.get("web_app"))
    state.menu_buttons[key] = button
    return True
