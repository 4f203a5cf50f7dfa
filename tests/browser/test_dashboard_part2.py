"""Organisers manage organisations, questions, FAQ entries and announcements on the dashboard in
a browser, and the partners in the chat and the database see the result.

The pages are opened as Telegram opens the Mini App (signed launch data in the URL fragment);
the partners are users of the Bot API emulator. Every page is photographed at a phone's and a
laptop's size (tests/artifacts/).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest
from playwright.async_api import Browser, Dialog, Locator, Page, expect
from sqlalchemy import text

from bot.emulator import TelegramEmulator, User
from bot.partners.invites import OrganisationRow
from tests.browser.conftest import Capture, Dashboard
from tests.conftest import ORGANISERS_CHAT
from tests.e2e.rsvp_steps import tap
from tests.e2e.test_faq import ADMIN_ID, answer_relayed, save_from_group
from tests.harness import RunningBot

OLGA_ID = ADMIN_ID  # the organiser who answers in the group in tests/e2e/test_faq.py
WAIT = 10_000  # ms: what the page shows after a click
# ms: the announcement's figures are fetched every 2 s; delivering to two partners takes a few
LIVE = 20_000
NEWS = "Neu: Die Keynote beginnt um 10 Uhr."
EXPIRED = "Dieser Einladungslink ist abgelaufen."

StartDashboard = Callable[..., Awaitable[Dashboard]]


@pytest.fixture
async def dashboard(dashboard_bot: StartDashboard) -> Dashboard:
    return await dashboard_bot(admin_ids=frozenset({OLGA_ID}), organiser_chat_id=ORGANISERS_CHAT.id)


@pytest.fixture
async def olga(emulator: TelegramEmulator) -> User:
    """The organiser, who has written to the bot (the dashboard opens from there)."""
    organiser = emulator.user(id=OLGA_ID, first_name="Olga", language_code="de")
    await emulator.ask(organiser, "/start")
    return organiser


async def open_tab(dashboard: Dashboard, browser: Browser, user: User, tab: str) -> Page:
    """The dashboard as `user` opens it, on one tab; confirmations are answered "yes"."""
    page = await dashboard.open(browser, user)
    page.on("dialog", accept)
    await page.locator(f'#tabs [data-tab="{tab}"]').click()
    return page


async def accept(dialog: Dialog) -> None:
    await dialog.accept()


def by_test(page: Page | Locator, name: str) -> Locator:
    return page.locator(f'[data-test="{name}"]')


async def linked(
    bot: RunningBot, emulator: TelegramEmulator, name: str, code: str, language: str = "de"
) -> User:
    """A partner who opened the organisation's link in the chat."""
    partner = emulator.user(first_name=name, language_code=language)
    await emulator.ask(partner, f"/start {code}")
    joined = await bot.services.partners.organisation_of(partner.id)
    assert joined is not None, name
    return partner


async def stored(bot: RunningBot, sql: str, **values: object) -> tuple[object, ...] | None:
    """One row as the database holds it, read here in SQL of its own."""
    async with bot.services.database.connection() as connection:
        row = (await connection.execute(text(sql), values)).first()
    return None if row is None else tuple(row)


async def test_a_revoked_link_is_refused_like_an_expired_one_and_linked_partners_stay(
    browser: Browser, dashboard: Dashboard, emulator: TelegramEmulator, olga: User,
    screenshot: Capture,
) -> None:  # fmt: skip
    bot = dashboard.bot
    invite = await bot.services.partners.invite(OrganisationRow("Ökolöwe", kind="Verein"), OLGA_ID)
    anna = await linked(bot, emulator, "Anna", invite.code)
    page = await open_tab(dashboard, browser, olga, "organisations")
    card = by_test(page, "org-card").filter(has=page.locator("h2", has_text="Ökolöwe"))
    await expect(by_test(card, "org-partners")).to_contain_text("1", timeout=WAIT)
    link = card.locator(f'[data-test="invite-link"][data-code="{invite.code}"]')
    await expect(link).to_have_attribute("data-valid", "true")
    await screenshot(page, "organisations")

    await by_test(link, "revoke-link").click()
    await expect(link).to_have_attribute("data-valid", "false", timeout=WAIT)
    await expect(link).to_contain_text("widerrufen")
    await expect(by_test(link, "revoke-link")).to_have_count(0)
    await screenshot(page, "organisations-revoked")
    revoked = await stored(bot, "SELECT revoked_at FROM invites WHERE code = :c", c=invite.code)
    assert revoked is not None and revoked[0] is not None

    ben = emulator.user(first_name="Ben", language_code="de")
    refused = await emulator.ask(ben, f"/start {invite.code}")
    assert refused.plain_text.startswith(EXPIRED)
    assert await bot.services.partners.organisation_of(ben.id) is None
    stays = await bot.services.partners.organisation_of(anna.id)
    assert stays is not None and stays.name == "Ökolöwe"

    # The very words a link past its date gets.
    short = await bot.services.partners.invite(OrganisationRow("Stadtwerke", valid_days=1), OLGA_ID)
    bot.clock.advance(timedelta(days=2))
    cleo = emulator.user(first_name="Cleo", language_code="de")
    assert (await emulator.ask(cleo, f"/start {short.code}")).plain_text == refused.plain_text


