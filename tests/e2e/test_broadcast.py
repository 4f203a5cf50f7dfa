"""Organisers announce to partners: compose, preview, audience, send once, report."""

from __future__ import annotations

import asyncio
import csv
import io

import pytest

from bot.emulator import SentMessage, TelegramEmulator, User
from bot.registration.service import RsvpAnswers
from tests.e2e.rsvp_steps import tap, with_capacity
from tests.harness import RunningBot, StartBot

ORGANISER_ID = 5151
BOLD_AND_LINK = [
    {"type": "bold", "offset": 0, "length": 7},
    {"type": "text_link", "offset": 12, "length": 5, "url": "https://www.leipzig.de/"},
]


@pytest.fixture
async def bot(start_bot: StartBot) -> RunningBot:
    return await start_bot(admin_ids=frozenset({ORGANISER_ID}), programme=with_capacity(2))


@pytest.fixture
def organiser(emulator: TelegramEmulator) -> User:
    return emulator.user(id=ORGANISER_ID, first_name="Olga", language_code="de")


async def partners(bot: RunningBot, emulator: TelegramEmulator) -> dict[str, User]:
    """Five partners: Anna and John (English) registered, which fills the two seats, Ben on
    the waitlist, Cleo declined, Dora has not answered."""
    people = {
        name: emulator.user(first_name=name, language_code="en" if name == "John" else "de")
        for name in ("Anna", "Ben", "Cleo", "Dora", "John")
    }
    for person in people.values():
        await emulator.ask(person, "/start")
    registrations = bot.services.registrations
    await registrations.submit(people["Anna"].id, RsvpAnswers(attending=True, name="Anna"))
    await registrations.submit(people["John"].id, RsvpAnswers(attending=True, name="John"))
    await registrations.submit(people["Cleo"].id, RsvpAnswers(attending=False, name="Cleo"))
    waitlisted = RsvpAnswers(attending=True, name="Ben", waitlist_ok=True)
    await registrations.submit(people["Ben"].id, waitlisted)
    return people


async def compose(
    emulator: TelegramEmulator, organiser: User, text: str = "Wichtig: neue Infos", entities=None
) -> SentMessage:
    await emulator.ask(organiser, "/rundschreiben")
    mark = emulator.mark()
    emulator.send_text(organiser, text, entities=entities or BOLD_AND_LINK)
    return await emulator.wait_for(organiser, since=mark)


async def preview_and_audience(
    emulator: TelegramEmulator, organiser: User, question: SentMessage
) -> list[SentMessage]:
    mark = emulator.mark()
    emulator.click(organiser, question, "Eine Fassung für alle")
    return [await emulator.wait_for(organiser, since=mark, count=n) for n in (1, 2, 3)]


async def final_report(emulator: TelegramEmulator, organiser: User) -> SentMessage:
    """The organiser's "send now?" message, which becomes the progress report, at its end."""
    report = next(
        m for m in reversed(emulator.messages_to(organiser)) if "senden?" in m.initial_plain_text
    )
    while "Rundschreiben verschickt" not in report.plain_text:
        await emulator.wait_for_edit(report, timeout=10)
    return report


async def test_announcement_reaches_its_audience_with_formatting_kept(
    bot: RunningBot, emulator: TelegramEmulator, organiser: User
) -> None:
    people = await partners(bot, emulator)
    question = await compose(emulator, organiser)
    assert "Fassung auf Englisch" in question.plain_text
    header, preview, audience = await preview_and_audience(emulator, organiser, question)
    assert "Vorschau" in header.plain_text
    assert preview.text == "Wichtig: neue Infos"
    assert preview.entities == BOLD_AND_LINK
    assert audience.button_texts == [
        "Alle Partner (5)",
        "Angemeldet (2)",
        "Warteliste (1)",
        "Abgesagt (1)",
        "Noch keine Antwort (1)",
        "Eingecheckt (0)",
        "Noch nicht eingecheckt (2)",
    ]
    confirm = await tap(emulator, organiser, audience, "Angemeldet (2)")
    assert "an <b>2</b> Empfänger" in (confirm.text or "")
    mark = emulator.mark()
    emulator.click(organiser, confirm, "Jetzt senden")
    for name in ("Anna", "John"):
        received = await emulator.wait_for(people[name], since=mark)
        assert received.text == "Wichtig: neue Infos"
        assert received.entities == BOLD_AND_LINK
    report = await final_report(emulator, organiser)
    assert "Zugestellt: 2 von 2" in report.plain_text
    await bot.settled()
    for name in ("Ben", "Cleo", "Dora"):
        assert emulator.messages_to(people[name], since=mark) == []


