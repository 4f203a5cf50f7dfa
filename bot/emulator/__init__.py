"""A local Telegram Bot API server for tests, the terminal console and benchmarks.

Why: the bot must be exercised exactly as it runs in production - the real
python-telegram-bot ``Application`` speaking HTTP to a Bot API - without the network,
a real bot token or Telegram's rate limits getting in the way. The emulator answers
the Bot API methods the bot uses with Telegram-shaped JSON, enforces the checks that
catch real bugs (HTML that Telegram would reject, message and callback-data limits,
"message is not modified", blocked users, users who never wrote to the bot, flood limits),
and gives tests a small
driver API: simulated users send text and press buttons, and tests await the replies.

Point PTB at it with ``ApplicationBuilder().base_url(emulator.base_url)`` (and
``base_file_url(emulator.base_file_url)`` if the bot downloads files)::

    async with TelegramEmulator() as emulator:
        app = ApplicationBuilder().token(token).base_url(emulator.base_url).build()
        ...  # initialize, start, updater.start_polling(poll_interval=0, timeout=1)
        anna = emulator.user(first_name="Anna")
        reply = await emulator.ask(anna, "/start")
        emulator.click(anna, reply, "Ja")

The package: ``model`` (what tests assert on), ``state`` (the one shared state),
``html`` (parse mode and content checks), ``limits`` (sizes, flood limits, 403),
``methods`` (one module per group of Bot API methods, and the method table), ``server``
(HTTP and webhook delivery), ``faults`` (failures on demand), ``people`` and ``driver``
(``TelegramEmulator``, the API tests use). Its public API is re-exported here.
"""

from __future__ import annotations

from bot.emulator.driver import TelegramEmulator
from bot.emulator.html import HtmlParseError, parse_html
from bot.emulator.model import (
    AnsweredCallback,
    ApiCall,
    ApiError,
    Button,
    Chat,
    Edit,
    EventKind,
    Listener,
    RateLimit,
    SentMessage,
    Stats,
    UploadedFile,
    User,
    WaitTimeout,
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
