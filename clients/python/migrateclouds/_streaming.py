"""Reading streamed item reports (NDJSON or CSV) line by line, never holding the whole body."""

from __future__ import annotations

import csv
import io
import json
from typing import IO, Any, Dict, Iterable, Iterator, Optional

# CSV has no null and no numbers: these columns are numbers when not empty.
_INT_COLUMNS = frozenset({"size"})


def parse_ndjson(lines: Iterable[bytes]) -> Iterator[Dict[str, Any]]:
    """One JSON object per line; blank lines are skipped."""
    for line in lines:
        line = line.strip()
        if line:
            yield json.loads(line)


def csv_value(column: str, value: Optional[str]) -> Any:
    if value is None or value == "":
        return None
    if column in _INT_COLUMNS:
        try:
            return int(value)
        except ValueError:
            return value
    return value


def parse_csv(binary: IO[bytes]) -> Iterator[Dict[str, Any]]:
    """Rows keyed by the header row; empty cells are None. Quoted cells may hold commas and line breaks."""
    text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")  # type: ignore[arg-type]
    for row in csv.DictReader(text):
        yield {column: csv_value(column, value) for column, value in row.items() if column is not None}
