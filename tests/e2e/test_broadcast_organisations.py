"""Announcements to the linked partners of chosen organisations, and stopping one under way."""

from __future__ import annotations

import csv
import io

import pytest

from bot.emulator import SentMessage, TelegramEmulator, User
from bot.partners.invites import OrganisationRow
from bot.registration.service import RsvpAnswers
from tests.e2e.rsvp_steps import tap
from tests.e2e.test_broadcast import compose, final_report, preview_and_audience
from tests.harness import RunningBot, StartBot

ORGANISER_ID = 5151
NEWS = "Wichtig: neue Infos"


@pytest.fixture
async def bot(start_bot: StartBot) -> RunningBot:
    return await start_bot(admin_ids=frozenset({ORGANISER_ID}))


async def linked_partners(bot: RunningBot, emulator: TelegramEmulator) -> dict[str, User]:
    """Anna (registered) and Ben of Stadtwerke Leipzig, Cleo of Ökolöwe, Dora of none."""
    people = {name: emulator.user(first_name=name) for name in ("Anna", "Ben", "Cleo", "Dora")}
    for person in people.values():
        await emulator.ask(person, "/start")
    partners = bot.services.partners
    swl = await partners.invite(OrganisationRow("Stadtwerke Leipzig"), ORGANISER_ID)
    oeko = await partners.invite(OrganisationRow("Ökolöwe"), ORGANISER_ID)
    for name, invite in (("Anna", swl), ("Ben", swl), ("Cleo", oeko)):
        await partners.redeem(people[name].id, invite.code)
    answers = RsvpAnswers(attending=True, name="Anna", organisation="Stadtwerke Leipzig")
    await bot.services.registrations.submit(people["Anna"].id, answers)
    return people


async def toggle(emulator: TelegramEmulator, user: User, page: SentMessage, label: str) -> None:
    """Tap an organisation (or a page arrow): the same message shows the new choice."""
    edits = len(page.edits)
    emulator.click(user, page, label)
    await emulator.wait_for_edit(page, count=edits + 2)  # buttons off, then the new page


def received(emulator: TelegramEmulator, people: dict[str, User]) -> set[str]:
    return {
        name
        for name, person in people.items()
        if any(message.text == NEWS for message in emulator.messages_to(person))
    }


