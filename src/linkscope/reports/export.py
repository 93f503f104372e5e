"""Report rows as CSV, the same from the CLI, the API and the web UI's export.

Every field of the rows is a column; null is an empty cell, times are ISO 8601, and lists and
objects are written as JSON. Text from the web (anchors, titles, URLs) can start with a
character that a spreadsheet reads as a formula (`=HYPERLINK(...)`, `+cmd|...`): as OWASP
recommends for CSV injection, such a cell is prefixed with a single quote, which spreadsheets
show but do not evaluate. Numbers are left alone (a negative number is not text).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from linkscope.reports.result import ReportResult, plain, row_dict

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """One CSV cell: a value a spreadsheet shows as it is and never evaluates."""
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, list | dict):
        value = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def iter_csv(columns: list[str], rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """CSV lines (with CRLF ends, as RFC 4180 has them): the header, then one a row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_cell(c) for c in columns])
    yield buffer.getvalue()
    for data in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([csv_cell(data.get(c)) for c in columns])
        yield buffer.getvalue()


def result_csv(result: ReportResult) -> str:
    """A report's rows as CSV text, every field a column."""
    return "".join(iter_csv(result.columns(), (row_dict(r) for r in result.rows)))
