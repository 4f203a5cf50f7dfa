"""Partners ask in their own words; unknown questions reach the organisers and come back."""

from __future__ import annotations

import pytest

from bot.emulator import TelegramEmulator
from bot.programme.model import SHIPPED_PROGRAMME, load_programme, parse_programme, programme_data
from bot.questions.classifier import classifier_for
from tests.conftest import ORGANISERS_CHAT
from tests.e2e.rsvp_steps import tap
from tests.e2e.test_invite_links import ORGANISER_ID, invite_code
from tests.harness import RunningBot, StartBot


@pytest.mark.parametrize(
    ("language", "question", "expected"),
    [
        ("de", "wann faengt die keynote an?", "Prof. Dr. Anders Levermann"),
        ("en", "whats the adress of the venue", "Naschmarkt 1, 04109 Leipzig"),
        ("de", "Gibt es Parkplätze?", "Augustusplatz"),
        ("en", "Is the Handelsboerse wheelchair accessible?", "step-free"),
        ("de", "Wann spricht der Oberbürgermeister?", "17:30–18:00 Uhr"),
    ],
)
async def test_questions_are_answered_in_the_partners_language(
    bot: RunningBot, emulator: TelegramEmulator, language: str, question: str, expected: str
) -> None:
    partner = emulator.user(language_code=language)
    reply = await emulator.ask(partner, question)
    assert expected in reply.plain_text


@pytest.fixture
def trained() -> None:
    """The answerer's model, trained before the bot starts: a start does not wait for it."""
    classifier_for(load_programme(SHIPPED_PROGRAMME))


@pytest.mark.parametrize(
    ("language", "question", "expected"),
    [
        (
            "de",
            "Dürfte ich mich erkundigen, ab welcher Uhrzeit der Einlass in die Alte Handelsbörse "
            "vorgesehen ist?",
            "Einlass und Empfang",
        ),
        (
            "en",
            "We would be grateful for a brief note on whether attendance incurs any fee for our "
            "association.",
            "free of charge",
        ),
    ],
)
async def test_formal_questions_are_answered_from_the_examples(
    trained: None,
    bot: RunningBot,
    emulator: TelegramEmulator,
    language: str,
    question: str,
    expected: str,
) -> None:
    # The words alone relay both (tests/unit/test_classifier.py).
    reply = await emulator.ask(emulator.user(language_code=language), question)
    assert expected in reply.plain_text


