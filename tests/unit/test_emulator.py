"""The Bot API emulator answers the real python-telegram-bot client like Telegram would."""

from __future__ import annotations

import asyncio
import html
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import aiohttp
import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MenuButtonDefault,
    MenuButtonWebApp,
    Update,
    WebAppInfo,
)
from telegram.error import BadRequest, Forbidden, RetryAfter
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.emulator import (
    Chat,
    HtmlParseError,
    RateLimit,
    SentMessage,
    TelegramEmulator,
    User,
    WaitTimeout,
    parse_html,
)

TOKEN = "123456:" + "A" * 35


@pytest.fixture
async def emulator() -> AsyncIterator[TelegramEmulator]:
    async with TelegramEmulator() as emu:
        yield emu


@pytest.fixture
async def bot(emulator: TelegramEmulator) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=emulator.base_url) as client:
        yield client


async def _start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None and update.effective_user is not None
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("✅ Ja, ich komme", callback_data="rsvp:yes"),
                InlineKeyboardButton("Nein", callback_data="rsvp:no"),
            ]
        ]
    )
    await update.message.reply_text(
        f"Hallo {update.effective_user.first_name}!", reply_markup=keyboard
    )


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None and update.message.text is not None
    await update.message.reply_html(f"Du sagtest: <b>{html.escape(update.message.text)}</b>")


async def _rsvp(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("Gespeichert", show_alert=query.data == "rsvp:no")
    await query.edit_message_text(f"Antwort: {query.data}")


@pytest.fixture
async def app(emulator: TelegramEmulator) -> AsyncIterator[Application]:
    application = ApplicationBuilder().token(TOKEN).base_url(emulator.base_url).build()
    application.add_handler(CommandHandler("start", _start))
    application.add_handler(CallbackQueryHandler(_rsvp, pattern=r"^rsvp:"))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, _echo))
    await application.initialize()
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0, timeout=1)
    try:
        yield application
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()


# PTB 22.2+ warns (inside RetryAfter itself) that retry_after will become a timedelta.
ignore_retry_after_deprecation = pytest.mark.filterwarnings(
    "ignore::telegram.warnings.PTBDeprecationWarning"
)


def partner(emulator: TelegramEmulator, **details: Any) -> User:
    """A user who has written to the bot, so that the bot may write to them."""
    person = emulator.user(**details)
    emulator.send_text(person, "/start")
    return person


def _seconds(error: RetryAfter) -> float:
    value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


# ----------------------------------------------------------------------- plain Bot client


async def test_get_me_describes_the_bot(emulator: TelegramEmulator, bot: Bot) -> None:
    me = await bot.get_me()
    assert me.is_bot
    assert me.username == emulator.bot_user.username
    assert me.first_name == "Partnerbot"
    assert emulator.calls[0].method == "getMe"
    assert emulator.calls[0].token == TOKEN


async def test_send_message_is_recorded_with_plain_text_and_entities(
    emulator: TelegramEmulator, bot: Bot
) -> None:
    anna = partner(emulator, first_name="Anna")
    message = await bot.send_message(anna.id, "<b>Hallo</b> 😀 &lt;Gäste&gt;", parse_mode="HTML")
    sent = emulator.last_to(anna)
    assert sent is not None
    assert sent.text == "<b>Hallo</b> 😀 &lt;Gäste&gt;"
    assert sent.plain_text == "Hallo 😀 <Gäste>"
    # PTB got back what Telegram returns: parsed text plus entities, so text_html round-trips.
    assert message.text == "Hallo 😀 <Gäste>"
    assert message.from_user is not None and message.from_user.is_bot
    assert message.text_html == "<b>Hallo</b> 😀 &lt;Gäste&gt;"


async def test_html_with_unescaped_user_text_is_rejected(
    emulator: TelegramEmulator, bot: Bot
) -> None:
    anna = partner(emulator)
    for text in ["Anna <3 Bob", "<b>offen", "<b>x</i>", "Q&A", "Zeile<br>Zeile"]:
        with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
            await bot.send_message(anna.id, text, parse_mode="HTML")
    assert emulator.sent == []
    assert emulator.stats.rejected_400 == 5
    # Without a parse mode the same text is fine.
    await bot.send_message(anna.id, "Anna <3 Bob")
    assert emulator.sent[-1].plain_text == "Anna <3 Bob"


