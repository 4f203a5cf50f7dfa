"""Command line: `partnerbot run` (default), `partnerbot console`, `partnerbot migrate`."""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from telegram import Update

from bot.core.clock import BERLIN
from bot.core.config import ConfigError, Settings, load_settings
from bot.core.timefmt import format_datetime
from bot.core.web import WebServerError
from bot.programme.model import Programme, ProgrammeError

log = logging.getLogger("bot")


def _configure_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # Every HTTP request at INFO would drown the bot's own log (and carries the token in URLs).
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def warn_if_event_over(programme: Programme, path: Path, now: datetime) -> None:
    """An operator who starts the bot on last year's file should hear it before partners do."""
    if programme.has_ended(now):
        log.warning(
            "The event in %s ended on %s: partners can still ask about it, but no longer "
            "register. Set PROGRAMME_FILE to the next event's programme.",
            path,
            format_datetime(programme.event.ends_at, "en", year=True),
        )


def _run(settings: Settings) -> int:
    token = settings.telegram.require_token()
    webhook = settings.webhook
    secret = webhook.require_secret() if webhook.enabled else None
    from bot.app import build_application, build_services, prepare_database, serve_webhook

    services = build_services(settings, token=token)
    warn_if_event_over(
        services.content.programme, settings.event.programme_file, services.clock.now()
    )
    asyncio.run(prepare_database(services))
    application = build_application(services)
    # What start-up made (modules, programme, schema: some 120,000 objects) lives as long as
    # the process; left to the garbage collector, every full collection walks it again, a pause
    # of 70 ms or more in the middle of answering. Frozen, it is no longer walked.
    gc.collect()
    gc.freeze()
    if webhook.enabled:
        assert secret is not None
        log.info("Receiving updates by webhook on %s:%s", webhook.listen, webhook.port)
        # Telegram sends the secret with every update; a request without it gets a 403.
        asyncio.run(serve_webhook(application, secret))
    else:
        log.info("Receiving updates by long polling")
        application.run_polling(allowed_updates=Update.ALL_TYPES)
    log.info("Stopped cleanly")
    return 0


def _migrate(settings: Settings) -> int:
    from storage.database import Database

    async def migrate() -> None:
        database = Database(settings.database.url)
        await database.migrate()
        await database.close()

    asyncio.run(migrate())
    print(f"Database is up to date ({settings.database.url.split('://')[0]}).")
    return 0


def _moment(text: str) -> datetime:
    """An ISO 8601 moment; without an offset it is read as Leipzig time."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        message = f"{text!r} is not a date and time like 2025-06-01T10:00"
        raise argparse.ArgumentTypeError(message) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=BERLIN)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="partnerbot", description="Telegram bot for conference partners."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser(
        "run", help="run the bot: long polling, or a webhook when WEBHOOK_URL is set (default)"
    )
    console = commands.add_parser(
        "console", help="chat with the bot in this terminal, without Telegram or a token"
    )
    console.add_argument("--organiser", action="store_true", help="chat as an organiser")
    console.add_argument(
        "--language", choices=["de", "en"], default="de", help="your Telegram app language"
    )
    console.add_argument("--database", help="database URL (default: a console SQLite file)")
    console.add_argument(
        "--at",
        type=_moment,
        help="pretend it is this moment, e.g. 2025-06-01T10:00+02:00, to try a day in advance",
    )
    commands.add_parser("migrate", help="apply database migrations and exit")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = args.command or "run"
    if command != "console":
        _configure_logging(args.verbose)
    try:
        settings = load_settings()
        if command == "migrate":
            return _migrate(settings)
        if command == "console":
            from bot.console import run_console

            return run_console(
                settings,
                organiser=args.organiser,
                language=args.language,
                database_url=args.database,
                at=args.at,
                verbose=args.verbose,
            )
        return _run(settings)
    except (ConfigError, ProgrammeError, WebServerError) as error:
        print(f"partnerbot: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
