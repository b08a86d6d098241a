"""`archive eval …`: quality measured against gold data (JSON Lines, one record per line)."""
from __future__ import annotations

import json


class NotGold(ValueError):
    """A line of a gold file that is not a record: the command says so in one line, exit 2."""


def gold_record(line: str, number: int) -> dict:
    """One gold record. A line that is JSON but not an object (`[[1, 2]]`), or nested past what the
    parser reads, was a traceback (AttributeError, RecursionError) deep in the evaluation."""
    try:
        record = json.loads(line)
    except RecursionError:
        raise NotGold(f"line {number} is JSON nested too deeply") from None
    if not isinstance(record, dict):
        raise NotGold(f"line {number} is a JSON {type(record).__name__}, not a record (an object)")
    return record