def test_parse_html_counts_offsets_in_utf16_and_trims() -> None:
    plain, entities = parse_html('\n😀 <i>kursiv</i> <a href="https://x.de/?a=1&amp;b=2">L</a> ')
    assert plain == "😀 kursiv L"
    assert entities == [
        {"type": "italic", "offset": 3, "length": 6},
        {"type": "text_link", "offset": 10, "length": 1, "url": "https://x.de/?a=1&b=2"},
    ]
    with pytest.raises(HtmlParseError, match='Unsupported start tag "br"'):
        parse_html("a<br>b")
    assert parse_html("Q&A -> ok", strict=False) == ("Q&A -> ok", [])


async def test_text_and_caption_length_limits(emulator: TelegramEmulator, bot: Bot) -> None:
    anna = partner(emulator)
    await bot.send_message(anna.id, "x" * 4096)
    # Tags do not count towards the limit, only the visible text.
    await bot.send_message(anna.id, "<b>" + "x" * 4096 + "</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(anna.id, "x" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)message caption is too long"):
        await bot.send_document(anna.id, b"data", filename="a.txt", caption="c" * 1025)
    with pytest.raises(BadRequest, match=r"(?i)text is empty"):
        await bot.send_message(anna.id, "<b></b>", parse_mode="HTML")
    assert len(emulator.sent) == 2


async def test_callback_data_over_64_bytes_is_rejected(
    emulator: TelegramEmulator, bot: Bot
) -> None:
    anna = partner(emulator)
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="ä" * 33)]])
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(anna.id, "Wahl?", reply_markup=too_long)
    fits = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="a" * 64)]])
    await bot.send_message(anna.id, "Wahl?", reply_markup=fits)
    assert emulator.sent[-1].buttons[0][0].callback_data == "a" * 64


