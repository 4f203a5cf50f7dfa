"""The programme file: the shipped one loads, and mistakes name the file and the field."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import yaml

from bot.programme.model import (
    SHIPPED_PROGRAMME,
    ProgrammeError,
    format_offset,
    load_programme,
    parse_offset,
    programme_data,
)


@pytest.fixture
def shipped_data() -> dict:
    return programme_data(SHIPPED_PROGRAMME)


def write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "programme.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_shipped_programme_is_the_klimakonferenz_in_leipzig() -> None:
    programme = load_programme(SHIPPED_PROGRAMME)
    assert programme.event.venue.name == "Alte Handelsbörse"
    assert programme.event.venue.address == "Naschmarkt 1, 04109 Leipzig"
    assert programme.keynote.speaker == "Prof. Dr. Anders Levermann"
    assert "Klimafolgenforschung" in programme.keynote.affiliation.de
    local_start = programme.event.starts_at
    assert (local_start.year, local_start.month, local_start.day) == (2025, 6, 10)
    assert local_start.weekday() == 1  # a Tuesday, as the press release says
    assert any(item.speaker == "Burkhard Jung" for item in programme.agenda)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7d", timedelta(days=7)),
        ("1d", timedelta(days=1)),
        ("2h", timedelta(hours=2)),
        ("15m", timedelta(minutes=15)),
        ("30s", timedelta(seconds=30)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        (" 2H ", timedelta(hours=2)),
    ],
)
def test_offsets_are_read_as_written(text: str, expected: timedelta) -> None:
    assert parse_offset(text) == expected
    assert parse_offset(format_offset(expected)) == expected


@pytest.mark.parametrize("text", ["", "7", "d7", "1w", "-2h", "0m", "2h 30m", "1m1h"])
def test_malformed_offsets_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_offset(text)


def test_error_names_file_and_field(tmp_path: Path, shipped_data: dict) -> None:
    shipped_data["event"]["starts_at"] = "next tuesday"
    path = write(tmp_path, shipped_data)
    with pytest.raises(ProgrammeError) as error:
        load_programme(path)
    assert str(path) in str(error.value)
    assert "event.starts_at" in str(error.value)


def test_time_without_offset_is_refused(tmp_path: Path, shipped_data: dict) -> None:
    shipped_data["keynote"]["starts_at"] = "2025-06-10T18:00:00"
    with pytest.raises(ProgrammeError, match=r"keynote\.starts_at"):
        load_programme(write(tmp_path, shipped_data))


def test_bad_reminder_offset_names_its_position(tmp_path: Path, shipped_data: dict) -> None:
    shipped_data["reminders"] = ["7d", "soon"]
    with pytest.raises(ProgrammeError, match=r"reminders\[1\].*'soon'"):
        load_programme(write(tmp_path, shipped_data))


def test_faq_entry_needs_answer_or_show(tmp_path: Path, shipped_data: dict) -> None:
    del shipped_data["faq"][6]["answer"]
    with pytest.raises(ProgrammeError, match=r"faq\[6\].*either answer or show"):
        load_programme(write(tmp_path, shipped_data))


def test_event_must_end_after_it_starts(tmp_path: Path, shipped_data: dict) -> None:
    shipped_data["event"]["ends_at"] = "2025-06-10T16:00:00+02:00"
    with pytest.raises(ProgrammeError, match="ends_at must be after starts_at"):
        load_programme(write(tmp_path, shipped_data))


def test_unknown_field_is_reported_not_ignored(tmp_path: Path, shipped_data: dict) -> None:
    shipped_data["event"]["capacitty"] = 100
    with pytest.raises(ProgrammeError, match=r"event\.capacitty"):
        load_programme(write(tmp_path, shipped_data))


def test_broken_yaml_gives_the_line(tmp_path: Path) -> None:
    path = tmp_path / "programme.yaml"
    path.write_text("event:\n  title: [unclosed\n", encoding="utf-8")
    with pytest.raises(ProgrammeError, match=r"not valid YAML at line \d+"):
        load_programme(path)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ProgrammeError, match="cannot be read"):
        load_programme(tmp_path / "nope.yaml")


def test_plain_string_means_both_languages(tmp_path: Path, shipped_data: dict) -> None:
    shipped_data["event"]["title"] = "Klimakonferenz"
    programme = load_programme(write(tmp_path, shipped_data))
    assert programme.event.title.de == programme.event.title.en == "Klimakonferenz"


def write_as_typed(tmp_path: Path, data: dict, **typed: str) -> Path:
    """Write `data`, then put each value in `typed` in the file as an organiser typed it,
    unquoted: a placeholder string in `data` names where."""
    path = write(tmp_path, data)
    text = path.read_text(encoding="utf-8")
    for placeholder, as_typed in typed.items():
        assert placeholder in text
        text = text.replace(placeholder, as_typed)
    path.write_text(text, encoding="utf-8")
    return path


def test_keyword_written_no_is_refused_not_turned_into_false(
    tmp_path: Path, shipped_data: dict
) -> None:
    shipped_data["faq"][0]["keywords"] = ["termin", "KEYWORD"]
    path = write_as_typed(tmp_path, shipped_data, KEYWORD="No")
    with pytest.raises(ProgrammeError) as refused:
        load_programme(path)
    message = str(refused.value)
    assert message.startswith(f"{path}: faq[0].keywords[1]: ")
    assert "yes/no value false" in message
    assert "put the text in quotes" in message


def test_question_written_no_names_the_field_and_asks_for_quotes(
    tmp_path: Path, shipped_data: dict
) -> None:
    shipped_data["faq"][2]["questions"]["en"].append("QUESTION")
    path = write_as_typed(tmp_path, shipped_data, QUESTION="No")
    with pytest.raises(ProgrammeError) as refused:
        load_programme(path)
    message = str(refused.value)
    position = len(shipped_data["faq"][2]["questions"]["en"]) - 1
    assert f"faq[2].questions.en[{position}]: YAML read this as the yes/no value false" in message
    assert "quotes" in message
    assert "valid string" not in message  # not pydantic's generic words


@pytest.mark.parametrize(
    ("where", "as_typed", "read_as"),
    [
        ("keyword", "0341", "the number 225"),  # YAML 1.1: a leading zero means octal
        ("speaker", "Yes", "the yes/no value true"),
        ("title", "off", "the yes/no value false"),
        ("title", "2025-06-10", "the date 2025-06-10"),
    ],
)
def test_numbers_dates_and_yes_no_words_where_text_belongs_are_refused(
    tmp_path: Path, shipped_data: dict, where: str, as_typed: str, read_as: str
) -> None:
    item = shipped_data["agenda"][0]
    field = {"keyword": "keywords", "speaker": "speaker", "title": "title"}[where]
    item[field] = ["AS_TYPED"] if where == "keyword" else "AS_TYPED"
    path = write_as_typed(tmp_path, shipped_data, AS_TYPED=as_typed)
    with pytest.raises(ProgrammeError, match=rf"agenda\[0\]\.{field}.*{read_as}.*quotes"):
        load_programme(path)


def test_quoted_words_and_left_out_optional_texts_load(tmp_path: Path, shipped_data: dict) -> None:
    shipped_data["faq"][0]["keywords"] = ["No", "112"]
    shipped_data["agenda"][0]["speaker"] = None
    programme = load_programme(write(tmp_path, shipped_data))
    assert programme.faq[0].keywords == ["No", "112"]
    assert programme.agenda[0].speaker is None
