"""Organisers use the dashboard in a browser as Telegram opens it, and what they see and do
agrees with the database and with the bot's chat.

Partners register through the bot's own service; the organisers open the page with launch data
signed as Telegram signs it, in its URL fragment. Every page visited is photographed at a
phone's and a laptop's size (tests/artifacts/).
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, quote, urlencode

import pytest
from playwright.async_api import Browser, Locator, Page, expect
from sqlalchemy import text

from bot.emulator import TelegramEmulator, User
from bot.registration.service import RsvpAnswers
from storage.users import Visitor
from tests.browser.conftest import DARK_THEME, Capture, Dashboard
from tests.conftest import BEFORE_EVENT
from tests.e2e.rsvp_steps import with_capacity
from tests.harness import RunningBot

OLGA_ID = 5151
OTTO_ID = 5152
AT_THE_DOOR = datetime(2025, 6, 10, 15, 42, tzinfo=UTC)  # 17:42 in Leipzig
LIVE_WITHIN = 5_000  # ms: the promise for the check-in counter on another page
WAIT = 10_000  # ms: anything else the page shows after a click or a search
REFUSAL = "Bitte öffnen Sie die Übersicht noch einmal aus dem Bot."

# name: (organisation, persons; 0 declines). Of 8 seats Anna and Bernd take 5; Cleo's party of 4
# does not fit into the 3 left and waits.
PARTNERS = {
    "Anna Müller": ("Leipziger Stadtwerke", 2),
    "Bernd Schmidt": ("Universität Leipzig", 3),
    "Cleo Wagner": ("Leipziger Stadtwerke", 4),
    "Dora Declined": ("Stadtbibliothek", 0),
}
CAPACITY = 8

StartDashboard = Callable[..., Awaitable[Dashboard]]


@pytest.fixture
async def dashboard(dashboard_bot: StartDashboard, emulator: TelegramEmulator) -> Dashboard:
    """The conference day at the door: four partners answered, one only said hello."""
    started = await dashboard_bot(
        admin_ids=frozenset({OLGA_ID, OTTO_ID}), programme=with_capacity(CAPACITY)
    )
    for hours, (name, (organisation, persons)) in enumerate(PARTNERS.items()):
        started.bot.clock.set(BEFORE_EVENT + timedelta(hours=5 * hours))  # a day of answers
        user = emulator.user(first_name=name.split()[0], language_code="de")
        await emulator.ask(user, "/start")
        answers = RsvpAnswers(
            attending=persons > 0,
            name=name,
            organisation=organisation,
            persons=max(persons, 1),
            waitlist_ok=True,
        )
        await started.bot.services.registrations.submit(user.id, answers)
    await emulator.ask(emulator.user(first_name="Emil", language_code="de"), "/start")
    started.bot.clock.set(AT_THE_DOOR)
    return started


@pytest.fixture
def olga(emulator: TelegramEmulator) -> User:
    return emulator.user(id=OLGA_ID, first_name="Olga", language_code="de")


@pytest.fixture
def otto(emulator: TelegramEmulator) -> User:
    return emulator.user(id=OTTO_ID, first_name="Otto", language_code="de")


async def database_figures(bot: RunningBot) -> dict[str, int]:
    """The figures as the database holds them, counted here in SQL of its own."""
    key = bot.services.event.event_key
    async with bot.services.database.connection() as connection:
        rows = await connection.execute(
            text(
                "SELECT status, count(*), sum(persons) FROM registrations "
                "WHERE event_key = :key GROUP BY status"
            ),
            {"key": key},
        )
        by_status = {status: (parties, persons) for status, parties, persons in rows}
        not_answered = await connection.scalar(
            text(
                "SELECT count(*) FROM users WHERE id NOT IN "
                "(SELECT user_id FROM registrations WHERE event_key = :key)"
            ),
            {"key": key},
        )
        capacity = await connection.scalar(
            text("SELECT capacity FROM events WHERE key = :key"), {"key": key}
        )
    return {
        "capacity": capacity,
        "confirmed_persons": by_status.get("confirmed", (0, 0))[1],
        "confirmed": by_status.get("confirmed", (0, 0))[0],
        "waitlisted": by_status.get("waitlisted", (0, 0))[0],
        "declined": by_status.get("declined", (0, 0))[0],
        "not_answered": not_answered or 0,
    }


def figure(page: Page, count: str) -> Locator:
    return page.locator(f'#counts [data-count="{count}"] .figure')


def live_persons(page: Page) -> Locator:
    return page.locator('#live [data-live="persons"]')


async def open_registrations(dashboard: Dashboard, browser: Browser, user: User) -> Page:
    """The dashboard as `user` opens it, on the registrations tab."""
    page = await dashboard.open(browser, user)
    await page.locator('#tabs [data-tab="registrations"]').click()
    return page


async def test_the_overview_shows_the_figures_of_the_database_and_of_the_statistics(
    browser: Browser, dashboard: Dashboard, emulator: TelegramEmulator, olga: User,
    screenshot: Capture,
) -> None:  # fmt: skip
    page = await dashboard.open(browser, olga)
    expected = await database_figures(dashboard.bot)
    assert expected == {
        "capacity": 8,
        "confirmed_persons": 5,
        "confirmed": 2,
        "waitlisted": 1,
        "declined": 1,
        "not_answered": 1,  # Emil; the organisers have not written to the bot
    }

    await expect(page.locator("#capacity .figure")).to_have_text(
        f"{expected['confirmed_persons']} von {expected['capacity']} Plätzen belegt", timeout=WAIT
    )
    gauge = page.locator("#capacity .gauge")
    await expect(gauge).to_have_attribute("aria-valuenow", str(expected["confirmed_persons"]))
    await expect(gauge).to_have_attribute("aria-valuemax", str(expected["capacity"]))
    filled = await gauge.evaluate("g => g.firstElementChild.offsetWidth / g.clientWidth")
    assert filled == pytest.approx(5 / 8, abs=0.02)  # the bar shows the share taken
    for count in ("confirmed", "waitlisted", "declined", "not_answered"):
        await expect(figure(page, count)).to_have_text(str(expected[count]))
    await expect(live_persons(page)).to_have_text("0")
    await screenshot(page, "overview")

    # The same numbers as /statistik in the chat (asking adds Olga to "no answer yet").
    stats = (await emulator.ask(olga, "/statistik")).plain_text
    assert f"Zusagen: {expected['confirmed']} ({expected['confirmed_persons']} Personen)" in stats
    assert f"Absagen: {expected['declined']}" in stats
    assert f"Warteliste: {expected['waitlisted']} (4 Personen)" in stats
    assert f"Noch keine Antwort: {expected['not_answered'] + 1}" in stats
    assert f"Freie Plätze: 3 von {expected['capacity']}" in stats


async def test_the_overview_takes_telegrams_dark_theme(
    browser: Browser, dashboard: Dashboard, olga: User, screenshot: Capture
) -> None:
    page = await dashboard.open(browser, olga, theme=DARK_THEME)
    await expect(figure(page, "confirmed")).to_have_text("2", timeout=WAIT)
    background = await page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(33, 33, 33)"  # DARK_THEME's bg_color #212121
    await screenshot(page, "overview-dark")


async def test_a_misspelt_name_finds_the_partner_and_shows_the_details(
    browser: Browser, dashboard: Dashboard, olga: User, screenshot: Capture
) -> None:
    page = await open_registrations(dashboard, browser, olga)
    rows = page.locator("#table tbody tr")
    await expect(rows).to_have_count(2, timeout=WAIT)  # the tab of confirmed registrations
    await screenshot(page, "registrations")

    await page.locator("#search").fill("Bernd Schmitt")
    await expect(rows.first).to_contain_text("Bernd Schmidt", timeout=WAIT)
    await expect(rows.first).to_contain_text("Universität Leipzig")
    await screenshot(page, "registrations-search")

    await rows.first.click()
    details = page.locator("#details")
    await expect(details.locator("h2")).to_have_text("Bernd Schmidt", timeout=WAIT)
    await expect(details).to_contain_text("Universität Leipzig")
    await expect(details).to_contain_text("noch nicht eingecheckt")
    await screenshot(page, "details")


async def test_a_check_in_at_the_door_shows_in_the_chat_and_live_on_another_page_until_undone(
    browser: Browser, dashboard: Dashboard, emulator: TelegramEmulator, olga: User, otto: User,
    screenshot: Capture,
) -> None:  # fmt: skip
    overview = await dashboard.open(browser, otto)  # Otto watches the counter
    await expect(live_persons(overview)).to_have_text("0", timeout=WAIT)

    door = await dashboard.open(browser, olga)
    await door.locator('#tabs [data-tab="door"]').click()
    await door.locator("#door-search").fill("anna mueller")
    card = door.locator("#door-card .door-card")
    await expect(card.locator("h2")).to_have_text("Anna Müller", timeout=WAIT)
    await screenshot(door, "door-card")

    await card.get_by_role("button", name="2 einchecken").click()
    await expect(door.locator("#door-note")).to_have_text(
        re.compile(r"^Eingecheckt .*17:42 Uhr: 2 von 2 Personen\.$"), timeout=WAIT
    )
    await screenshot(door, "door-checked-in")
    stats = (await emulator.ask(olga, "/statistik")).plain_text
    assert "Eingecheckt: 1 (2 Personen)" in stats
    await expect(live_persons(overview)).to_have_text("2", timeout=LIVE_WITHIN)

    await card.get_by_role("button", name="Einchecken rückgängig machen").click()
    await expect(door.locator("#door-note")).to_have_text(
        "Einchecken rückgängig gemacht.", timeout=WAIT
    )
    await expect(card.get_by_role("button", name="2 einchecken")).to_be_visible()
    stats = (await emulator.ask(olga, "/statistik")).plain_text
    assert "Eingecheckt: 0 (0 Personen)" in stats
    await expect(live_persons(overview)).to_have_text("0", timeout=LIVE_WITHIN)


def tampered(launch_data: str, user_id: int) -> str:
    """Launch data with another user id put in, the signature kept."""
    fields = dict(parse_qsl(launch_data))
    user = json.loads(fields["user"])
    user["id"] = user_id
    fields["user"] = json.dumps(user, separators=(",", ":"))
    return urlencode(fields, quote_via=quote)


@pytest.mark.parametrize("who", ["partner", "tampered"])
async def test_a_partner_or_tampered_launch_data_get_only_the_refusal(
    browser: Browser, dashboard: Dashboard, emulator: TelegramEmulator, olga: User,
    screenshot: Capture, who: str,
) -> None:  # fmt: skip
    paula = emulator.user(first_name="Paula", language_code="de")
    await emulator.ask(paula, "/start")
    if who == "partner":
        page = await dashboard.open(browser, paula)
    else:  # Paula claims to be Olga in her own launch data
        forged = tampered(dashboard.launch_data(paula), olga.id)
        page = await dashboard.open(browser, paula, launch_data=forged)
    refusal = page.locator("#refusal-text")
    await expect(refusal).to_have_text(REFUSAL, timeout=WAIT)
    await expect(refusal).to_be_visible()
    await expect(page.locator("#top")).to_be_hidden()
    await expect(page.locator("#overview")).to_be_hidden()
    body = await page.locator("body").inner_text()
    assert not re.search(r"Anna|Bernd|Cleo|Plätze", body)
    await screenshot(page, f"refusal-{who}")


async def test_status_tabs_the_organisation_filter_and_sorting_narrow_the_table(
    browser: Browser, dashboard: Dashboard, olga: User, screenshot: Capture
) -> None:
    page = await open_registrations(dashboard, browser, olga)
    rows = page.locator("#table tbody tr")
    names = rows.locator("td:first-child")
    await expect(names).to_have_text(["Anna Müller", "Bernd Schmidt"], timeout=WAIT)

    await page.locator('#status-tabs [data-status="waitlisted"]').click()
    await expect(names).to_have_text(["Cleo Wagner"], timeout=WAIT)
    await page.locator('#status-tabs [data-status="declined"]').click()
    await expect(names).to_have_text(["Dora Declined"], timeout=WAIT)

    await page.locator('#status-tabs [data-status=""]').click()  # all
    await expect(page.locator('#status-tabs [data-status=""]')).to_have_text("Alle (4)")
    await expect(names).to_have_count(4, timeout=WAIT)
    await page.locator("#organisation").select_option("Leipziger Stadtwerke")
    await expect(names).to_have_text(["Anna Müller", "Cleo Wagner"], timeout=WAIT)
    await page.locator("#sort").select_option("persons")
    await expect(names).to_have_text(["Cleo Wagner", "Anna Müller"], timeout=WAIT)
    await expect(page.locator("#page")).to_contain_text("Seite 1 von 1")
    await screenshot(page, "registrations-filtered")


async def test_a_long_list_comes_in_pages_of_fifty(
    browser: Browser, dashboard_bot: StartDashboard, olga: User, screenshot: Capture
) -> None:
    started = await dashboard_bot(admin_ids=frozenset({OLGA_ID}), programme=with_capacity(100))
    services = started.bot.services
    for number in range(1, 61):
        visitor = Visitor(9000 + number, f"Teilnehmerin {number:02d}", None, None, "de")
        async with services.database.transaction() as repositories:
            await repositories.users.record_visit(visitor, started.bot.clock.now())
        answers = RsvpAnswers(attending=True, name=visitor.first_name, organisation="Verein")
        await services.registrations.submit(visitor.id, answers)

    page = await open_registrations(started, browser, olga)
    names = page.locator("#table tbody tr td:first-child")
    await expect(names).to_have_count(50, timeout=WAIT)
    await expect(names.first).to_have_text("Teilnehmerin 01")
    await expect(page.locator("#page")).to_have_text("Seite 1 von 2 (60 Anmeldungen)")
    await expect(page.get_by_role("button", name="Zurück")).to_be_disabled()

    await page.get_by_role("button", name="Weiter").click()
    await expect(names).to_have_count(10, timeout=WAIT)
    await expect(names.first).to_have_text("Teilnehmerin 51")
    await expect(page.locator("#page")).to_have_text("Seite 2 von 2 (60 Anmeldungen)")
    await expect(page.get_by_role("button", name="Weiter")).to_be_disabled()
    await screenshot(page, "registrations-page-2")