async def test_unknown_chat_and_edit_not_modified(emulator: TelegramEmulator, bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(424242, "Hallo")
    anna = partner(emulator)
    message = await bot.send_message(anna.id, "Stand: 1")
    await message.edit_text("Stand: 2")
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("Stand: 2", chat_id=anna.id, message_id=message.message_id)
    sent = emulator.last_to(anna)
    assert sent is not None
    assert (sent.initial_plain_text, sent.plain_text) == ("Stand: 1", "Stand: 2")
    assert [edit.plain_text for edit in sent.edits] == ["Stand: 2"]


async def test_document_upload_keeps_bytes_filename_and_file_id(
    emulator: TelegramEmulator, bot: Bot
) -> None:
    anna = partner(emulator)
    content = b"name;firma\nAnna;ACME\n" + bytes(range(256))
    message = await bot.send_document(
        anna.id, content, filename="partner.csv", caption="<i>Liste</i>", parse_mode="HTML"
    )
    sent = emulator.last_to(anna)
    assert sent is not None and sent.document is not None
    assert sent.method == "sendDocument"
    assert sent.document.content == content
    assert sent.document.filename == "partner.csv"
    assert sent.document.mime_type == "text/csv"
    assert sent.plain_text == "Liste"
    assert message.document is not None and message.document.file_name == "partner.csv"
    # Resending by file_id refers to the same stored file.
    await bot.send_document(anna.id, message.document.file_id)
    resent = emulator.last_to(anna)
    assert resent is not None and resent.document is sent.document


@ignore_retry_after_deprecation
async def test_injected_429_carries_retry_after_once(emulator: TelegramEmulator, bot: Bot) -> None:
    anna = partner(emulator)
    emulator.fail_next("sendMessage", retry_after=7)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(anna.id, "eins")
    assert _seconds(caught.value) == 7
    await bot.send_message(anna.id, "zwei")
    assert [m.plain_text for m in emulator.messages_to(anna)] == ["zwei"]
    assert emulator.stats.rejected_429 == 1
    assert [call.status for call in emulator.calls_of("sendMessage")] == [429, 200]


async def test_blocked_user_raises_forbidden(emulator: TelegramEmulator, bot: Bot) -> None:
    anna, bob = partner(emulator), partner(emulator)
    emulator.block(anna)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(anna.id, "Hallo")
    await bot.send_message(bob.id, "Hallo")
    assert emulator.messages_to(anna) == []
    assert emulator.stats.rejected_403 == 1
    assert emulator.stats.sent == 1


@ignore_retry_after_deprecation
async def test_a_chat_takes_a_burst_of_three_then_waits_for_its_refill() -> None:
    slow = RateLimit(per_chat_burst=3, per_chat_per_second=1 / 60)  # a token a minute
    async with (
        TelegramEmulator(rate_limit=slow) as emulator,
        Bot(TOKEN, base_url=emulator.base_url) as bot,
    ):
        anna, bob = partner(emulator), partner(emulator)
        for number in (1, 2, 3):
            await bot.send_message(anna.id, str(number))
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(anna.id, "4")
        assert 59 <= _seconds(caught.value) <= 60  # until the next token, in whole seconds
        await bot.send_message(bob.id, "1")  # another chat has its own bucket
        assert [m.plain_text for m in emulator.messages_to(anna)] == ["1", "2", "3"]
        assert emulator.stats.rejected_429 == 1


@ignore_retry_after_deprecation
async def test_after_retry_after_seconds_the_message_goes_through() -> None:
    async with (
        TelegramEmulator(rate_limit=RateLimit(per_chat_burst=1)) as emulator,
        Bot(TOKEN, base_url=emulator.base_url) as bot,
    ):
        anna = partner(emulator)
        await bot.send_message(anna.id, "1")
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(anna.id, "2")
        assert _seconds(caught.value) == 1
        await asyncio.sleep(_seconds(caught.value))  # what a client must do
        await bot.send_message(anna.id, "2")
        assert [m.plain_text for m in emulator.messages_to(anna)] == ["1", "2"]


@ignore_retry_after_deprecation
async def test_reading_time_refills_a_chat_only_when_its_user_acts_after_an_answer() -> None:
    limits = RateLimit(per_chat_burst=3, per_chat_per_second=1 / 60, reading_time=60)
    async with (
        TelegramEmulator(rate_limit=limits) as emulator,
        Bot(TOKEN, base_url=emulator.base_url) as bot,
    ):
        anna = partner(emulator)
        for number in (1, 2, 3):
            await bot.send_message(anna.id, str(number))
        emulator.send_text(anna, "Danke")  # read the answers: a minute's worth, one message
        emulator.send_text(anna, "Und?")  # no answer in between: nothing more to read
        await bot.send_message(anna.id, "4")
        with pytest.raises(RetryAfter):
            await bot.send_message(anna.id, "5")
        assert len(emulator.messages_to(anna)) == 4


@ignore_retry_after_deprecation
async def test_a_group_gets_at_most_its_limit_a_minute() -> None:
    group = Chat(id=-1005550001, type="supergroup", title="Orga")
    async with (
        TelegramEmulator(rate_limit=RateLimit(per_group_per_minute=2)) as emulator,
        Bot(TOKEN, base_url=emulator.base_url) as bot,
    ):
        emulator.add_chat(group)
        await bot.send_message(group.id, "1")
        await bot.send_message(group.id, "2")
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(group.id, "3")
        assert 1 <= _seconds(caught.value) <= 60
        assert len(emulator.messages_to(group)) == 2


async def test_the_bot_cannot_start_a_conversation(emulator: TelegramEmulator, bot: Bot) -> None:
    olaf = emulator.user(first_name="Olaf")
    group = emulator.add_chat(Chat(id=-1005550002, type="supergroup", title="Orga"))
    emulator.send_text(olaf, "Hallo zusammen", chat=group)  # in a group: no private chat yet
    with pytest.raises(Forbidden, match="bot can't initiate conversation with a user"):
        await bot.send_message(olaf.id, "Willkommen im Orga-Team")
    assert emulator.stats.rejected_403 == 1
    emulator.send_text(olaf, "/start")
    await bot.send_message(olaf.id, "Willkommen im Orga-Team")
    assert [m.plain_text for m in emulator.messages_to(olaf)] == ["Willkommen im Orga-Team"]


async def test_benchmarks_may_write_to_anyone() -> None:
    async with (
        TelegramEmulator(auto_create_chats=True) as emulator,
        Bot(TOKEN, base_url=emulator.base_url) as bot,
    ):
        await bot.send_message(emulator.user().id, "Rundschreiben")
        await bot.send_message(777_000_001, "Rundschreiben")
        assert emulator.stats.sent == 2


async def test_commands_are_stored_per_scope_and_language(
    emulator: TelegramEmulator, bot: Bot
) -> None:
    await bot.set_my_commands([BotCommand("start", "Beginnen")], language_code="de")
    await bot.set_my_commands([BotCommand("start", "Start"), BotCommand("help", "Help")])
    await bot.set_my_commands(
        [BotCommand("admin", "Verwalten")], scope=BotCommandScopeChat(chat_id=42)
    )
    assert emulator.commands(language_code="de") == [
        {"command": "start", "description": "Beginnen"}
    ]
    assert [c["command"] for c in emulator.commands()] == ["start", "help"]
    assert emulator.commands(BotCommandScopeChat(chat_id=42)) == [
        {"command": "admin", "description": "Verwalten"}
    ]
    german = await bot.get_my_commands(language_code="de")
    assert [(c.command, c.description) for c in german] == [("start", "Beginnen")]
    with pytest.raises(BadRequest):
        await bot.set_my_commands([BotCommand("Bad-Name", "x")])


async def test_replies_reference_the_user_message(emulator: TelegramEmulator, bot: Bot) -> None:
    anna = emulator.user()
    question = emulator.send_text(anna, "Wann ist Einlass?")
    answer = await bot.send_message(
        anna.id, "Ab 9 Uhr.", reply_to_message_id=question["message_id"]
    )
    assert answer.reply_to_message is not None
    assert answer.reply_to_message.text == "Wann ist Einlass?"
    assert emulator.sent[-1].reply_to_message_id == question["message_id"]
    with pytest.raises(BadRequest, match=r"(?i)message to be replied not found"):
        await bot.send_message(anna.id, "?", reply_to_message_id=999)


# ----------------------------------------------------------------------- raw HTTP


async def test_raw_http_long_poll_offset_and_unknown_method(emulator: TelegramEmulator) -> None:
    url = f"{emulator.base_url}{TOKEN}"
    anna = emulator.user()
    async with aiohttp.ClientSession() as http:
        poll = asyncio.create_task(http.post(f"{url}/getUpdates", data={"timeout": "3"}))
        await asyncio.sleep(0.05)
        assert not poll.done()  # held open until an update arrives
        emulator.send_text(anna, "/start@partnerbot_test_bot hallo")
        response = await asyncio.wait_for(poll, 1)
        updates = (await response.json())["result"]
        assert [u["message"]["text"] for u in updates] == ["/start@partnerbot_test_bot hallo"]
        assert updates[0]["message"]["entities"] == [
            {"type": "bot_command", "offset": 0, "length": 26}
        ]
        # Confirming with offset removes it; a zero timeout answers at once.
        next_offset = str(updates[0]["update_id"] + 1)
        async with http.post(f"{url}/getUpdates", data={"offset": next_offset}) as confirmed:
            assert (await confirmed.json())["result"] == []
        async with http.post(f"{url}/noSuchMethod") as missing:
            assert missing.status == 404
            assert await missing.json() == {
                "ok": False,
                "error_code": 404,
                "description": "Not Found",
            }
        # Strings stay strings: a numeric text is not turned into a number.
        async with http.post(f"{url}/sendMessage", json={"chat_id": anna.id, "text": "42"}) as r:
            assert (await r.json())["result"]["text"] == "42"


# ----------------------------------------------------------------------- real Application


async def test_ask_returns_the_reply_of_a_running_application(
    emulator: TelegramEmulator, app: Application
) -> None:
    anna = emulator.user(first_name="Anna")
    reply = await emulator.ask(anna, "/start")
    assert reply.plain_text == "Hallo Anna!"
    assert reply.chat_id == anna.id
    assert reply.button_texts == ["✅ Ja, ich komme", "Nein"]
    echo = await emulator.ask(anna, "a < b & <i>c</i>")
    assert echo.plain_text == "Du sagtest: a < b & <i>c</i>"
    replies = await emulator.ask_all(anna, "noch was", settle=0.05)
    assert [m.plain_text for m in replies] == ["Du sagtest: noch was"]


async def test_button_click_round_trip(emulator: TelegramEmulator, app: Application) -> None:
    anna = emulator.user()
    seen: list[tuple[str, object]] = []
    emulator.add_listener(lambda kind, item: seen.append((kind, item)))
    menu = await emulator.ask(anna, "/start")
    query = emulator.click(anna, menu, "Ja")  # substring of "✅ Ja, ich komme"
    answer = await emulator.wait_for_answer(query)
    assert (answer.text, answer.show_alert) == ("Gespeichert", False)
    edit = await emulator.wait_for_edit(menu)
    assert edit.plain_text == "Antwort: rsvp:yes"
    assert menu.plain_text == "Antwort: rsvp:yes"
    assert menu.buttons == []  # editing without reply_markup removes the keyboard, as on Telegram
    with pytest.raises(AssertionError, match="no inline keyboard"):
        emulator.click(anna, menu, "Nein")
    other = await emulator.ask(anna, "/start")
    with pytest.raises(AssertionError, match="available buttons"):
        emulator.click(anna, other, "Vielleicht")
    assert [kind for kind, _ in seen] == ["sent", "callback_answer", "edited", "sent"]


async def test_wait_for_times_out_with_a_useful_message(
    emulator: TelegramEmulator, app: Application
) -> None:
    anna = emulator.user()
    group = emulator.add_chat(Chat(id=-1001234567890, type="supergroup", title="Orga"))
    emulator.send_sticker(anna, chat=group)  # no handler reacts to stickers
    with pytest.raises(WaitTimeout, match=r"Timed out after 0\.2s"):
        await emulator.wait_for(group.id, timeout=0.2)


async def test_listener_coroutines_are_awaited(emulator: TelegramEmulator, bot: Bot) -> None:
    anna = partner(emulator)
    printed: list[str] = []

    async def console(kind: str, item: object) -> None:
        assert isinstance(item, SentMessage)
        printed.append(f"{kind}: {item.plain_text}")

    emulator.add_listener(console)
    await bot.send_message(anna.id, "Willkommen")
    await asyncio.sleep(0)
    assert printed == ["sent: Willkommen"]


async def test_mini_app_buttons_need_an_https_address_and_a_private_chat(
    emulator: TelegramEmulator, bot: Bot
) -> None:
    anna = partner(emulator)
    opens = InlineKeyboardMarkup(
        [[InlineKeyboardButton("Öffnen", web_app=WebAppInfo("https://bot.example.org/d/"))]]
    )
    await bot.send_message(anna.id, "Übersicht", reply_markup=opens)
    assert emulator.sent[-1].buttons[0][0].web_app_url == "https://bot.example.org/d/"
    for url in ("http://bot.example.org/d/", "javascript:alert(1)"):
        plain = InlineKeyboardMarkup([[InlineKeyboardButton("Öffnen", web_app=WebAppInfo(url))]])
        with pytest.raises(BadRequest, match=r"(?i)button_url_invalid"):
            await bot.send_message(anna.id, "Übersicht", reply_markup=plain)
    group = emulator.add_chat(Chat(id=-1005550003, type="supergroup", title="Orga"))
    with pytest.raises(BadRequest, match=r"(?i)button_type_invalid"):
        await bot.send_message(group.id, "Übersicht", reply_markup=opens)


async def test_the_menu_button_is_kept_per_chat_and_checked(
    emulator: TelegramEmulator, bot: Bot
) -> None:
    anna, olga = partner(emulator), partner(emulator)
    app = MenuButtonWebApp("Übersicht", WebAppInfo("https://bot.example.org/d/"))
    await bot.set_chat_menu_button(chat_id=olga.id, menu_button=app)
    assert emulator.menu_button(olga.id) == app.to_dict()
    assert emulator.menu_button(anna.id) is None and emulator.menu_button() is None
    bad = MenuButtonWebApp("Übersicht", WebAppInfo("http://bot.example.org/d/"))
    with pytest.raises(BadRequest, match=r"(?i)button_url_invalid"):
        await bot.set_chat_menu_button(chat_id=olga.id, menu_button=bad)
    await bot.set_chat_menu_button(chat_id=olga.id, menu_button=MenuButtonDefault())
    assert emulator.menu_button(olga.id) == {"type": "default"}
