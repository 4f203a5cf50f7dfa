"""The organisers' dashboard in a real browser: Debian's Chromium driven by Playwright.

Playwright's own browser downloads are never used; it launches `/usr/bin/chromium`
(`apt-get install chromium chromium-driver`, which `.ci/run` does). Without it every browser
test is skipped with that reason, except in CI, where a missing browser is an error: a green
run must not hide tests that did not run.

Each page a test visits can be photographed at a phone's and a laptop's size into
`tests/artifacts/<test>/` (git-ignored), so a person can look at what the tests saw.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.async_api import Browser, Page, async_playwright

from bot.app import WEB_SERVER_KEY
from bot.core.web import WebServer
from bot.emulator import User
from tests.conftest import TEST_TOKEN
from tests.dashboard_signing import launch_url, sign_init_data
from tests.harness import RunningBot, StartBot

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
# Served under a path, as behind a reverse proxy; the port is any free one (the bot's server
# listens on port 0 in tests).
DASHBOARD_URL = "http://127.0.0.1/dashboard/"
INSTALL = "apt-get update && apt-get install -y chromium chromium-driver"
# Headless Chromium as root in a container: no sandbox, and /dev/shm may be tiny.
CHROMIUM_ARGS = ("--no-sandbox", "--disable-dev-shm-usage")
#: (width, height) of a phone (iPhone 12 to 15) and of a laptop.
PHONE = (390, 844)
LAPTOP = (1280, 800)

# Telegram's theme colours for a Mini App (tgWebAppThemeParams), as its apps send them.
LIGHT_THEME = {
    "bg_color": "#ffffff",
    "text_color": "#000000",
    "hint_color": "#999999",
    "link_color": "#2481cc",
    "button_color": "#2481cc",
    "button_text_color": "#ffffff",
    "secondary_bg_color": "#efeff3",
    "header_bg_color": "#ffffff",
    "accent_text_color": "#2481cc",
    "section_bg_color": "#ffffff",
    "section_header_text_color": "#6d6d72",
    "subtitle_text_color": "#999999",
    "destructive_text_color": "#ff3b30",
}
DARK_THEME = {
    "bg_color": "#212121",
    "text_color": "#ffffff",
    "hint_color": "#aaaaaa",
    "link_color": "#8cc2f0",
    "button_color": "#5288c1",
    "button_text_color": "#ffffff",
    "secondary_bg_color": "#181818",
    "header_bg_color": "#212121",
    "accent_text_color": "#8cc2f0",
    "section_bg_color": "#212121",
    "section_header_text_color": "#8cc2f0",
    "subtitle_text_color": "#aaaaaa",
    "destructive_text_color": "#e53935",
}


def chromium_executable() -> str | None:
    """Debian's Chromium, or the one CHROMIUM_PATH names."""
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured if Path(configured).exists() else None
    return shutil.which("chromium")


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    """A headless Chromium for one test."""
    executable = chromium_executable()
    if executable is None:
        reason = f"the browser tests need Debian's Chromium at /usr/bin/chromium: {INSTALL}"
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (.ci/run installs it)")
        pytest.skip(reason)
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=executable, args=list(CHROMIUM_ARGS)
        )
        try:
            yield chromium
        finally:
            await chromium.close()


Capture = Callable[..., Awaitable[list[Path]]]


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Capture:
    """Photographs a page at a phone's and a laptop's size into tests/artifacts/<test>/."""
    folder = ARTIFACTS / re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)

    async def capture(page: Page, name: str) -> list[Path]:
        folder.mkdir(parents=True, exist_ok=True)
        original = page.viewport_size
        # From the top: scrolled down, a full-page photograph draws the sticky tabs mid-page.
        await page.evaluate("window.scrollTo(0, 0)")
        taken = []
        for width, height in (PHONE, LAPTOP):
            await page.set_viewport_size({"width": width, "height": height})
            path = folder / f"{name}-{width}x{height}.png"
            await page.screenshot(path=path, full_page=True)
            taken.append(path)
        if original is not None:
            await page.set_viewport_size(original)
        return taken

    return capture


@dataclass
class Dashboard:
    """The bot with its dashboard on a free port of 127.0.0.1, and pages opened as Telegram
    opens a Mini App: the page's address with the signed launch data in its fragment."""

    bot: RunningBot
    page_url: str

    def launch_data(self, user: User) -> str:
        """What Telegram signs for this user opening the Mini App now (by the bot's clock)."""
        return sign_init_data(
            TEST_TOKEN,
            user_id=user.id,
            first_name=user.first_name,
            language_code=user.language_code,
            auth_date=self.bot.clock.now(),
        )

    async def open(
        self,
        browser: Browser,
        user: User,
        *,
        theme: dict[str, str] = LIGHT_THEME,
        launch_data: str | None = None,
    ) -> Page:
        """A new phone-sized page with the dashboard as `user` opens it from the bot."""
        page = await browser.new_page(viewport={"width": PHONE[0], "height": PHONE[1]})
        data = self.launch_data(user) if launch_data is None else launch_data
        await page.goto(launch_url(self.page_url, data, theme))
        return page


@pytest.fixture
def dashboard_bot(start_bot: StartBot) -> Callable[..., Awaitable[Dashboard]]:
    """Starts the bot with its dashboard; the page is served by the bot's own process."""

    async def start(**options: Any) -> Dashboard:
        bot = await start_bot(dashboard_url=DASHBOARD_URL, **options)
        server: WebServer = bot.application.bot_data[WEB_SERVER_KEY]
        return Dashboard(bot, f"http://127.0.0.1:{server.port}{urlsplit(DASHBOARD_URL).path}")

    return start