async def test_unknown_question_is_admitted_and_relayed_to_the_organisers(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    anna = emulator.user(first_name="Anna", last_name="<Muster>", language_code="de")
    reply = await emulator.ask(anna, "Wie lautet das WLAN-Passwort <heute>?")
    assert "keine sichere Antwort" in reply.plain_text
    assert "an das Orga-Team weitergeleitet" in reply.plain_text

    relayed = await bot.relayed_question(emulator, ORGANISERS_CHAT.id)
    assert relayed is not None
    assert "Anna <Muster>" in relayed.plain_text
    assert "Wie lautet das WLAN-Passwort <heute>?" in relayed.plain_text

    organiser = emulator.user(first_name="Olga")
    mark = emulator.mark()
    emulator.send_text(
        organiser, "Das WLAN heißt <b>Klima</b>", chat=ORGANISERS_CHAT, reply_to=relayed
    )
    answer = await emulator.wait_for(anna, since=mark)
    assert "Antwort des Orga-Teams" in answer.plain_text
    assert "Das WLAN heißt <b>Klima</b>" in answer.plain_text
    confirmation = await emulator.wait_for(ORGANISERS_CHAT.id, since=mark)
    assert "an Anna <Muster> weitergeleitet" in confirmation.plain_text


async def test_organiser_formatting_reaches_the_partner(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    john = emulator.user(first_name="John", language_code="en")
    await emulator.ask(john, "Is there a hackathon afterwards?")
    relayed = await bot.relayed_question(emulator, ORGANISERS_CHAT.id)
    organiser = emulator.user(first_name="Olga")
    mark = emulator.mark()
    emulator.send_text(
        organiser,
        "No, but see the city site",
        chat=ORGANISERS_CHAT,
        reply_to=relayed,
        entities=[{"type": "bold", "offset": 0, "length": 2}],
    )
    answer = await emulator.wait_for(john, since=mark)
    assert "Answer from the organisers" in answer.plain_text
    assert "<b>No</b>, but see the city site" in (answer.text or "")


async def test_relay_answer_survives_a_restart(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    first = await start_bot(organiser_chat_id=ORGANISERS_CHAT.id)
    anna = emulator.user(first_name="Anna")
    await emulator.ask(anna, "Gibt es eine Kinderbetreuung?")
    relayed = await first.relayed_question(emulator, ORGANISERS_CHAT.id)
    await first.stop()

    await start_bot(organiser_chat_id=ORGANISERS_CHAT.id)
    mark = emulator.mark()
    emulator.send_text(emulator.user(), "Leider nein.", chat=ORGANISERS_CHAT, reply_to=relayed)
    assert "Leider nein." in (await emulator.wait_for(anna, since=mark)).plain_text


async def test_answer_to_a_partner_who_blocked_the_bot_is_reported(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    anna = emulator.user(first_name="Anna")
    await emulator.ask(anna, "Gibt es eine Kinderbetreuung?")
    relayed = await bot.relayed_question(emulator, ORGANISERS_CHAT.id)
    emulator.block(anna)
    mark = emulator.mark()
    emulator.send_text(emulator.user(), "Nein.", chat=ORGANISERS_CHAT, reply_to=relayed)
    notice = await emulator.wait_for(ORGANISERS_CHAT.id, since=mark)
    assert "hat den Bot blockiert" in notice.plain_text
    async with bot.services.database.transaction() as repositories:
        stored = await repositories.users.get(anna.id)
    assert stored is not None and not stored.reachable


async def test_other_chatter_in_the_organisers_group_is_ignored(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    organiser = emulator.user(first_name="Olga")
    mark = emulator.mark()
    emulator.send_text(organiser, "Kaffee um drei?", chat=ORGANISERS_CHAT)
    emulator.send_text(organiser, "/start@partnerbot_test_bot", chat=ORGANISERS_CHAT)
    greeting = await emulator.wait_for(ORGANISERS_CHAT.id, since=mark)
    assert "Guten Tag, Olga!" in greeting.plain_text
    assert len(emulator.messages_to(ORGANISERS_CHAT.id)) == 1


async def test_without_an_organisers_chat_the_bot_still_answers_honestly(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    await start_bot(organiser_chat_id=None)
    john = emulator.user(language_code="en")
    reply = await emulator.ask(john, "Who won the football match yesterday?")
    assert "don't have a reliable answer" in reply.plain_text
    assert "passed your question on" not in reply.plain_text


async def test_organiser_can_answer_with_a_photo(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    anna = emulator.user(first_name="Anna")
    await emulator.ask(anna, "Darf ich meinen Hund mitbringen?")
    relayed = await bot.relayed_question(emulator, ORGANISERS_CHAT.id)
    mark = emulator.mark()
    emulator.send_photo(
        emulator.user(), b"\x89PNG saal", caption="So!", chat=ORGANISERS_CHAT, reply_to=relayed
    )
    header = await emulator.wait_for(anna, since=mark)
    photo = await emulator.wait_for(anna, since=mark, count=2)
    assert "Antwort des Orga-Teams" in header.plain_text
    assert photo.method == "copyMessage"
    assert photo.caption == "So!"


async def test_partner_asking_how_to_register_gets_a_button_that_starts_it(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    anna = emulator.user(first_name="Anna", language_code="de")
    answer = await emulator.ask(anna, "Wie melde ich mich an?")
    assert "/anmelden" in answer.plain_text
    assert "Einladungslink" not in answer.plain_text  # registration is open in this test
    assert answer.button_texts == ["Zur Konferenz anmelden"]

    question = await tap(emulator, anna, answer, "Zur Konferenz anmelden")
    assert "Nehmen Sie an der Klimakonferenz der Stadt Leipzig" in question.plain_text
    name_question = await tap(emulator, anna, question, "Ja, ich komme")
    assert "Name" in name_question.plain_text


async def test_button_under_an_answer_runs_the_command_it_names(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    john = emulator.user(first_name="John", language_code="en")
    answer = await emulator.ask(john, "How do I turn off the reminders?")
    assert "/reminders" in answer.plain_text
    menu = await tap(emulator, john, answer, "Turn reminders on or off")
    assert "Reminders are" in menu.plain_text


async def test_with_invitations_the_registration_answer_asks_for_the_invite_link_until_opened(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    await start_bot(
        organiser_chat_id=ORGANISERS_CHAT.id, admin_ids=frozenset({ORGANISER_ID}), access="invite"
    )
    john = emulator.user(language_code="en")
    answer = await emulator.ask(john, "how can i sign up")
    assert "/rsvp" in answer.plain_text
    assert "invite link your organisation received" in answer.plain_text

    organiser = emulator.user(id=ORGANISER_ID, language_code="de")
    code = await invite_code(emulator, organiser, "/einladen Stadtwerke Leipzig")
    await emulator.ask(john, f"/start {code}")
    answer = await emulator.ask(john, "how can i sign up")
    assert "/rsvp" in answer.plain_text
    assert "invite link" not in answer.plain_text


async def test_programme_entry_replaces_the_builtin_registration_answer(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    data = programme_data(SHIPPED_PROGRAMME)
    data["faq"].append(
        {
            "topic": "bot.register",
            "questions": {"de": ["Wie melde ich mich an?"], "en": ["How do I register?"]},
            "answer": {"de": "Anmeldung bitte über Frau Weber.", "en": "Please ask Ms Weber."},
        }
    )
    await start_bot(organiser_chat_id=ORGANISERS_CHAT.id, programme=parse_programme(data))
    anna = emulator.user(language_code="de")
    answer = await emulator.ask(anna, "Wie melde ich mich an?")
    assert answer.plain_text == "Anmeldung bitte über Frau Weber."
    assert answer.button_texts == ["Zur Konferenz anmelden"]


async def test_question_during_registration_is_answered_and_the_step_asked_again(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    anna = emulator.user(first_name="Anna", language_code="de")
    question = await emulator.ask(anna, "/anmelden")
    mark = emulator.mark()
    emulator.send_text(anna, "In welcher Stadt ist die Konferenz?")
    answer = await emulator.wait_for(anna, since=mark)
    again = await emulator.wait_for(anna, since=mark, count=2)
    assert "Leipzig" in answer.plain_text and "Naschmarkt" in answer.plain_text
    assert again.plain_text == question.plain_text
    assert again.button_texts == question.button_texts

    # Text the bot cannot answer still points at the buttons, and the buttons still work.
    pointer = await emulator.ask(anna, "vielleicht")
    assert "Schaltflächen" in pointer.plain_text
    name_question = await tap(emulator, anna, again, "Ja, ich komme")
    assert "Name" in name_question.plain_text
    assert emulator.messages_to(ORGANISERS_CHAT.id) == []  # nothing was relayed


@pytest.mark.parametrize(
    ("question", "button"),
    [
        ("How can I change my registration?", "See or change my registration"),
        ("How do I cancel my registration?", "Cancel my registration"),
        ("where is my ticket", "My ticket for the entrance"),
        ("How do I add it to my calendar?", "Get the calendar entry"),
        ("How do I change the language?", "Choose language"),
        ("What data do you store?", "My stored data as a file"),
        ("How do I delete my data?", "Delete my data"),
        ("How can I contact the organisers?", "What I can do"),
        ("Who organises the conference?", "Conference programme"),
    ],
)
async def test_every_answer_about_the_bot_has_a_working_button(
    bot: RunningBot, emulator: TelegramEmulator, question: str, button: str
) -> None:
    john = emulator.user(first_name="John", language_code="en")
    answer = await emulator.ask(john, question)
    assert answer.button_texts == [button]
    reply = await tap(emulator, john, answer, button)
    assert reply.plain_text  # the command answered (no error, no stale-button note)
