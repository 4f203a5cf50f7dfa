"""Steps a partner takes in the RSVP conversation, so tests read like the partner's story."""

from __future__ import annotations

from bot.emulator import SentMessage, TelegramEmulator, User
from bot.programme.model import SHIPPED_PROGRAMME, Programme, load_programme


def with_capacity(capacity: int) -> Programme:
    """The shipped programme with another number of seats."""
    programme = load_programme(SHIPPED_PROGRAMME)
    event = programme.event.model_copy(update={"capacity": capacity})
    return programme.model_copy(update={"event": event})


async def tap(
    emulator: TelegramEmulator, user: User, message: SentMessage, button: str
) -> SentMessage:
    """Tap a button and return the bot's next message to the partner."""
    mark = emulator.mark()
    emulator.click(user, message, button)
    return await emulator.wait_for(user, since=mark)


async def register(
    emulator: TelegramEmulator,
    user: User,
    *,
    persons: int = 2,
    organisation: str = "Leipziger Stadtwerke",
    name: str | None = None,
) -> SentMessage:
    """The whole German conversation up to the summary; returns the summary message."""
    question = await emulator.ask(user, "/anmelden")
    question = await tap(emulator, user, question, "Ja, ich komme")
    if name is None:
        question = await tap(emulator, user, question, "übernehmen")
    else:
        question = await emulator.ask(user, name)
    question = await emulator.ask(user, organisation)
    question = await tap(emulator, user, question, str(persons))
    question = await tap(emulator, user, question, "Vegetarisch")
    question = await tap(emulator, user, question, "Nein, danke")
    return await tap(emulator, user, question, "Ja, einverstanden")


async def register_and_confirm(
    emulator: TelegramEmulator, user: User, *, persons: int = 2, **answers: str
) -> SentMessage:
    """Register and confirm; returns the bot's answer, after the calendar file and the ticket
    if they come."""
    summary = await register(emulator, user, persons=persons, **answers)
    mark = emulator.mark()
    answer = await tap(emulator, user, summary, "Bestätigen")
    if "Sie sind angemeldet" in answer.plain_text:
        await emulator.wait_for(user, since=mark, predicate=lambda m: m.document is not None)
        await emulator.wait_for(user, since=mark, predicate=lambda m: m.photo is not None)
    return answer
