"""Organisers' answers become FAQ entries: saved from the organisers' group, used for the next
partner who asks in other words, relayed after all on "Doesn't help", managed with /faq."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.emulator import SentMessage, TelegramEmulator, User
from bot.programme.model import SHIPPED_EXAMPLES, SHIPPED_PROGRAMME, parse_programme, programme_data
from tests.conftest import ORGANISERS_CHAT
from tests.e2e.rsvp_steps import tap
from tests.harness import RunningBot, StartBot

ADMIN_ID = 9001


@pytest.fixture
async def bot(start_bot: StartBot) -> RunningBot:
    return await start_bot(admin_ids=frozenset({ADMIN_ID}), organiser_chat_id=ORGANISERS_CHAT.id)


def organiser(emulator: TelegramEmulator, language: str) -> User:
    return emulator.user(id=ADMIN_ID, first_name="Olga", language_code=language)


async def answer_relayed(
    bot: RunningBot,
    emulator: TelegramEmulator,
    partner: User,
    question: str,
    answer: str,
    entities: list[dict[str, object]] | None = None,
) -> SentMessage:
    """The partner's question is relayed, the organiser replies in the group; returns the
    group's delivery confirmation."""
    asked = emulator.mark()
    await emulator.ask(partner, question)
    relayed = await bot.relayed_question(emulator, ORGANISERS_CHAT.id, since=asked)
    mark = emulator.mark()
    emulator.send_text(
        emulator.user(first_name="Olga", id=ADMIN_ID),
        answer,
        chat=ORGANISERS_CHAT,
        reply_to=relayed,
        entities=entities,
    )
    await emulator.wait_for(partner, since=mark)
    return await emulator.wait_for(ORGANISERS_CHAT.id, since=mark)


async def save_from_group(
    emulator: TelegramEmulator, olga: User, confirmation: SentMessage, label: str
) -> SentMessage:
    """Olga taps "Save as FAQ" in the group; the draft arrives in her private chat."""
    mark = emulator.mark()
    emulator.click(olga, confirmation, label)
    return await emulator.wait_for(olga, since=mark)


