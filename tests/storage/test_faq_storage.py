"""Learned FAQ entries in the database: wordings linked to a partner's question go with it,
the entries themselves stay; answers are counted, "Doesn't help" once and only by the asker."""

from __future__ import annotations

from datetime import UTC, datetime

from storage.database import Database
from storage.privacy import user_tables
from storage.repositories import Repositories
from storage.users import Visitor

T0 = datetime(2025, 6, 1, 10, 0, tzinfo=UTC)
EVENT = "klimakonferenz-2025"
ANNA, BOB, OLGA = 101, 202, 303


async def saved_entry(repositories: Repositories) -> tuple[int, int]:
    """Anna's relayed question, answered and saved by Olga: (entry id, relay id)."""
    for user_id, name in ((ANNA, "Anna"), (BOB, "Bob")):
        await repositories.users.record_visit(Visitor(user_id, name, None, None, "de"), T0)
    relay = await repositories.questions.add(
        user_id=ANNA,
        question="Gibt es eine Kinderbetreuung?",
        organiser_chat_id=-1,
        organiser_message_id=1,
        now=T0,
        language="de",
    )
    await repositories.questions.claim_answer(relay.id, T0, "<b>Nein</b>.", answered_by=7)
    entry = await repositories.faq.add_entry(
        event_key=EVENT, language="de", answer_html="<b>Nein</b>.", by=OLGA, now=T0
    )
    for text, relay_id in (("Gibt es eine Kinderbetreuung?", relay.id), ("Kita?", None)):
        await repositories.faq.add_wording(
            event_key=EVENT,
            text=text,
            language="de",
            by=OLGA,
            now=T0,
            entry_id=entry.id,
            relay_id=relay_id,
        )
    return entry.id, relay.id


async def test_a_partners_erasure_takes_the_wording_of_their_question_only(
    database: Database,
) -> None:
    async with database.transaction() as repositories:
        entry_id, relay_id = await saved_entry(repositories)
        assert await repositories.faq.is_saved(relay_id)
    assert "faq_entries" not in {table.name for table in user_tables()}
    async with database.transaction() as repositories:
        await repositories.personal_data.erase_user(ANNA)
    async with database.transaction() as repositories:
        entry = await repositories.faq.get(entry_id)
        wordings = [w.text for w in await repositories.faq.wordings_of(entry_id)]
    assert entry is not None and entry.answer_de == "<b>Nein</b>." and entry.created_by == OLGA
    assert wordings == ["Kita?"]


async def test_retention_takes_linked_wordings_too(database: Database) -> None:
    async with database.transaction() as repositories:
        entry_id, _ = await saved_entry(repositories)
    async with database.transaction() as repositories:
        await repositories.personal_data.erase_event(EVENT, keep_user_ids=[OLGA])
    async with database.transaction() as repositories:
        assert [w.text for w in await repositories.faq.wordings_of(entry_id)] == ["Kita?"]


async def test_unhelpful_is_counted_once_and_only_for_the_partner_who_got_the_answer(
    database: Database,
) -> None:
    async with database.transaction() as repositories:
        entry_id, _ = await saved_entry(repositories)
        answer_id = await repositories.faq.record_answer(
            user_id=BOB, entry_id=entry_id, question="Kinderbetreuung?", now=T0
        )
    async with database.transaction() as repositories:
        assert await repositories.faq.mark_unhelpful(answer_id, ANNA, T0) is None
        assert await repositories.faq.mark_unhelpful(answer_id, BOB, T0) == "Kinderbetreuung?"
    async with database.transaction() as repositories:
        assert await repositories.faq.mark_unhelpful(answer_id, BOB, T0) is None
        entry = await repositories.faq.get(entry_id)
    assert entry is not None and (entry.used, entry.unhelpful) == (1, 1)


async def test_answers_change_entries_move_to_the_next_event_and_are_deleted(
    database: Database,
) -> None:
    async with database.transaction() as repositories:
        entry_id, _ = await saved_entry(repositories)
        await repositories.faq.record_answer(
            user_id=BOB, entry_id=entry_id, question="Kita?", now=T0
        )
        assert await repositories.faq.set_answer(entry_id, "en", "No.", by=OLGA, now=T0)
        assert await repositories.faq.move_to_event(entry_id, "next-event")
        assert not await repositories.faq.move_to_event(entry_id, "next-event")
    async with database.transaction() as repositories:
        (entry,) = await repositories.faq.entries()
        assert (entry.event_key, entry.answer_en, entry.changed_by) == ("next-event", "No.", OLGA)
        assert {w.event_key for w in await repositories.faq.wordings()} == {"next-event"}
        assert await repositories.faq.delete(entry_id)
    async with database.transaction() as repositories:
        assert await repositories.faq.entries() == []
        assert await repositories.faq.wordings() == []
        assert (await repositories.personal_data.rows_of(BOB))["faq_answers"] == []
