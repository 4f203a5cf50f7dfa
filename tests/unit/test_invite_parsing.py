"""Invite codes, the organisers' options, spreadsheet import and the guessing limit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.partners.invites import (
    FailedCodes,
    ImportProblem,
    InviteProblem,
    OrganisationRow,
    looks_like_code,
    new_code,
    parse_invite_request,
    parse_organisations_csv,
)

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def test_codes_are_long_random_and_fit_a_start_parameter() -> None:
    codes = {new_code() for _ in range(1000)}
    assert len(codes) == 1000
    for code in codes:
        assert looks_like_code(code)
        assert len(code) * 6 >= 96 and len(code) <= 64


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["Stadtwerke", "Leipzig"], OrganisationRow("Stadtwerke Leipzig")),
        (
            ["Uni", "Leipzig", "uses=3", "days=14"],
            OrganisationRow("Uni Leipzig", max_uses=3, valid_days=14),
        ),
        (
            ["Ökolöwe", "Tage=7", "Nutzungen=1"],
            OrganisationRow("Ökolöwe", max_uses=1, valid_days=7),
        ),
        (["a=b", "GmbH"], OrganisationRow("a=b GmbH")),  # only trailing words are options
    ],
)
def test_invite_requests(words: list[str], expected: OrganisationRow) -> None:
    assert parse_invite_request(words) == expected


@pytest.mark.parametrize(
    ("words", "key"),
    [
        ([], "invite.usage"),
        (["uses=3"], "invite.usage"),
        (["Firma", "farbe=grün"], "invite.bad_option"),
        (["Firma", "uses=0"], "invite.bad_number"),
        (["Firma", "days=-1"], "invite.bad_number"),
        (["Firma", "uses=zwei"], "invite.bad_number"),
        (["x" * 201], "invite.name_too_long"),
    ],
)
def test_invite_request_problems(words: list[str], key: str) -> None:
    problem = parse_invite_request(words)
    assert isinstance(problem, InviteProblem) and problem.key == key


def test_expiry_counts_from_now() -> None:
    assert OrganisationRow("X", valid_days=2).expires_at(NOW) == NOW + timedelta(days=2)
    assert OrganisationRow("X").expires_at(NOW) is None


def test_spreadsheet_in_german_excel_format() -> None:
    data = (
        "\ufeffOrganisation;Art;Ansprechpartner;Personen;Nutzungen;Tage\r\n"
        "Stadtwerke Leipzig;Versorger;Frau Kühn, Herr Ali;4;2;30\r\n"
        ";;;;;\r\n"
        "Ökolöwe;Initiative;;;;\r\n"
    ).encode()
    assert parse_organisations_csv(data) == [
        OrganisationRow("Stadtwerke Leipzig", "Versorger", "Frau Kühn, Herr Ali", 4, 2, 30),
        OrganisationRow("Ökolöwe", "Initiative"),
    ]


def test_spreadsheet_with_commas_and_old_windows_encoding() -> None:
    data = 'Name,Kind\n"Klima, Wandel & Co",company\nUniversität Leipzig,research\n'
    rows = parse_organisations_csv(data.encode("cp1252"))
    assert rows == [
        OrganisationRow("Klima, Wandel & Co", "company"),
        OrganisationRow("Universität Leipzig", "research"),
    ]


@pytest.mark.parametrize(
    ("data", "key", "params"),
    [
        (b"", "invites.no_header", {}),
        (b"Firma;Art\n", "invites.empty", {}),
        (b"Kind;Contact\nx;y\n", "invites.no_name_column", {}),
        (b"Name;Personen\nA;2\n;3\n", "invites.missing_name", {"line": 3}),
        (b"Name;Personen\nA;zwei\n", "invites.bad_number", {"line": 2, "value": "zwei"}),
        (b"Name\nA\na\n", "invites.duplicate", {"line": 3, "name": "a"}),
        (b"Name\n" + b"x" * 1_000_001, "invites.too_large", {"maximum": "1 MB"}),
    ],
)
def test_spreadsheet_problems_name_the_line(data: bytes, key: str, params: dict) -> None:
    assert parse_organisations_csv(data) == ImportProblem(key, params)


def test_guessing_is_limited_per_user_and_forgiven_after_the_window() -> None:
    failed = FailedCodes(limit=3, window=timedelta(minutes=10))
    for minute in range(3):
        assert failed.blocked_for(1, NOW + timedelta(minutes=minute)) is None
        failed.record(1, NOW + timedelta(minutes=minute))
    assert failed.blocked_for(1, NOW + timedelta(minutes=3)) == timedelta(minutes=7)
    assert failed.blocked_for(2, NOW + timedelta(minutes=3)) is None
    assert failed.blocked_for(1, NOW + timedelta(minutes=10)) is None  # the first one expired
