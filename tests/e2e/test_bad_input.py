"""Whatever a partner sends, the bot replies briefly and helpfully, and stays responsive."""

from __future__ import annotations

import pytest

from bot.emulator import Chat, TelegramEmulator
from tests.conftest import ORGANISERS_CHAT
from tests.harness import RunningBot

NOT_TEXT_DE = "Ich kann nur Textnachrichten lesen"


@pytest.mark.parametrize(
    "send",
    [
        lambda emulator, user: emulator.send_sticker(user),
        lambda emulator, user: emulator.send_photo(user, caption="Wo ist das?"),
        lambda emulator, user: emulator.send_voice(user),
        lambda emulator, user: emulator.send_document(user, "agenda.pdf", b"%PDF-1.4"),
        lambda emulator, user: emulator.send_location(user, 51.34, 12.37),
        lambda emulator, user: emulator.send_contact(user, "+49341123456", first_name="Max"),
        lambda emulator, user: emulator.send_update(
            {
                "message": {
                    "from": user.to_dict(),
                    "chat": {"id": user.id, "type": "private"},
                    "poll": {
                        "id": "1",
                        "question": "Kommt ihr?",
                        "options": [{"persistent_id": "a", "text": "Ja", "voter_count": 0}],
                        "total_voter_count": 0,
                        "is_closed": False,
                        "is_anonymous": True,
                        "type": "regular",
                        "allows_multiple_answers": False,
                        "allows_revoting": False,
                        "members_only": False,
                    },
                }
            }
        ),
    ],
    ids=["sticker", "photo", "voice", "document", "location", "contact", "poll"],
)
async def test_non_text_gets_a_friendly_hint(
    bot: RunningBot, emulator: TelegramEmulator, send
) -> None:
    anna = emulator.user(language_code="de")
    mark = emulator.mark()
    send(emulator, anna)
    reply = await emulator.wait_for(anna, since=mark)
    assert NOT_TEXT_DE in reply.plain_text


async def test_non_text_hint_in_english(bot: RunningBot, emulator: TelegramEmulator) -> None:
    john = emulator.user(language_code="en")
    mark = emulator.mark()
    emulator.send_sticker(john)
    assert "I can only read text" in (await emulator.wait_for(john, since=mark)).plain_text


async def test_edited_question_is_answered_again(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    john = emulator.user(language_code="en")
    original = emulator.send_text(john, "Whre is teh")
    await emulator.wait_for(john)
    mark = emulator.mark()
    emulator.edit_text(john, original, "Where is the venue?")
    assert "Naschmarkt 1" in (await emulator.wait_for(john, since=mark)).plain_text


async def test_unknown_command_and_stray_arguments(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    anna = emulator.user(language_code="de")
    assert "Diesen Befehl kenne ich nicht" in (await emulator.ask(anna, "/foobar")).plain_text
    reply = await emulator.ask(anna, "/keynote bitte jetzt sofort")
    assert "Levermann" in reply.plain_text


async def test_huge_text_with_emoji_rtl_and_html_is_handled(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    anna = emulator.user(language_code="de")
    chunk = "🌍 مرحبا <script>alert(1)</script> & שלום "
    text = (chunk * 200)[:4096]
    reply = await emulator.ask(anna, text)
    assert "keine sichere Antwort" in reply.plain_text
    relayed = await emulator.wait_for(ORGANISERS_CHAT.id)
    assert relayed is not None
    assert "<script>alert(1)</script>" in relayed.plain_text
    assert len(relayed.plain_text) <= 4096


async def test_punctuation_only_gets_a_prompt_for_a_question(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    anna = emulator.user(language_code="de")
    reply = await emulator.ask(anna, "???")
    assert "Stellen Sie mir gern eine Frage" in reply.plain_text
    assert emulator.last_to(ORGANISERS_CHAT.id) is None


async def test_group_chatter_is_ignored_unless_the_bot_is_addressed(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    group = emulator.add_chat(Chat(id=-1009876, type="supergroup", title="Partner"))
    anna = emulator.user(language_code="de")
    mark = emulator.mark()
    emulator.send_text(anna, "Wann ist die Keynote?", chat=group)
    emulator.send_sticker(anna, chat=group)
    emulator.send_text(anna, "/unbekannt", chat=group)
    emulator.send_text(anna, "@partnerbot_test_bot wo ist der Veranstaltungsort?", chat=group)
    reply = await emulator.wait_for(group.id, since=mark)
    assert "Naschmarkt 1" in reply.plain_text
    assert len(emulator.messages_to(group.id)) == 1


async def test_channel_posts_are_ignored(bot: RunningBot, emulator: TelegramEmulator) -> None:
    channel = emulator.add_chat(Chat(id=-1005555, type="channel", title="News"))
    emulator.send_update(
        {"channel_post": {"chat": channel.to_dict(), "text": "Wann ist die Keynote?"}}
    )
    anna = emulator.user(language_code="de")
    await emulator.ask(anna, "/start")  # processed after the channel post
    assert emulator.messages_to(channel.id) == []


async def test_stale_button_is_answered_with_a_note(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    anna = emulator.user(language_code="de")
    prompt = await emulator.ask(anna, "/sprache")
    query = emulator.send_update(
        {
            "callback_query": {
                "id": "stale-1",
                "from": anna.to_dict(),
                "chat_instance": "1",
                "data": "rsvp:old-conversation",
                "message": prompt.payload,
            }
        }
    )
    answer = await emulator.wait_for_answer(query["callback_query"])
    assert answer.text == "Diese Schaltfläche ist nicht mehr aktiv."


async def test_failure_while_replying_gets_an_apology_without_details(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    anna = emulator.user(language_code="de")
    emulator.fail_next("sendMessage", chat_id=anna.id, error_code=400, description="Bad Request")
    mark = emulator.mark()
    emulator.send_text(anna, "/programm")
    apology = await emulator.wait_for(anna, since=mark)
    assert apology.plain_text.startswith("Entschuldigung, da ist bei mir etwas schiefgegangen")
    assert "Bad Request" not in apology.plain_text
    assert "Levermann" in (await emulator.ask(anna, "/keynote")).plain_text


async def test_bot_stays_responsive_after_a_barrage(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    # Thirty answers: as many as Telegram takes in a second.
    partners = [emulator.user(language_code="de") for _ in range(10)]
    for partner in partners:
        emulator.send_sticker(partner)
        emulator.send_text(partner, "x" * 4096)
        emulator.send_text(partner, "/nix")
    anna = partners[0]
    mark = emulator.mark()
    emulator.send_text(anna, "Wo findet die Konferenz statt?")
    # Anna's own updates are answered in order, so her question comes after her barrage.
    replies = [await emulator.wait_for(anna, since=mark, count=n, timeout=10) for n in (1, 2, 3, 4)]
    assert "Alte Handelsbörse" in replies[-1].plain_text


@pytest.mark.parametrize(
    "command", ["/anmelden", "/meine_anmeldung@partnerbot_test_bot", "/export"]
)
async def test_personal_commands_in_a_group_point_to_the_private_chat(
    bot: RunningBot, emulator: TelegramEmulator, command: str
) -> None:
    group = emulator.add_chat(Chat(id=-1007777, type="supergroup", title="Partner"))
    anna = emulator.user(language_code="de")
    reply = await emulator.ask(anna, command, chat=group)
    assert "Schreiben Sie mir bitte privat" in reply.plain_text
    assert "https://t.me/partnerbot_test_bot" in reply.plain_text