@pytest.mark.parametrize(
    ("button", "names"),
    [
        ("Alle Partner", {"Anna", "Ben", "Cleo", "Dora", "John"}),
        ("Warteliste", {"Ben"}),
        ("Abgesagt", {"Cleo"}),
        ("Noch keine Antwort", {"Dora"}),
    ],
)
async def test_every_audience_gets_exactly_its_members(
    bot: RunningBot, emulator: TelegramEmulator, organiser: User, button: str, names: set[str]
) -> None:
    people = await partners(bot, emulator)
    _, _, audience = await preview_and_audience(
        emulator, organiser, await compose(emulator, organiser)
    )
    confirm = await tap(emulator, organiser, audience, button)
    emulator.click(organiser, confirm, "Jetzt senden")
    await final_report(emulator, organiser)
    got = {
        name
        for name, person in people.items()
        if any(m.text == "Wichtig: neue Infos" for m in emulator.messages_to(person))
    }
    assert got == names


async def test_partners_get_their_language_version(
    bot: RunningBot, emulator: TelegramEmulator, organiser: User
) -> None:
    people = await partners(bot, emulator)
    await compose(emulator, organiser, "Neue Infos", [])
    mark = emulator.mark()
    emulator.send_text(organiser, "News", entities=[])
    audience = await emulator.wait_for(
        organiser,
        since=mark,
        predicate=lambda m: bool(m.buttons) and "Alle Partner" in m.button_texts[0],
    )
    confirm = await tap(emulator, organiser, audience, "Angemeldet")
    mark = emulator.mark()
    emulator.click(organiser, confirm, "Jetzt senden")
    assert (await emulator.wait_for(people["Anna"], since=mark)).text == "Neue Infos"
    assert (await emulator.wait_for(people["John"], since=mark)).text == "News"


async def test_photo_with_caption_is_announced(
    bot: RunningBot, emulator: TelegramEmulator, organiser: User
) -> None:
    people = await partners(bot, emulator)
    await emulator.ask(organiser, "/rundschreiben")
    mark = emulator.mark()
    emulator.send_photo(organiser, b"\x89PNG plan", caption="Der Saalplan")
    question = await emulator.wait_for(organiser, since=mark)
    _, preview, audience = await preview_and_audience(emulator, organiser, question)
    assert preview.method == "sendPhoto" and preview.caption == "Der Saalplan"
    confirm = await tap(emulator, organiser, audience, "Noch keine Antwort")
    mark = emulator.mark()
    emulator.click(organiser, confirm, "Jetzt senden")
    photo = await emulator.wait_for(people["Dora"], since=mark)
    assert photo.method == "sendPhoto" and photo.caption == "Der Saalplan"


@pytest.mark.parametrize(
    ("send", "refusal"),
    [
        (lambda e, u: e.send_sticker(u), "Das kann ich nicht verschicken"),
        (lambda e, u: e.send_voice(u), "Das kann ich nicht verschicken"),
        (
            lambda e, u: e.send_text(u, "x" * 4097),
            "4097 Zeichen lang; Telegram erlaubt höchstens 4096",
        ),
        (
            lambda e, u: e.send_photo(u, caption="y" * 1025),
            "1025 Zeichen lang; Telegram erlaubt höchstens 1024",
        ),
        (lambda e, u: e.send_text(u, "   "), "Die Nachricht ist leer"),
    ],
    ids=["sticker", "voice", "long-text", "long-caption", "empty"],
)
async def test_unsendable_announcements_are_refused_before_the_preview(
    bot: RunningBot, emulator: TelegramEmulator, organiser: User, send, refusal: str
) -> None:
    await emulator.ask(organiser, "/rundschreiben")
    mark = emulator.mark()
    send(emulator, organiser)
    reply = await emulator.wait_for(organiser, since=mark)
    assert refusal in reply.plain_text
    question = await emulator.ask(organiser, "Jetzt aber richtig")
    assert "Fassung auf Englisch" in question.plain_text


async def test_double_tap_sends_once_and_old_buttons_do_nothing(
    bot: RunningBot, emulator: TelegramEmulator, organiser: User
) -> None:
    people = await partners(bot, emulator)
    _, _, audience = await preview_and_audience(
        emulator, organiser, await compose(emulator, organiser)
    )
    old_audience_button = audience.button("Alle Partner").callback_data
    confirm = await tap(emulator, organiser, audience, "Angemeldet")
    emulator.click(organiser, confirm, "Jetzt senden")
    second = emulator.click(organiser, confirm, "Jetzt senden")
    stale = "Diese Schaltfläche ist nicht mehr aktiv."
    assert (await emulator.wait_for_answer(second)).text == stale
    late = emulator.send_update(
        {
            "callback_query": {
                "from": organiser.to_dict(),
                "chat_instance": "z",
                "data": old_audience_button,
                "message": audience.payload,
            }
        }
    )["callback_query"]
    assert (await emulator.wait_for_answer(late)).text == stale
    await final_report(emulator, organiser)
    anna = [m for m in emulator.messages_to(people["Anna"]) if m.text == "Wichtig: neue Infos"]
    assert len(anna) == 1
    assert len(await bot.services.announcements.recent()) == 1


