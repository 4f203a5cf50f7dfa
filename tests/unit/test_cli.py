"""Start-up mistakes give one clear line and exit code 2, never a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.programme.model import SHIPPED_EXAMPLES


def run_bot(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"TELEGRAM_BOT_TOKEN", "ADMIN_IDS"}}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,  # no .env here
        env={**clean, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/db.sqlite3", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "TELEGRAM_BOT_TOKEN is not set"),
        ({"TELEGRAM_BOT_TOKEN": "not-a-token"}, "TELEGRAM_BOT_TOKEN is malformed"),
        ({"ADMIN_IDS": "12,abc"}, "ADMIN_IDS: expected comma-separated numeric"),
        ({"DEFAULT_LANGUAGE": "fr"}, "DEFAULT_LANGUAGE"),
    ],
)
def test_configuration_mistake_is_one_line_and_exit_code_2(
    tmp_path: Path, env: dict[str, str], message: str
) -> None:
    result = run_bot(tmp_path, "run", **env)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_invalid_programme_file_names_the_field(tmp_path: Path) -> None:
    programme = tmp_path / "broken.yaml"
    programme.write_text("event: {}\nkeynote: {}\nagenda: []\n", encoding="utf-8")
    result = run_bot(
        tmp_path,
        "run",
        TELEGRAM_BOT_TOKEN="123456:" + "A" * 35,
        PROGRAMME_FILE=str(programme),
    )
    assert result.returncode == 2
    assert str(programme) in result.stderr
    assert "event.title" in result.stderr
    assert "Traceback" not in result.stderr


def test_migrate_creates_the_database(tmp_path: Path) -> None:
    result = run_bot(tmp_path, "migrate")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "db.sqlite3").exists()


def test_programme_word_yaml_reads_as_no_stops_the_start_with_a_hint(tmp_path: Path) -> None:
    programme = tmp_path / "event.yaml"
    shipped = (Path(__file__).parents[2] / "bot" / "programme" / "klimakonferenz.yaml").read_text(
        encoding="utf-8"
    )
    programme.write_text(shipped.replace("keywords: [parken,", "keywords: [No,"), encoding="utf-8")
    shutil.copy(SHIPPED_EXAMPLES, tmp_path)
    result = run_bot(
        tmp_path, "run", TELEGRAM_BOT_TOKEN="123456:" + "A" * 35, PROGRAMME_FILE=str(programme)
    )
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert f"{programme}: faq[" in result.stderr
    assert "].keywords[0]: YAML read this as the yes/no value false" in result.stderr
    assert "put the text in quotes" in result.stderr
