"""The callback data of /deletemydata's buttons, which name the user they were sent to."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

ERASE_PATTERN = r"^pv:(?P<action>erase|keep):(?P<owner>-?\d+)$"
_ERASE_DATA = re.compile(ERASE_PATTERN)

EraseAction = Literal["erase", "keep"]


@dataclass(frozen=True)
class EraseChoice:
    action: EraseAction
    owner: int


def erase_choice(action: EraseAction, owner: int) -> str:
    return f"pv:{action}:{owner}"


def parse_erase_choice(data: str | None) -> EraseChoice | None:
    match = _ERASE_DATA.match(data or "")
    if match is None:
        return None
    action: EraseAction = "erase" if match["action"] == "erase" else "keep"
    return EraseChoice(action, int(match["owner"]))