async def test_german_answer_saved_as_faq_answers_the_next_partner(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    olga = organiser(emulator, "de")
    await emulator.ask(olga, "/start")
    anna = emulator.user(first_name="Anna", language_code="de")
    confirmation = await answer_relayed(
        bot,
        emulator,
        anna,
        "Gibt es eine Kinderbetreuung für die Kinder von Frau Müller?",
        "Leider nein, aber Kinder sind willkommen.",
        entities=[{"type": "bold", "offset": 0, "length": 11}],
    )
    assert "an Anna weitergeleitet" in confirmation.plain_text

    draft = await save_from_group(emulator, olga, confirmation, "Als FAQ speichern")
    assert "Neuer FAQ-Eintrag (Deutsch)" in draft.plain_text
    assert "„Gibt es eine Kinderbetreuung für die Kinder von Frau Müller?“" in draft.plain_text
    assert "<b>Leider nein</b>, aber Kinder sind willkommen." in (draft.text or "")

    # The partner wrote a name into the question: Olga corrects it before saving.
    prompt = await tap(emulator, olga, draft, "Frage korrigieren")
    assert "so, wie ich sie speichern soll" in prompt.plain_text
    draft = await emulator.ask(olga, "Gibt es eine Kinderbetreuung?")
    assert "„Gibt es eine Kinderbetreuung?“" in draft.plain_text
    mark = emulator.mark()
    emulator.click(olga, draft, "Als neuen Eintrag speichern")
    saved = await emulator.wait_for(olga, since=mark)
    assert "Gespeichert als Eintrag #1" in saved.plain_text
    ask_english = await emulator.wait_for(olga, since=mark, predicate=lambda m: m != saved)
    assert "Antwort auf Englisch" in ask_english.plain_text
    ask_wordings = await tap(emulator, olga, ask_english, "Überspringen")
    assert "Weitere Formulierungen" in ask_wordings.plain_text
    added = await emulator.ask(olga, "Kann ich meine Kinder mitbringen?")
    assert "Hinzugefügt: „Kann ich meine Kinder mitbringen?“" in added.plain_text
    finished = await tap(emulator, olga, added, "Fertig")
    assert "Eintrag #1 ist fertig" in finished.plain_text

    # Another partner asks in other words: answered at once, nothing goes to the group.
    bernd = emulator.user(first_name="Bernd", language_code="de")
    group_mark = emulator.mark()
    reply = await emulator.ask(bernd, "Wird es eine Kinderbetreuung geben?")
    assert "<b>Leider nein</b>, aber Kinder sind willkommen." in (reply.text or "")
    assert "Orga-Team auf eine ähnliche Frage gegeben" in reply.plain_text
    await bot.settled()
    assert emulator.messages_to(ORGANISERS_CHAT.id, since=group_mark) == []

    # An English partner is not answered in German: the question is relayed as before.
    john = emulator.user(first_name="John", language_code="en")
    asked = emulator.mark()
    reply = await emulator.ask(john, "Kinderbetreuung?")
    assert "passed your question on" in reply.plain_text
    await bot.relayed_question(emulator, ORGANISERS_CHAT.id, since=asked)

    # "Doesn't help" relays Bernd's question after all.
    mark = emulator.mark()
    emulator.click(bernd, reply_to(emulator, bernd), "Hilft mir nicht")
    thanks = await emulator.wait_for(bernd, since=mark)
    assert "an das Orga-Team weitergeleitet" in thanks.plain_text
    relayed = await emulator.wait_for(
        ORGANISERS_CHAT.id, since=mark, predicate=lambda m: "Bernd" in m.plain_text
    )
    assert "Wird es eine Kinderbetreuung geben?" in relayed.plain_text

    # /faq shows the entry with its figures; the English answer is added there.
    listing = await emulator.ask(olga, "/faq")
    assert "#1 „Gibt es eine Kinderbetreuung?“ – 1× benutzt, 1× „hilft nicht“" in (
        listing.plain_text
    )
    assert "ohne Englisch" in listing.plain_text
    card = await tap(emulator, olga, listing, "#1")
    assert "• Kann ich meine Kinder mitbringen?" in card.plain_text
    prompt = await tap(emulator, olga, card, "Antwort Englisch ändern")
    assert "Antwort auf Englisch" in prompt.plain_text
    mark = emulator.mark()
    emulator.send_text(olga, "Sorry, no childcare – but children are welcome.")
    card = await emulator.wait_for(
        olga, since=mark, predicate=lambda m: "Eintrag #1" in m.plain_text
    )
    assert "Sorry, no childcare" in card.plain_text
    reply = await emulator.ask(emulator.user(language_code="en"), "Kinderbetreuung?")
    assert "Sorry, no childcare" in reply.plain_text
    assert "The organisers gave this answer" in reply.plain_text

    # Deleted: the next partner is relayed again.
    question = await tap(emulator, olga, card, "Löschen")
    assert "wirklich löschen" in question.plain_text
    deleted = await tap(emulator, olga, question, "Ja, löschen")
    assert "Eintrag #1 gelöscht" in deleted.plain_text
    reply = await emulator.ask(
        emulator.user(language_code="de"), "Wird es eine Kinderbetreuung geben?"
    )
    assert "an das Orga-Team weitergeleitet" in reply.plain_text


def reply_to(emulator: TelegramEmulator, partner: User) -> SentMessage:
    """The last message to the partner that carries "Doesn't help"."""
    return next(
        m
        for m in reversed(emulator.messages_to(partner))
        if any("help" in t.lower() or "hilft" in t.lower() for t in m.button_texts)
    )


async def test_english_answer_saved_as_faq_and_edited_with_faq(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    bot = await start_bot(
        admin_ids=frozenset({ADMIN_ID}),
        organiser_chat_id=ORGANISERS_CHAT.id,
        default_language="en",
    )
    olga = organiser(emulator, "en")
    await emulator.ask(olga, "/start")
    mary = emulator.user(first_name="Mary", language_code="en")
    confirmation = await answer_relayed(
        bot, emulator, mary, "Can I bring my dog, asks Mr Smith?", "Dogs on a lead are fine."
    )
    assert "Answer passed on to Mary" in confirmation.plain_text
    draft = await save_from_group(emulator, olga, confirmation, "Save as FAQ")
    assert "New FAQ entry (English)" in draft.plain_text
    await tap(emulator, olga, draft, "Correct the question")
    draft = await emulator.ask(olga, "Can I bring my dog?")
    mark = emulator.mark()
    emulator.click(olga, draft, "Save as a new entry")
    ask_german = await emulator.wait_for(
        olga, since=mark, predicate=lambda m: "answer in German" in m.plain_text
    )
    mark = emulator.mark()
    emulator.send_text(olga, "Hunde an der Leine sind willkommen.")
    more = await emulator.wait_for(
        olga, since=mark, predicate=lambda m: "More wordings" in m.plain_text
    )
    assert ask_german.button_texts == ["Skip"]
    assert "Entry #1 is complete" in (await tap(emulator, olga, more, "Done")).plain_text

    # Both languages answer now, without a relay.
    reply = await emulator.ask(emulator.user(language_code="en"), "Is my dog allowed?")
    assert "Dogs on a lead are fine." in reply.plain_text
    assert "The organisers gave this answer to a similar question." in reply.plain_text
    reply = await emulator.ask(emulator.user(language_code="de"), "can i bring a dog")
    assert "Hunde an der Leine sind willkommen." in reply.plain_text

    # A second German wording via /faq, then the entry is deleted.
    listing = await emulator.ask(olga, "/faq")
    assert '#1 "Can I bring my dog?" – used 2×' in listing.plain_text
    card = await tap(emulator, olga, listing, "#1")
    prompt = await tap(emulator, olga, card, "Add a wording")
    assert "another wording" in prompt.plain_text
    added = await emulator.ask(olga, "Darf mein Hund mit?")
    assert 'Added: "Darf mein Hund mit?"' in added.plain_text
    await tap(emulator, olga, added, "Done")
    reply = await emulator.ask(emulator.user(language_code="de"), "Darf mein Hund mit?")
    assert "Hunde an der Leine" in reply.plain_text

    listing = await emulator.ask(olga, "/faq")
    card = await tap(emulator, olga, listing, "#1")
    question = await tap(emulator, olga, card, "Delete")
    deleted = await tap(emulator, olga, question, "Yes, delete")
    assert "Entry #1 deleted" in deleted.plain_text
    reply = await emulator.ask(emulator.user(language_code="en"), "Is my dog allowed?")
    assert "passed your question on" in reply.plain_text


async def test_a_close_question_is_added_to_the_existing_entry(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    olga = organiser(emulator, "de")
    await emulator.ask(olga, "/start")
    confirmation = await answer_relayed(
        bot, emulator, emulator.user(language_code="de"), "Gibt es eine Kinderbetreuung?", "Nein."
    )
    draft = await save_from_group(emulator, olga, confirmation, "Als FAQ speichern")
    mark = emulator.mark()
    emulator.click(olga, draft, "Als neuen Eintrag speichern")
    ask = await emulator.wait_for(olga, since=mark, predicate=lambda m: bool(m.button_texts))
    await tap(emulator, olga, ask, "Überspringen")

    confirmation = await answer_relayed(
        bot,
        emulator,
        emulator.user(language_code="de"),
        "Kinderbetreuung während der Vorträge, auch für Kleinkinder?",
        "Nö.",
    )
    draft = await save_from_group(emulator, olga, confirmation, "Als FAQ speichern")
    assert "ähnelt dem Eintrag „Gibt es eine Kinderbetreuung?“" in draft.plain_text
    added = await tap(emulator, olga, draft, "Zu „Gibt es eine Kinderbetreuung?“ hinzufügen")
    assert "gehört jetzt zu „Gibt es eine Kinderbetreuung?“" in added.plain_text
    reply = await emulator.ask(
        emulator.user(language_code="de"),
        "Kinderbetreuung während der Vorträge, auch für Kleinkinder?",
    )
    assert reply.plain_text.startswith("Nein.")


async def test_photo_answers_are_delivered_but_not_offered_for_saving(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    anna = emulator.user(first_name="Anna")
    await emulator.ask(anna, "Darf ich meinen Hund mitbringen?")
    relayed = await bot.relayed_question(emulator, ORGANISERS_CHAT.id)
    mark = emulator.mark()
    emulator.send_photo(
        emulator.user(), b"\x89PNG hund", caption="So!", chat=ORGANISERS_CHAT, reply_to=relayed
    )
    confirmation = await emulator.wait_for(ORGANISERS_CHAT.id, since=mark)
    assert "an Anna weitergeleitet" in confirmation.plain_text
    assert confirmation.button_texts == []


async def test_only_organisers_can_save_an_answer(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    confirmation = await answer_relayed(
        bot, emulator, emulator.user(language_code="de"), "Gibt es eine Kinderbetreuung?", "Nein."
    )
    mallory = emulator.user(first_name="Mallory", language_code="de")
    await emulator.ask(mallory, "/start")
    mark = emulator.mark()
    query = emulator.click(mallory, confirmation, "Als FAQ speichern")
    answer = await emulator.wait_for_answer(query)
    assert answer.text == "Diese Funktion steht nur dem Orga-Team zur Verfügung."
    await bot.settled()
    assert emulator.messages_to(mallory, since=mark) == []
    assert bot.services.content.learned == {}


async def test_export_loads_as_the_programme_files_faq(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    olga = organiser(emulator, "de")
    await emulator.ask(olga, "/start")
    confirmation = await answer_relayed(
        bot, emulator, emulator.user(language_code="de"), "Gibt es eine Kinderbetreuung?", "Nein."
    )
    draft = await save_from_group(emulator, olga, confirmation, "Als FAQ speichern")
    mark = emulator.mark()
    emulator.click(olga, draft, "Als neuen Eintrag speichern")
    await emulator.wait_for(olga, since=mark, count=2)  # saved; the English answer, please
    mark = emulator.mark()
    emulator.send_text(olga, "/faq export")
    export = await emulator.wait_for(olga, since=mark)
    assert export.document is not None
    snippet = yaml.safe_load(export.document.content.decode("utf-8"))
    data = programme_data(SHIPPED_PROGRAMME)
    data["faq"] += snippet["faq"]
    programme = parse_programme(data)
    (entry,) = [e for e in programme.faq if e.topic == "learned_1"]
    assert entry.answer is not None and entry.answer.de == "Nein."
    assert entry.questions.de == ["Gibt es eine Kinderbetreuung?"]


async def save_entry(
    bot: RunningBot, emulator: TelegramEmulator, olga: User, partner: User, question: str
) -> None:
    """A relayed question answered and saved as it stands, without the other language."""
    confirmation = await answer_relayed(bot, emulator, partner, question, "Nein, leider nicht.")
    draft = await save_from_group(emulator, olga, confirmation, "Als FAQ speichern")
    mark = emulator.mark()
    emulator.click(olga, draft, "Als neuen Eintrag speichern")
    await emulator.wait_for(olga, since=mark, count=2)


async def test_entries_survive_a_restart_and_a_partners_erasure_takes_their_wording(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    first = await start_bot(admin_ids=frozenset({ADMIN_ID}), organiser_chat_id=ORGANISERS_CHAT.id)
    olga = organiser(emulator, "de")
    await emulator.ask(olga, "/start")
    anna = emulator.user(first_name="Anna", language_code="de")
    await save_entry(first, emulator, olga, anna, "Gibt es eine Kinderbetreuung?")
    await first.stop()

    bot = await start_bot(admin_ids=frozenset({ADMIN_ID}), organiser_chat_id=ORGANISERS_CHAT.id)
    reply = await emulator.ask(emulator.user(language_code="de"), "Kinderbetreuung?")
    assert reply.plain_text.startswith("Nein, leider nicht.")

    # Anna deletes her data: the wording taken from her question goes, the entry stays.
    question = await emulator.ask(anna, "/daten_loeschen")
    await tap(emulator, anna, question, "Ja, alles löschen")
    asked = emulator.mark()
    reply = await emulator.ask(emulator.user(language_code="de"), "Kinderbetreuung?")
    assert "an das Orga-Team weitergeleitet" in reply.plain_text
    await bot.relayed_question(emulator, ORGANISERS_CHAT.id, since=asked)
    listing = await emulator.ask(olga, "/faq")
    card = await tap(emulator, olga, listing, "#1")
    assert "keine mehr (gelöscht mit den Daten des Partners)" in card.plain_text


async def test_a_corrected_wording_stays_when_the_partner_erases_their_data(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    olga = organiser(emulator, "de")
    await emulator.ask(olga, "/start")
    anna = emulator.user(first_name="Anna", language_code="de")
    confirmation = await answer_relayed(
        bot, emulator, anna, "Kinderbetreuung für Annas Tochter?", "Nein, leider nicht."
    )
    draft = await save_from_group(emulator, olga, confirmation, "Als FAQ speichern")
    await tap(emulator, olga, draft, "Frage korrigieren")
    draft = await emulator.ask(olga, "Gibt es eine Kinderbetreuung?")
    mark = emulator.mark()
    emulator.click(olga, draft, "Als neuen Eintrag speichern")
    await emulator.wait_for(olga, since=mark, count=2)
    question = await emulator.ask(anna, "/daten_loeschen")
    await tap(emulator, anna, question, "Ja, alles löschen")
    reply = await emulator.ask(emulator.user(language_code="de"), "Kinderbetreuung?")
    assert reply.plain_text.startswith("Nein, leider nicht.")


async def earlier_entries_offered(
    emulator: TelegramEmulator, olga: User, command: str
) -> SentMessage:
    """The offer to carry over entries of an earlier event, which follows the command's other
    replies (however long they take under load)."""
    mark = emulator.mark()
    emulator.send_text(olga, command)
    return await emulator.wait_for(
        olga, since=mark, predicate=lambda m: "aus einer früheren Veranstaltung" in m.plain_text
    )


async def test_entries_of_an_earlier_event_stop_answering_until_carried_over(
    start_bot: StartBot, emulator: TelegramEmulator, tmp_path: Path
) -> None:
    programme_file = tmp_path / "programme.yaml"
    programme_file.write_text(SHIPPED_PROGRAMME.read_text(encoding="utf-8"), encoding="utf-8")
    shutil.copy(SHIPPED_EXAMPLES, tmp_path)
    bot = await start_bot(
        admin_ids=frozenset({ADMIN_ID}),
        organiser_chat_id=ORGANISERS_CHAT.id,
        programme_file=programme_file,
    )
    olga = organiser(emulator, "de")
    await emulator.ask(olga, "/start")
    await save_entry(bot, emulator, olga, emulator.user(), "Gibt es eine Kinderbetreuung?")
    await save_entry(bot, emulator, olga, emulator.user(), "Darf ich meinen Hund mitbringen?")

    # The programme file now describes the next conference; the reload offers each entry.
    data = programme_data(SHIPPED_PROGRAMME)
    data["event"]["id"] = "klimakonferenz-2026"
    programme_file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    await earlier_entries_offered(emulator, olga, "/neu_laden")
    asked = emulator.mark()
    reply = await emulator.ask(emulator.user(language_code="de"), "Kinderbetreuung?")
    assert "an das Orga-Team weitergeleitet" in reply.plain_text
    await bot.relayed_question(emulator, ORGANISERS_CHAT.id, since=asked)

    offer = await earlier_entries_offered(emulator, olga, "/faq")
    assert offer.button_texts == ["#1 übernehmen", "#1 verwerfen", "#2 übernehmen", "#2 verwerfen"]
    query = emulator.click(olga, offer, "#1 übernehmen")
    assert (
        await emulator.wait_for_answer(query)
    ).text == "#1 antwortet jetzt für diese Veranstaltung."
    query = emulator.click(olga, offer, "#2 verwerfen")
    assert (await emulator.wait_for_answer(query)).text == "#2 ist verworfen."
    await bot.settled()
    reply = await emulator.ask(emulator.user(language_code="de"), "Kinderbetreuung?")
    assert reply.plain_text.startswith("Nein, leider nicht.")
    asked = emulator.mark()
    reply = await emulator.ask(emulator.user(language_code="de"), "Darf mein Hund mit?")
    assert "an das Orga-Team weitergeleitet" in reply.plain_text
    await bot.relayed_question(emulator, ORGANISERS_CHAT.id, since=asked)
