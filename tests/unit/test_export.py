"""The organisers' CSV opens in Excel with umlauts intact and without running formulas."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from bot.registration.export import HEADERS, ExportRow, registrations_csv

REGISTERED = datetime(2025, 5, 20, 16, 0, tzinfo=UTC)
CHANGED = datetime(2025, 12, 2, 17, 30, tzinfo=UTC)


BASE = ExportRow(
    name="Anna Müller",
    organisation="Stadtwerke Leipzig",
    persons=2,
    dietary="vegetarisch",
    accessibility=None,
    status="bestätigt",
    language="de",
    registered_at=REGISTERED,
    changed_at=CHANGED,
)


def row(name: str = "Anna Müller", **changes: Any) -> ExportRow:
    return replace(BASE, name=name, **changes)


def parse(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8-sig")
    delimiter = ";" if text.startswith("Name;") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def test_german_excel_gets_semicolons_english_excel_commas() -> None:
    assert registrations_csv([row()], "de").decode("utf-8-sig").startswith("Name;Organisation;")
    assert registrations_csv([row()], "en").decode("utf-8-sig").startswith("Name,Organisation,")


def test_bom_and_header_in_the_organisers_language() -> None:
    data = registrations_csv([row()], "de")
    assert data.startswith(b"\xef\xbb\xbf")
    assert parse(data)[0] == list(HEADERS["de"])
    assert parse(registrations_csv([row()], "en"))[0] == list(HEADERS["en"])
    assert len(HEADERS["de"]) == len(HEADERS["en"])


def test_empty_export_has_the_header_only() -> None:
    assert parse(registrations_csv([], "en")) == [list(HEADERS["en"])]


def test_fields_in_order_and_missing_values_empty() -> None:
    (_, line) = parse(registrations_csv([row()], "de"))
    assert line == [
        "Anna Müller",
        "Stadtwerke Leipzig",
        "2",
        "vegetarisch",
        "",
        "bestätigt",
        "de",
        "2025-05-20 18:00",
        "2025-12-02 18:30",
    ]


def test_times_in_berlin_summer_and_winter() -> None:
    (_, line) = parse(registrations_csv([row()], "en"))
    assert line[7] == "2025-05-20 18:00"  # UTC+2
    assert line[8] == "2025-12-02 18:30"  # UTC+1


def test_awkward_text_round_trips() -> None:
    name = 'Jürgen "Jo" Weiß, Straße; 🌍\nzweite Zeile'
    organisation = "Ökolöwe – Umweltbund Leipzig e.V., Büro"
    (_, line) = parse(registrations_csv([row(name, organisation=organisation)], "de"))
    assert line[0] == name
    assert line[1] == organisation


def test_formula_injection_is_neutralised() -> None:
    attacks = ['=HYPERLINK("http://x")', "+1+2", "-2+3", "@SUM(A1)", "\tTab", "\rReturn"]
    rows = [row(attack, dietary=attack, extra={"Notiz": attack}) for attack in attacks]
    lines = parse(registrations_csv(rows, "de"))[1:]
    for attack, line in zip(attacks, lines, strict=True):
        assert line[0] == "'" + attack
        assert line[3] == "'" + attack
        assert line[-1] == "'" + attack


def test_harmless_text_is_not_prefixed() -> None:
    (_, line) = parse(registrations_csv([row("Anna = Bert", organisation="A-Team")], "de"))
    assert line[:2] == ["Anna = Bert", "A-Team"]


def test_extra_columns_appended_in_first_seen_order() -> None:
    rows = [
        row("A", extra={"Check-in": "2025-06-10 17:05"}),
        row("B"),
        row("C", extra={"Tisch": "4", "Check-in": "2025-06-10 17:30"}),
    ]
    header, first, second, third = parse(registrations_csv(rows, "de"))
    assert header == [*HEADERS["de"], "Check-in", "Tisch"]
    assert first[-2:] == ["2025-06-10 17:05", ""]
    assert second[-2:] == ["", ""]
    assert third[-2:] == ["2025-06-10 17:30", "4"]


def test_rows_may_be_a_generator() -> None:
    data = registrations_csv((row(name) for name in ("A", "B")), "en")
    assert [line[0] for line in parse(data)[1:]] == ["A", "B"]
