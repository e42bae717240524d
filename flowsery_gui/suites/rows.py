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

from flowsery_gui.i18n import _, format_number, ngettext

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
        raise RowsError(_("the file does not exist.")) from None
    except IsADirectoryError:
        raise RowsError(_("this is a folder, not a CSV file.")) from None
    except OSError as exc:
        said = _("the file cannot be read ({reason}).", reason=exc.strerror or exc)
        raise RowsError(said) from None
    if len(data) > MAX_BYTES:
        raise RowsError(_("the file is larger than {mb} MB.", mb=MAX_BYTES // (1024 * 1024)))
    text = _decode(data)
    return _parse(text)


def _decode(data: bytes) -> str:
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                raise RowsError(_("the file starts like UTF-16 text but is not.")) from None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise RowsError(
            _(
                "the file is not UTF-8 text: byte 0x{byte} at line {line} (byte {position} of "
                "the file). Save it as UTF-8 (in a spreadsheet: CSV UTF-8) and run again.",
                byte=format(data[exc.start], "02X"),
                line=line,
                position=exc.start + 1,
            )
        ) from None


def _sniff(header_line: str) -> str:
    """The delimiter the header line uses most, commas when it uses none."""
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _parse(text: str) -> tuple[tuple[str, ...], tuple[Row, ...]]:
    if "\x00" in text:
        raise RowsError(_("the file holds NUL bytes: it is not a text CSV file."))
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff(first_line), strict=True)
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            raise RowsError(_("the file is empty: the first line must name the columns."))
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
                said = _(
                    "the file has more than {count} rows; split it.", count=format_number(MAX_ROWS)
                )
                raise RowsError(said)
            rows.append(Row(number, start, _cells(columns, cells, number, start)))
    except csv.Error as exc:
        said = _(
            "line {line}: the CSV cannot be read ({reason}).", line=reader.line_num, reason=exc
        )
        raise RowsError(said) from None
    if not rows:
        raise RowsError(_("the file has a header but no rows."))
    return columns, tuple(rows)


def _check_header(columns: tuple[str, ...]) -> None:
    seen: set[str] = set()
    for index, name in enumerate(columns, start=1):
        if not name:
            raise RowsError(_("line 1: column {number} has no name in the header.", number=index))
        if name in seen:
            said = _("line 1: the column {name} appears twice in the header.", name=name)
            raise RowsError(said)
        seen.add(name)


def _cells(columns: tuple[str, ...], cells: list[str], number: int, line: int) -> dict[str, str]:
    if len(cells) < len(columns):
        missing = ", ".join(columns[len(cells) :])
        raise RowsError(
            ngettext(
                "row {row} (line {line}) has {count} of the {total} columns; missing: "
                "{missing}. Leave a cell empty with an extra delimiter instead.",
                "row {row} (line {line}) has {count} of the {total} columns; missing: "
                "{missing}. Leave a cell empty with an extra delimiter instead.",
                len(columns),
                row=number,
                line=line,
                count=len(cells),
                total=len(columns),
                missing=missing,
            )
        )
    if len(cells) > len(columns):
        raise RowsError(
            ngettext(
                "row {row} (line {line}) has {count} cells but the header names {total} column. "
                "Quote a cell that holds the delimiter.",
                "row {row} (line {line}) has {count} cells but the header names {total} "
                "columns. Quote a cell that holds the delimiter.",
                len(columns),
                row=number,
                line=line,
                count=len(cells),
                total=len(columns),
            )
        )
    return dict(zip(columns, cells, strict=True))