async def test_an_answer_in_the_inbox_reaches_the_partner_and_the_group(
    browser: Browser, dashboard: Dashboard, emulator: TelegramEmulator, olga: User,
    screenshot: Capture,
) -> None:  # fmt: skip
    bot = dashboard.bot
    invite = await bot.services.partners.invite(OrganisationRow("Stadtwerke Leipzig"), OLGA_ID)
    anna = await linked(bot, emulator, "Anna", invite.code)
    question = "Gibt es eine Kinderbetreuung?"
    asked = emulator.mark()
    emulator.send_text(anna, question)
    relayed = await bot.relayed_question(emulator, ORGANISERS_CHAT.id, since=asked)

    page = await open_tab(dashboard, browser, olga, "inbox")
    card = by_test(page, "question").filter(has_text=question)
    await expect(card).to_have_attribute("data-state", "open", timeout=WAIT)
    await expect(card).to_contain_text("Anna · Stadtwerke Leipzig · DE")
    await screenshot(page, "inbox")

    await by_test(card, "answer-open").click()
    await by_test(card, "answer-text").fill(
        "<b>Leider nein</b>, aber Kinder sind willkommen &amp; gern gesehen."
    )
    mark = emulator.mark()
    await by_test(card, "answer-send").click()
    await expect(by_test(card, "answer-note")).to_contain_text(
        "Antwort an Anna weitergeleitet", timeout=WAIT
    )
    to_anna = await emulator.wait_for(anna, since=mark)
    assert to_anna.plain_text == (
        f"💬 Antwort des Orga-Teams auf Ihre Frage „{question}“:\n\n"
        "Leider nein, aber Kinder sind willkommen & gern gesehen."
    )
    assert "<b>Leider nein</b>" in (to_anna.text or "")
    in_group = await emulator.wait_for(ORGANISERS_CHAT.id, since=mark)
    assert in_group.reply_to_message_id == relayed.message_id
    assert in_group.plain_text.startswith("💬 Olga hat in der Übersicht geantwortet:")

    # The card shows the answer in place, next to the note of the send: no reload.
    await expect(card).to_have_attribute("data-state", "answered", timeout=WAIT)
    await expect(by_test(card, "question-state")).to_contain_text("beantwortet · von Olga")
    await expect(by_test(card, "question-answer").locator("b")).to_have_text("Leider nein")
    await expect(by_test(card, "answer-note")).to_contain_text("Antwort an Anna weitergeleitet")
    await screenshot(page, "inbox-answered")
    await bot.settled()
    assert len(emulator.messages_to(anna, since=mark)) == 1
    record = await stored(
        bot, "SELECT answered_by, answer_html FROM question_relays WHERE question = :q", q=question
    )
    assert record == (
        OLGA_ID,
        "<b>Leider nein</b>, aber Kinder sind willkommen &amp; gern gesehen.",
    )


async def test_an_edited_faq_answer_is_what_the_next_partner_gets(
    browser: Browser, dashboard: Dashboard, emulator: TelegramEmulator, olga: User,
    screenshot: Capture,
) -> None:  # fmt: skip
    bot = dashboard.bot
    anna = emulator.user(first_name="Anna", language_code="de")
    confirmation = await answer_relayed(
        bot, emulator, anna, "Darf ich meinen Hund mitbringen?", "Nein."
    )
    draft = await save_from_group(emulator, olga, confirmation, "Als FAQ speichern")
    mark = emulator.mark()
    emulator.click(olga, draft, "Als neuen Eintrag speichern")
    await emulator.wait_for(olga, since=mark)
    ask_english = await emulator.wait_for(
        olga, since=mark, predicate=lambda m: "Englisch" in m.plain_text
    )
    finished = await tap(
        emulator, olga, await tap(emulator, olga, ask_english, "Überspringen"), "Fertig"
    )
    assert "Eintrag #1 ist fertig" in finished.plain_text
    bernd = emulator.user(first_name="Bernd", language_code="de")
    assert "Nein." in (await emulator.ask(bernd, "Darf ich meinen Hund mitbringen?")).plain_text

    page = await open_tab(dashboard, browser, olga, "faq")
    entry = by_test(page, "faq-entry").filter(has_text="Darf ich meinen Hund mitbringen?")
    await expect(by_test(entry, "faq-figures")).to_contain_text("1× verwendet", timeout=WAIT)
    await expect(by_test(entry, "faq-answer-de")).to_have_value("Nein.")
    await screenshot(page, "faq")

    for language in ("de", "en"):
        await by_test(entry, f"faq-answer-{language}").fill("")
    await by_test(entry, "faq-answers-save").click()
    await expect(by_test(entry, "faq-entry-note")).to_have_text(
        "Bitte schreiben Sie die Antwort in mindestens einer Sprache; soll der Eintrag nicht mehr "
        "antworten, löschen Sie ihn.",
        timeout=WAIT,
    )
    await by_test(entry, "faq-answer-de").fill("Nein, <b>keine</b> Hunde, nur Assistenzhunde.")
    await by_test(entry, "faq-answers-save").click()
    await expect(by_test(entry, "faq-entry-note")).to_have_text("Gespeichert.", timeout=WAIT)
    record = await stored(bot, "SELECT answer_de, changed_by FROM faq_entries WHERE id = 1")
    assert record == ("Nein, <b>keine</b> Hunde, nur Assistenzhunde.", OLGA_ID)

    cleo = emulator.user(first_name="Cleo", language_code="de")
    reply = await emulator.ask(cleo, "Darf ich meinen Hund mitbringen?")
    assert "Nein, keine Hunde, nur Assistenzhunde." in reply.plain_text
    assert "<b>keine</b>" in (reply.text or "")


