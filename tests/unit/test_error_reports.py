"""Which errors reach the organisers, and what a report may say."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.error_reports import ErrorReports, callback_name, describe_exception, new_error_id

NOW = datetime(2025, 6, 10, 16, 0, tzinfo=UTC)


def failing_handler() -> None:
    raise KeyError("Anna Müller")


def caught(function: object) -> BaseException:
    try:
        function()  # type: ignore[operator]
    except Exception as error:
        return error
    raise AssertionError("did not raise")


def test_error_ids_are_eight_hex_characters_and_differ() -> None:
    ids = {new_error_id() for _ in range(100)}
    assert len(ids) == 100
    assert all(len(i) == 8 and int(i, 16) >= 0 for i in ids)


def test_the_report_names_the_exception_but_no_personal_values() -> None:
    assert describe_exception(caught(failing_handler)) == "KeyError: '…'"
    number = ValueError('chat 123456789 not found for "Bob" at step 3')
    assert describe_exception(number) == "ValueError: chat … not found for '…' at step 3"


def raised_under_the_library(callback: object) -> BaseException:
    """The error as python-telegram-bot catches it: its own frames first, then the callback's."""
    library: dict[str, object] = {"__name__": "telegram.ext._fake", "callback": callback}
    exec(  # a module of the library's, so its frames count as the library's
        "def process_update():\n"
        "    try:\n"
        "        callback()\n"
        "    except Exception as error:\n"
        "        return error\n",
        library,
    )
    return library["process_update"]()  # type: ignore[operator, no-any-return]


def test_the_callback_is_the_first_frame_below_the_library() -> None:
    error = raised_under_the_library(failing_handler)
    assert callback_name(error) == f"{__name__}.failing_handler"


def test_without_a_frame_of_ours_the_place_it_was_raised_is_named() -> None:
    library: dict[str, object] = {"__name__": "telegram.ext._other"}
    exec("def fail():\n    raise ValueError('x')\n", library)
    assert callback_name(raised_under_the_library(library["fail"])) == "telegram.ext._other.fail"
    assert callback_name(RuntimeError("never raised")) == "unknown"


def test_long_messages_are_cut() -> None:
    assert len(describe_exception(RuntimeError("x" * 1000))) < 250


def test_the_same_error_is_reported_once_a_minute_and_the_rest_counted() -> None:
    reports = ErrorReports()
    error = caught(failing_handler)
    first = reports.record("aaaa0001", error, NOW).report
    assert first is not None and first.earlier == 0 and first.error_id == "aaaa0001"
    held = [reports.record("b", error, NOW + timedelta(seconds=s)) for s in range(1, 13)]
    assert all(recorded.report is None for recorded in held)
    # The first one held back asks for a look when the quiet minute ends; the others do not.
    assert held[0].look_again_at == NOW + timedelta(minutes=1)
    assert all(recorded.look_again_at is None for recorded in held[1:])
    later = reports.record("cccc0003", error, NOW + timedelta(seconds=61)).report
    assert later is not None and later.earlier == 12 and later.error_id == "cccc0003"
    assert reports.last_error_at == NOW + timedelta(seconds=61)


def test_when_the_storm_ends_the_held_back_errors_are_reported_once() -> None:
    reports = ErrorReports()
    error = caught(failing_handler)
    reports.record("aaaa0001", error, NOW)
    for number in range(1, 6):
        recorded = reports.record(f"id{number}", error, NOW + timedelta(seconds=number))
    key = recorded.key
    assert key is not None
    assert reports.held_back(key, NOW + timedelta(seconds=30)) is None  # the minute is not over
    report = reports.held_back(key, NOW + timedelta(minutes=1))
    assert report is not None
    assert (report.error_id, report.earlier) == ("id5", 4)  # the latest, and four before it
    assert reports.held_back(key, NOW + timedelta(minutes=3)) is None  # nothing left


def test_a_different_error_is_reported_at_once() -> None:
    reports = ErrorReports()
    assert reports.record("a", caught(failing_handler), NOW).report is not None
    assert reports.record("b", caught(lambda: 1 / 0), NOW).report is not None


def test_no_error_yet() -> None:
    assert ErrorReports().last_error_at is None
