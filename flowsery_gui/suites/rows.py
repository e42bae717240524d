"""The CSV file of a data-driven goal: one dict per row, with plain-words errors.

Reads what spreadsheets write: UTF-8 with or without a BOM (UTF-16 with its BOM too),
commas, semicolons or tabs (guessed from the header line), quoted cells holding line breaks.
Anything else (another encoding, a row with too few or too many cells, a file too big) is
refused naming the row and, for an encoding, the byte.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path

MAX_ROWS = 10_000
MAX_BYTES = 16 * 1024 * 1024
DELIMITERS = (",", ";", "\t")


class RowsError(ValueError):
    """The rows file cannot be used; the message says where and why in plain words."""


@dataclass(frozen=True)
class Row:
    """One data row: its number (1 = first after the header), its first line, its cells."""

    number: int
    line: int
    cells: dict[str, str]


def read_rows(path: Path) -> tuple[tuple[str, ...], tuple[Row, ...]]:
    """The header's column names and every data row of a CSV file; raise RowsError."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise RowsError("the file does not exist.") from None
    except IsADirectoryError:
        raise RowsError("this is a folder, not a CSV file.") from None
    except OSError as exc:
        raise RowsError(f"the file cannot be read ({exc.strerror or exc}).") from None
    if len(data) > MAX_BYTES:
        raise RowsError(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    text = _decode(data)
    return _parse(text)


def _decode(data: bytes) -> str:
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                raise RowsError("the file starts like UTF-16 text but is not.") from None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise RowsError(
            f"the file is not UTF-8 text: byte 0x{data[exc.start]:02X} at line {line} "
            f"(byte {exc.start + 1} of the file). Save it as UTF-8 (in a spreadsheet: "
            "CSV UTF-8) and run again."
        ) from None


def _sniff(header_line: str) -> str:
    """The delimiter the header line uses most, commas when it uses none."""
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _parse(text: str) -> tuple[tuple[str, ...], tuple[Row, ...]]:
    if "\x00" in text:
        raise RowsError("the file holds NUL bytes: it is not a text CSV file.")
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff(first_line), strict=True)
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            raise RowsError("the file is empty: the first line must name the columns.")
        columns = tuple(cell.strip() for cell in header)
        _check_header(columns)
        rows: list[Row] = []
        line = reader.line_num + 1
        for cells in reader:
            start, line = line, reader.line_num + 1
            if not cells or all(not cell.strip() for cell in cells):
                continue  # a blank line (often the last one) is not a row
            number = len(rows) + 1
            if number > MAX_ROWS:
                raise RowsError(f"the file has more than {MAX_ROWS:,} rows; split it.")
            rows.append(Row(number, start, _cells(columns, cells, number, start)))
    except csv.Error as exc:
        raise RowsError(f"line {reader.line_num}: the CSV cannot be read ({exc}).") from None
    if not rows:
        raise RowsError("the file has a header but no rows.")
    return columns, tuple(rows)


def _check_header(columns: tuple[str, ...]) -> None:
    seen: set[str] = set()
    for index, name in enumerate(columns, start=1):
        if not name:
            raise RowsError(f"line 1: column {index} has no name in the header.")
        if name in seen:
            raise RowsError(f"line 1: the column {name} appears twice in the header.")
        seen.add(name)


def _cells(columns: tuple[str, ...], cells: list[str], number: int, line: int) -> dict[str, str]:
    if len(cells) < len(columns):
        missing = ", ".join(columns[len(cells) :])
        raise RowsError(
            f"row {number} (line {line}) has {len(cells)} of the {len(columns)} columns; "
            f"missing: {missing}. Leave a cell empty with an extra delimiter instead."
        )
    if len(cells) > len(columns):
        raise RowsError(
            f"row {number} (line {line}) has {len(cells)} cells but the header names "
            f"{len(columns)} columns. Quote a cell that holds the delimiter."
        )
    return dict(zip(columns, cells, strict=True))
