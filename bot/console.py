"""`partnerbot console`: chat with the real bot in this terminal, no Telegram and no token needed.

The real Application, handlers, storage and scheduler run against the local Bot API emulator.
You write as a partner (or, with --organiser, as an organiser); the bot's messages are printed
with inline buttons as numbered choices. A simulated organisers' group receives the questions
the bot cannot answer, and `:reply <text>` answers the last one from there.

A newcomer's first try is to register. When the programme's event is over or its registration
closed, the console pretends a moment while registration is open and says so; `--at` picks
another moment.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import textwrap
import threading
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from bot.app import build_application, build_services, running
from bot.core.clock import BERLIN, ShiftedClock
from bot.core.config import DashboardSettings, DatabaseSettings, OrganiserSettings, Settings
from bot.core.services import Services
from bot.core.texts import Texts
from bot.core.timefmt import format_datetime
from bot.dashboard.signin import launch_url, sign_launch_data
from bot.emulator import Button, Chat, EventKind, SentMessage, TelegramEmulator, User
from bot.partners.invites import OrganisationRow
from bot.programme.model import Language, Programme, load_programme
from bot.registration.rules import Window, registration_window

CONSOLE_DATABASE = "sqlite+aiosqlite:///data/console.sqlite3"
DEMO_ORGANISATION = "Beispiel-Partner GmbH"
CONSOLE_TOKEN = "100000:console-token-for-the-local-emulator-only"
ORGANISERS_GROUP = Chat(id=-1000000000001, type="supergroup", title="Organisers")
DOWNLOADS = Path("data") / "console"
REPLY_TIMEOUT = 10.0  # seconds to wait for the bot's first reply
QUIET_AFTER = 0.4  # the bot is done when it has been silent this long
DEMO_LEAD = timedelta(weeks=3)  # the pretended moment: this long before the event
DEMO_TIME = time(10, 0)  # Leipzig time, an office hour

HELP = """\
Type a message and press Enter. A number picks a button of the last message.
  :reply <text>  answer the last question relayed to the organisers' group
  :dashboard     a fresh link to the organisers' dashboard (with --organiser)
  :help          this help
  :quit          leave (or Ctrl-D)"""


def demo_moment(programme: Programme, now: datetime) -> datetime | None:
    """The moment the console pretends, or None while registration is open anyway.

    10:00 in Leipzig three weeks before the event, or the day before the deadline if that
    comes first, so the first /rsvp of someone trying the bot is not turned away.
    """
    if registration_window(programme, now) is Window.OPEN:
        return None
    event = programme.event
    moment = datetime.combine(
        (event.starts_at.astimezone(BERLIN) - DEMO_LEAD).date(), DEMO_TIME, BERLIN
    )
    if moment >= event.rsvp_deadline:
        day_before = event.rsvp_deadline.astimezone(BERLIN).date() - timedelta(days=1)
        moment = datetime.combine(day_before, DEMO_TIME, BERLIN)
    return moment


def demo_note(
    texts: Texts, language: Language, programme: Programme, now: datetime, moment: datetime
) -> str:
    """The banner line that says which moment the console pretends, and why."""
    why = "ended" if programme.has_ended(now) else "closed"
    when = format_datetime(moment, language, year=True)
    return texts.plain(language, f"console.demo_time.{why}", moment=when)


def _read_lines(loop: asyncio.AbstractEventLoop, queue: asyncio.Queue[str | None]) -> None:
    """Blocking stdin reads in a daemon thread, so Ctrl-C and EOF never hang the event loop."""
    for line in sys.stdin:
        loop.call_soon_threadsafe(queue.put_nowait, line.rstrip("\n"))
    loop.call_soon_threadsafe(queue.put_nowait, None)


class ConsoleView:
    """Prints what the bot sends and remembers the buttons on screen."""

    def __init__(self, me: User) -> None:
        self.me = me
        self.buttons: list[tuple[SentMessage, Button]] = []
        self.last_relay: SentMessage | None = None
        self.activity = asyncio.Event()

    def on_event(self, kind: EventKind, item: object) -> None:
        if kind not in ("sent", "edited"):
            return
        message = item if isinstance(item, SentMessage) else getattr(item, "message", None)
        if not isinstance(message, SentMessage):
            return
        self.activity.set()
        if (
            kind == "edited"
            and message.edits
            and message.edits[-1].method == "editMessageReplyMarkup"
        ):
            # Only the buttons changed (an answered question loses them): nothing to reprint.
            if not message.buttons:
                self.buttons = [(m, b) for m, b in self.buttons if m is not message]
            return
        if message.chat_id == ORGANISERS_GROUP.id:
            self.last_relay = message
            self._print(message, prefix="[organisers' group] ")
        elif message.chat_id == self.me.id:
            self._print(message, prefix="(edited) " if kind == "edited" else "")

    def _print(self, message: SentMessage, prefix: str) -> None:
        lines = [prefix + "bot:"] if prefix else ["bot:"]
        if message.venue:
            location = message.venue["location"]
            lines.append(
                f"📍 {message.venue['title']}, {message.venue['address']} "
                f"({location['latitude']}, {location['longitude']})"
            )
        upload = message.document or message.photo
        if upload is not None:
            DOWNLOADS.mkdir(parents=True, exist_ok=True)
            target = DOWNLOADS / (upload.filename or f"photo-{message.message_id}.png")
            target.write_bytes(upload.content or b"")
            lines.append(f"📎 {target.name} ({len(upload.content or b'')} bytes) → {target}")
        if message.plain_text:
            for paragraph in message.plain_text.split("\n"):
                lines.extend(textwrap.wrap(paragraph, width=78) or [""])
        rows = message.buttons
        if rows and message.chat_id == self.me.id:
            self.buttons = []
            for row in rows:
                labels = []
                for button in row:
                    self.buttons.append((message, button))
                    labels.append(f"[{len(self.buttons)}] {button.text}")
                lines.append("   ".join(labels))
        print("\n  ".join(lines) + "\n", flush=True)


async def _wait_until_quiet(view: ConsoleView) -> None:
    """Wait for the bot's reply, then until it has stopped sending."""
    timeout = REPLY_TIMEOUT
    while True:
        view.activity.clear()
        try:
            await asyncio.wait_for(view.activity.wait(), timeout)
        except TimeoutError:
            return
        timeout = QUIET_AFTER