async def outbox_rows(bot: RunningBot) -> list[tuple[int, str]]:
    """(partner, state) of every announcement's queued message, from the database."""
    async with bot.services.database.connection() as connection:
        rows = await connection.execute(
            text(
                "SELECT user_id, state FROM outbox WHERE broadcast_id IS NOT NULL ORDER BY user_id"
            )
        )
        return [(user_id, state) for user_id, state in rows]


def keynote_to(emulator: TelegramEmulator, people: dict[str, User]) -> list[str]:
    """Who received the announcement, once per message."""
    return sorted(
        name
        for name, person in people.items()
        for message in emulator.messages_to(person)
        if message.plain_text == NEWS
    )


async def test_an_announcement_to_one_organisation_reaches_exactly_its_partners(
    browser: Browser, dashboard: Dashboard, emulator: TelegramEmulator, olga: User,
    screenshot: Capture,
) -> None:  # fmt: skip
    bot = dashboard.bot
    partners = bot.services.partners
    swl = await partners.invite(OrganisationRow("Stadtwerke Leipzig"), OLGA_ID)
    oeko = await partners.invite(OrganisationRow("Ökolöwe"), OLGA_ID)
    anna = await linked(bot, emulator, "Anna", swl.code)
    ben = await linked(bot, emulator, "Ben", swl.code)
    cleo = await linked(bot, emulator, "Cleo", oeko.code, "en")
    dora = emulator.user(first_name="Dora", language_code="de")
    await emulator.ask(dora, "/start")
    people = {"Anna": anna, "Ben": ben, "Cleo": cleo, "Dora": dora}

    page = await open_tab(dashboard, browser, olga, "announcements")
    compose = by_test(page, "ann-text")
    await compose.fill(NEWS)
    await compose.evaluate("area => area.setSelectionRange(0, 4)")  # "Neu:"
    await page.locator('[data-format="b"]').first.click()
    await expect(compose).to_have_value("<b>Neu:</b> Die Keynote beginnt um 10 Uhr.")
    preview = by_test(page, "ann-preview")
    await expect(preview.locator("b")).to_have_text("Neu:", timeout=WAIT)
    await expect(preview).to_contain_text(NEWS)

    await page.get_by_text("Nur Partner dieser Organisationen").click()
    await page.get_by_label("Stadtwerke Leipzig (2)").check()
    everyone = by_test(page, "ann-audiences").locator("label").first
    await expect(everyone).to_have_attribute("data-count", "2", timeout=WAIT)
    await bot.services.outbox.stop()  # held until the page shows the send under way
    await by_test(page, "ann-send").click()
    confirm = by_test(page, "ann-confirm")
    await expect(confirm).to_contain_text("jetzt an 2 Partner", timeout=WAIT)
    await screenshot(page, "announcements-confirm")
    assert keynote_to(emulator, people) == []  # nothing before the confirmation

    calls = len(emulator.calls)
    await by_test(page, "ann-confirm-yes").click()
    progress = by_test(page, "ann-progress").locator(".card").first
    await expect(progress).to_have_attribute("data-status", "sending", timeout=WAIT)
    await expect(progress.locator('[data-figure="pending"] .figure')).to_have_text("2")
    assert await outbox_rows(bot) == sorted([(anna.id, "pending"), (ben.id, "pending")])

    await bot.services.outbox.start(sole_sender=True)
    await expect(progress).to_have_attribute("data-status", "done", timeout=LIVE)
    await expect(progress.locator('[data-figure="sent"] .figure')).to_have_text("2")
    await expect(progress.locator('[data-figure="pending"] .figure')).to_have_text("0")
    await screenshot(page, "announcements")
    await bot.settled()
    assert keynote_to(emulator, people) == ["Anna", "Ben"]  # each once, nobody else
    [message] = [m for m in emulator.messages_to(anna) if m.plain_text == NEWS]
    assert {"type": "bold", "offset": 0, "length": 4} in message.entities
    assert [call for call in emulator.calls[calls:] if call.status == 429] == []
    assert await outbox_rows(bot) == sorted([(anna.id, "sent"), (ben.id, "sent")])