async def test_registered_partners_of_one_organisation_get_it_and_nobody_else(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    olga = emulator.user(id=ORGANISER_ID, first_name="Olga", language_code="de")
    people = await linked_partners(bot, emulator)
    _, _, audience = await preview_and_audience(emulator, olga, await compose(emulator, olga))
    assert "Alle Partner (4)" in audience.button_texts
    page = await tap(emulator, olga, audience, "Nur Partner bestimmter Organisationen")
    assert page.button_texts == ["Ökolöwe (1)", "Stadtwerke Leipzig (2)", "Weiter (0 gewählt)"]
    await toggle(emulator, olga, page, "Stadtwerke Leipzig (2)")
    assert page.button_texts[1:] == ["✓ Stadtwerke Leipzig (2)", "Weiter (1 gewählt)"]

    statuses = await tap(emulator, olga, page, "Weiter (1 gewählt)")
    assert "An wen bei Stadtwerke Leipzig?" in statuses.plain_text
    assert statuses.button_texts[:2] == ["Alle Partner (2)", "Angemeldet (1)"]
    confirm = await tap(emulator, olga, statuses, "Angemeldet (1)")
    assert "an 1 Empfänger (Angemeldet · Partner von Stadtwerke Leipzig)" in confirm.plain_text
    emulator.click(olga, confirm, "Jetzt senden")
    report = await final_report(emulator, olga)
    assert "(Angemeldet · Partner von Stadtwerke Leipzig)" in report.plain_text
    await bot.settled()
    assert received(emulator, people) == {"Anna"}

    # Existing audiences keep their meaning: "everyone" is still everyone.
    _, _, audience = await preview_and_audience(emulator, olga, await compose(emulator, olga))
    confirm = await tap(emulator, olga, audience, "Alle Partner (4)")
    emulator.click(olga, confirm, "Jetzt senden")
    await bot.settled()
    assert received(emulator, people) == {"Anna", "Ben", "Cleo", "Dora"}


async def test_many_organisations_come_in_pages_in_english(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    oliver = emulator.user(id=ORGANISER_ID, first_name="Oliver", language_code="en")
    people = await linked_partners(bot, emulator)
    for number in range(1, 10):
        await bot.services.partners.invite(OrganisationRow(f"Verein {number}"), ORGANISER_ID)
    await emulator.ask(oliver, "/broadcast")
    question = await emulator.ask(oliver, NEWS)
    mark = emulator.mark()
    emulator.click(oliver, question, "One version for everyone")
    audience = await emulator.wait_for(oliver, since=mark, count=3)
    page = await tap(emulator, oliver, audience, "Only partners of certain organisations")
    assert "(Page 1 of 2)" in page.plain_text
    assert page.button_texts[:2] == ["Ökolöwe (1)", "Stadtwerke Leipzig (2)"]
    assert "More ▶" in page.button_texts
    await toggle(emulator, oliver, page, "Ökolöwe (1)")
    await toggle(emulator, oliver, page, "More ▶")
    assert "(Page 2 of 2)" in page.plain_text
    assert page.button_texts == [
        "Verein 7 (0)",
        "Verein 8 (0)",
        "Verein 9 (0)",
        "◀ Back",
        "Continue (1 chosen)",
    ]
    await toggle(emulator, oliver, page, "Verein 9 (0)")
    statuses = await tap(emulator, oliver, page, "Continue (2 chosen)")
    assert "Who at Ökolöwe, Verein 9?" in statuses.plain_text
    confirm = await tap(emulator, oliver, statuses, "All partners (1)")
    assert "to <b>1</b> recipients" in (confirm.text or "")
    emulator.click(oliver, confirm, "Send now")
    await bot.settled()
    assert received(emulator, people) == {"Cleo"}


async def test_stopping_a_running_announcement_sends_nothing_more(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    olga = emulator.user(id=ORGANISER_ID, first_name="Olga", language_code="de")
    people = await linked_partners(bot, emulator)
    emulator.block(people["Dora"])
    # The sender is held back, so the announcement is certainly still under way at the tap.
    await bot.services.outbox.stop()
    _, _, audience = await preview_and_audience(emulator, olga, await compose(emulator, olga))
    confirm = await tap(emulator, olga, audience, "Alle Partner (4)")
    emulator.click(olga, confirm, "Jetzt senden")
    await emulator.wait_for_edit(confirm, count=len(confirm.edits) + 2)
    assert "Rundschreiben wird verschickt" in confirm.plain_text
    assert confirm.button_texts == ["⛔ Versand stoppen"]

    question = await tap(emulator, olga, confirm, "Versand stoppen")
    assert "#1 wirklich stoppen? 4 Nachrichten" in question.plain_text
    emulator.click(olga, question, "Nein, weiter senden")
    await emulator.wait_for_edit(question)
    assert question.plain_text == "Der Versand läuft weiter."

    question = await tap(emulator, olga, confirm, "Versand stoppen")
    edits = len(confirm.edits)
    emulator.click(olga, question, "Ja, stoppen")
    await emulator.wait_for_edit(question)
    assert question.plain_text == "Gestoppt. Es wird nichts mehr verschickt."
    await emulator.wait_for_edit(confirm, count=edits + 1)
    assert "Rundschreiben gestoppt" in confirm.plain_text
    assert "Zugestellt: 0 von 4 · Nicht mehr gesendet: 4" in confirm.plain_text

    await bot.services.outbox.start(sole_sender=True)
    await bot.settled()
    assert received(emulator, people) == set()
    assert question.buttons == []  # the question's buttons went with the answer


async def test_the_finished_progress_message_offers_the_undelivered_as_csv(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    oliver = emulator.user(id=ORGANISER_ID, first_name="Oliver", language_code="en")
    people = await linked_partners(bot, emulator)
    emulator.block(people["Dora"])
    await emulator.ask(oliver, "/broadcast")
    question = await emulator.ask(oliver, NEWS)
    mark = emulator.mark()
    emulator.click(oliver, question, "One version for everyone")
    audience = await emulator.wait_for(oliver, since=mark, count=3)
    confirm = await tap(emulator, oliver, audience, "All partners (4)")
    emulator.click(oliver, confirm, "Send now")
    while "Rundschreiben verschickt" not in confirm.plain_text:  # in the event's language
        await emulator.wait_for_edit(confirm)
    assert confirm.button_texts == ["#1: Nicht zugestellte (CSV)"]
    document = await tap(emulator, oliver, confirm, "Nicht zugestellte (CSV)")
    assert document.document is not None
    rows = list(csv.reader(io.StringIO(document.document.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Telegram id", "Name"]
    assert [row[0] for row in rows[1:]] == [str(people["Dora"].id)]