def dashboard_link(services: Services, me: User) -> str | None:
    """The dashboard on this machine, opened as Telegram would open it for the console's
    organiser: launch data signed with the console's token, valid DASHBOARD_AUTH_MAX_AGE."""
    url = services.settings.dashboard.url
    if url is None:
        return None
    init_data = sign_launch_data(
        services.token,
        user_id=me.id,
        first_name=me.first_name,
        language_code=me.language_code,
        auth_date=services.clock.now(),
    )
    return launch_url(url, init_data)


async def _chat(
    emulator: TelegramEmulator, view: ConsoleView, me: User, services: Services
) -> None:
    queue: asyncio.Queue[str | None] = asyncio.Queue()
    threading.Thread(
        target=_read_lines, args=(asyncio.get_running_loop(), queue), daemon=True
    ).start()
    interactive = sys.stdin.isatty()
    while True:
        if interactive:
            print("you › ", end="", flush=True)
        line = await queue.get()
        if line is None or line.strip() in (":quit", ":q"):
            return
        if not interactive:
            print(f"you › {line}", flush=True)
        text = line.strip()
        if not text:
            continue
        if text == ":help":
            print(HELP, flush=True)
            continue
        if text == ":dashboard":
            print(dashboard_link(services, me) or "(only with --organiser)", flush=True)
            continue
        if text.startswith(":reply"):
            if view.last_relay is None:
                print("(no question has been relayed to the organisers' group yet)", flush=True)
                continue
            organiser = emulator.user(first_name="Organiser", language_code="de")
            emulator.send_text(
                organiser,
                text.removeprefix(":reply").strip(),
                chat=ORGANISERS_GROUP,
                reply_to=view.last_relay,
            )
        elif text.isdigit() and 1 <= int(text) <= len(view.buttons):
            message, button = view.buttons[int(text) - 1]
            try:
                emulator.click(me, message, button.text)
            except AssertionError:  # the message lost its buttons in the meantime
                print("(that button is no longer there)", flush=True)
                continue
        else:
            emulator.send_text(me, text)
        await _wait_until_quiet(view)


