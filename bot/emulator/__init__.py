"""The local Telegram Bot API for tests, the terminal console and benchmarks.

Its public API is re-exported here, so `from bot.emulator import TelegramEmulator` keeps
working while the package is split into modules (state, HTML checks, methods, server,
faults, driver)."""

from __future__ import annotations

from bot.emulator.server import (
    AnsweredCallback,
    ApiCall,
    ApiError,
    Button,
    Chat,
    Edit,
    EventKind,
    HtmlParseError,
    Listener,
    RateLimit,
    SentMessage,
    Stats,
    TelegramEmulator,
    UploadedFile,
    User,
    WaitTimeout,
    parse_html,
)

__all__ = [
    "AnsweredCallback",
    "ApiCall",
    "ApiError",
    "Button",
    "Chat",
    "Edit",
    "EventKind",
    "HtmlParseError",
    "Listener",
    "RateLimit",
    "SentMessage",
    "Stats",
    "TelegramEmulator",
    "UploadedFile",
    "User",
    "WaitTimeout",
    "parse_html",
]