async def test_another_organiser_cannot_send_someone_elses_draft(
    start_bot: StartBot, emulator: TelegramEmulator, organiser: User
) -> None:
    bot = await start_bot(admin_ids=frozenset({ORGANISER_ID, 6262}), programme=with_capacity(2))
    people = await partners(bot, emulator)
    other = emulator.user(id=6262, language_code="de")
    _, _, audience = await preview_and_audience(
        emulator, organiser, await compose(emulator, organiser)
    )
    confirm = await tap(emulator, organiser, audience, "Angemeldet")
    query = emulator.send_update(
        {
            "callback_query": {
                "from": other.to_dict(),
                "chat_instance": "y",
                "data": confirm.button("Jetzt senden").callback_data,
                "message": confirm.payload,
            }
        }
    )["callback_query"]
    assert (
        await emulator.wait_for_answer(query)
    ).text == "Diese Schaltfläche ist nicht mehr aktiv."
    await bot.settled()
    assert not any(m.text == "Wichtig: neue Infos" for m in emulator.messages_to(people["Anna"]))


async def test_cancelling_sends_nothing(
    bot: RunningBot, emulator: TelegramEmulator, organiser: User
) -> None:
    people = await partners(bot, emulator)
    _, _, audience = await preview_and_audience(
        emulator, organiser, await compose(emulator, organiser)
    )
    confirm = await tap(emulator, organiser, audience, "Alle Partner")
    assert (
        "nichts wurde verschickt"
        in (await tap(emulator, organiser, confirm, "Abbrechen")).plain_text
    )
    await bot.settled()
    assert not any(m.text == "Wichtig: neue Infos" for m in emulator.messages_to(people["Anna"]))


async def test_non_organisers_are_refused_and_nothing_is_queued(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    anna = emulator.user(language_code="de")
    assert "nur dem Orga-Team" in (await emulator.ask(anna, "/rundschreiben")).plain_text
    assert "nur dem Orga-Team" in (await emulator.ask(anna, "/broadcasts")).plain_text
    reply = await emulator.ask(anna, "Hallo zusammen")  # not taken as an announcement
    assert "Hallo zusammen" not in reply.plain_text
    assert await bot.services.announcements.recent() == []


async def test_list_shows_figures_and_undelivered_recipients_as_csv(
    bot: RunningBot, emulator: TelegramEmulator, organiser: User
) -> None:
    people = await partners(bot, emulator)
    emulator.block(people["Dora"])
    _, _, audience = await preview_and_audience(
        emulator, organiser, await compose(emulator, organiser)
    )
    confirm = await tap(emulator, organiser, audience, "Noch keine Antwort")
    emulator.click(organiser, confirm, "Jetzt senden")
    await final_report(emulator, organiser)
    listing = await emulator.ask(organiser, "/broadcasts")
    assert "Noch keine Antwort" in listing.plain_text
    assert "1 nicht erreichbar" in listing.plain_text
    document = await tap(emulator, organiser, listing, "Nicht zugestellte")
    rows = list(
        csv.reader(io.StringIO(document.document.content.decode("utf-8-sig")), delimiter=";")
    )
    assert rows[1][0] == str(people["Dora"].id)
    assert rows[1][3] == "unreachable"


async def test_partner_is_answered_while_a_large_broadcast_is_under_way(
    start_bot: StartBot, emulator: TelegramEmulator, organiser: User
) -> None:
    bot = await start_bot(admin_ids=frozenset({ORGANISER_ID}))
    # Fifty take two seconds at 25 a second, a reply some milliseconds; more would only cost
    # the test time, since the greetings too go out at no more than 30 a second.
    crowd = [emulator.user(language_code="de") for _ in range(50)]
    for person in crowd:
        emulator.send_text(person, "/start")
    await emulator.wait_for(crowd[-1], timeout=20)
    _, _, audience = await preview_and_audience(
        emulator, organiser, await compose(emulator, organiser)
    )
    confirm = await tap(emulator, organiser, audience, "Alle Partner")
    mark = emulator.mark()
    emulator.click(organiser, confirm, "Jetzt senden")
    async with asyncio.timeout(10):  # until the broadcast is under way
        while True:
            if any(m.text == "Wichtig: neue Infos" for m in emulator.sent[mark:]):
                break
            await asyncio.sleep(0.01)
    asker = crowd[-1]
    mark = emulator.mark()
    emulator.send_text(asker, "Wo findet die Konferenz statt?")
    await emulator.wait_for(
        asker, since=mark, predicate=lambda m: "Alte Handelsbörse" in m.plain_text, timeout=5
    )
    counts = (await bot.services.announcements.recent())[0].counts
    assert counts.pending > 0, "the answer came while the broadcast was still going"