async def _console(
    settings: Settings,
    *,
    organiser: bool,
    language: Language,
    database_url: str | None,
    at: datetime | None,
) -> None:
    programme = load_programme(settings.event.programme_file)
    now = datetime.now(UTC)
    demo = None if at else demo_moment(programme, now)
    start = at or demo
    async with TelegramEmulator(bot_username="partnerbot_console_bot") as emulator:
        emulator.add_chat(ORGANISERS_GROUP)
        me = emulator.user(
            first_name="Organiser" if organiser else "Partner", language_code=language
        )
        admin_ids = settings.organisers.admin_ids | ({me.id} if organiser else set())
        console_settings = Settings(
            telegram=settings.telegram,
            database=DatabaseSettings(DATABASE_URL=database_url or CONSOLE_DATABASE),
            event=settings.event,
            organisers=OrganiserSettings(
                ADMIN_IDS=admin_ids, ORGANISER_CHAT_ID=ORGANISERS_GROUP.id
            ),
            dashboard=_local_dashboard(settings.dashboard) if organiser else None,
        )
        services = build_services(
            console_settings,
            token=CONSOLE_TOKEN,
            base_url=emulator.base_url,
            clock=ShiftedClock(start) if start else None,
            programme=programme,
        )
        application = build_application(services)
        view = ConsoleView(me)
        emulator.add_listener(view.on_event)
        async with running(application):
            title = services.content.programme.event.title.get("en")
            role = "an organiser" if organiser else "a partner"
            print(f"Partnerbot console – {title}. You are {role}.\n{HELP}\n", flush=True)
            if demo is not None:
                note = demo_note(services.texts, language, programme, now, demo)
                print(textwrap.fill(note, width=78) + "\n", flush=True)
            link = dashboard_link(services, me)
            if link is not None:
                print(
                    f"Your dashboard in a browser (:dashboard for a fresh link):\n{link}\n",
                    flush=True,
                )
            emulator.send_text(me, "/start")
            await _wait_until_quiet(view)
            if not organiser and services.settings.event.access == "invite":
                await _open_demo_invite(services, me)
            await _chat(emulator, view, me, services)


def _local_dashboard(configured: DashboardSettings) -> DashboardSettings:
    """The console serves the dashboard on this machine only, whatever DASHBOARD_URL says."""
    port = configured.port or 8081
    return DashboardSettings(
        _env_file=None,  # type: ignore[call-arg]
        DASHBOARD_URL=f"http://127.0.0.1:{port}/",
        DASHBOARD_LISTEN="127.0.0.1",
        DASHBOARD_PORT=port,
        DASHBOARD_AUTH_MAX_AGE=configured.auth_max_age,
    )


async def _open_demo_invite(services: Services, me: User) -> None:
    """Registration needs an invite link; the console partner gets one of a demo organisation."""
    issued = await services.partners.invite(OrganisationRow(DEMO_ORGANISATION), created_by=0)
    await services.partners.redeem(me.id, issued.code)
    print(f"(You opened the invite link of {DEMO_ORGANISATION}, so you may /rsvp.)\n", flush=True)


def run_console(
    settings: Settings,
    *,
    organiser: bool = False,
    language: Language = "de",
    database_url: str | None = None,
    at: datetime | None = None,
    verbose: bool = False,
) -> int:
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        asyncio.run(
            _console(
                settings,
                organiser=organiser,
                language=language,
                database_url=database_url,
                at=at,
            )
        )
    except KeyboardInterrupt:
        print()
    return 0
