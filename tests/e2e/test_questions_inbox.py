"""The organisers' inbox of relayed questions, and a second answer to one answered before."""

from __future__ import annotations

from bot.emulator import SentMessage, TelegramEmulator, User
from bot.partners.invites import OrganisationRow
from bot.questions.service import QuestionState
from tests.conftest import ORGANISERS_CHAT
from tests.harness import RunningBot, StartBot

OLGA, OTTO = 7001, 7002


async def start(start_bot: StartBot, language: str) -> RunningBot:
    return await start_bot(
        admin_ids=frozenset({OLGA, OTTO}),
        organiser_chat_id=ORGANISERS_CHAT.id,
        default_language=language,
    )


async def relayed(
    bot: RunningBot, emulator: TelegramEmulator, partner: User, text: str
) -> SentMessage:
    mark = emulator.mark()
    emulator.send_text(partner, text)
    return await bot.relayed_question(emulator, ORGANISERS_CHAT.id, since=mark)


async def reply_in_group(
    emulator: TelegramEmulator, organiser: User, text: str, to: SentMessage
) -> SentMessage:
    """The organiser replies to the relayed question; the bot's answer in the group."""
    mark = emulator.mark()
    emulator.send_text(organiser, text, chat=ORGANISERS_CHAT, reply_to=to)
    return await emulator.wait_for(ORGANISERS_CHAT.id, since=mark)


async def test_a_second_answer_is_sent_only_as_an_addition_the_organiser_chose(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    bot = await start(start_bot, "de")
    olga = emulator.user(id=OLGA, first_name="Olga")
    otto = emulator.user(id=OTTO, first_name="Otto")
    anna = emulator.user(first_name="Anna", language_code="de")
    invite = await bot.services.partners.invite(OrganisationRow("Stadtwerke Leipzig"), OLGA)
    await emulator.ask(anna, f"/start {invite.code}")
    question = await relayed(bot, emulator, anna, "Gibt es eine Kinderbetreuung?")

    first = await reply_in_group(emulator, olga, "Nein, leider <nicht>.", question)
    assert "an Anna weitergeleitet" in first.plain_text
    mark = emulator.mark()
    asked = await reply_in_group(emulator, otto, "Doch, im Raum 2!", question)
    assert "Die Frage von Anna hat Olga schon am" in asked.plain_text
    assert "Nein, leider <nicht>." in asked.plain_text
    assert asked.button_texts == ["Als Ergänzung senden", "Nicht senden"]
    await bot.settled()
    assert emulator.messages_to(anna, since=mark) == []  # nothing sent before the choice

    emulator.click(otto, asked, "Als Ergänzung senden")
    header = await emulator.wait_for(anna, since=mark)
    assert "Ergänzung des Orga-Teams zu Ihrer Frage „Gibt es eine Kinderbetreuung?“" in (
        header.plain_text
    )
    copy = await emulator.wait_for(anna, since=mark, count=2)
    assert copy.plain_text == "Doch, im Raum 2!"
    while "Ergänzung an Anna weitergeleitet" not in asked.plain_text:
        await emulator.wait_for_edit(asked)
    assert asked.buttons == []

    mark = emulator.mark()
    again = await reply_in_group(emulator, otto, "Und Snacks gibt es auch.", question)
    emulator.click(otto, again, "Nicht senden")
    await emulator.wait_for_edit(again)
    assert again.plain_text == "Nicht gesendet; es bleibt bei der ersten Antwort."
    await bot.settled()
    assert emulator.messages_to(anna, since=mark) == []

    (listed,) = await bot.services.questions.inbox()
    assert listed.state is QuestionState.ANSWERED
    assert (listed.answered_by, listed.answered_by_name) == (OLGA, "Olga")
    assert listed.answer_html == "Nein, leider &lt;nicht&gt;."  # the first answer stays
    assert (listed.organisation, listed.language, listed.partner_name) == (
        "Stadtwerke Leipzig",
        "de",
        "Anna",
    )
    assert listed.asked_at == bot.clock.now()


async def test_inbox_tells_open_answered_and_undelivered_apart_in_english(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    bot = await start(start_bot, "en")
    olga = emulator.user(id=OLGA, first_name="Olga")
    otto = emulator.user(id=OTTO, first_name="Otto")
    jane, ben, cleo = (
        emulator.user(first_name=name, language_code="en") for name in ("Jane", "Ben", "Cleo")
    )
    answered = await relayed(bot, emulator, jane, "Who won the chess tournament last week?")
    blocked = await relayed(bot, emulator, ben, "Who won the cycling race on Sunday?")
    await relayed(bot, emulator, cleo, "Who won the football match yesterday?")

    await reply_in_group(emulator, olga, "No, sorry.", answered)
    emulator.block(ben)
    notice = await reply_in_group(emulator, olga, "Yes.", blocked)
    assert "Ben has blocked the bot" in notice.plain_text

    asked = await reply_in_group(emulator, otto, "Actually, yes!", answered)
    assert "Olga already answered the question of Jane on" in asked.plain_text
    assert "No, sorry." in asked.plain_text
    assert asked.button_texts == ["Send as addition", "Don't send"]
    mark = emulator.mark()
    emulator.click(otto, asked, "Don't send")
    await emulator.wait_for_edit(asked)
    assert asked.plain_text == "Not sent; the first answer stands."
    await bot.settled()
    assert emulator.messages_to(jane, since=mark) == []

    inbox = {question.partner_name: question for question in await bot.services.questions.inbox()}
    assert inbox["Cleo"].state is QuestionState.OPEN and inbox["Cleo"].answered_by is None
    assert inbox["Jane"].state is QuestionState.ANSWERED
    assert inbox["Ben"].state is QuestionState.UNDELIVERED
    assert inbox["Ben"].answered_by_name == "Olga" and inbox["Ben"].answered_at is not None
    assert inbox["Jane"].language == "en" and inbox["Jane"].organisation is None

    # The undelivered question is not taken for answered: a later reply still goes out.
    emulator.unblock(ben)
    mark = emulator.mark()
    await reply_in_group(emulator, otto, "Yes, on a lead.", blocked)
    assert "Yes, on a lead." in (await emulator.wait_for(ben, since=mark)).plain_text
