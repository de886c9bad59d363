"""Roster files as spreadsheets write them: standard CSV quoting anywhere in the file, the row
numbers the user sees, and exports that never carry a live formula."""

from __future__ import annotations

import csv
import io
from datetime import date

from openpyxl import load_workbook

from somet.cohorts.roster_files import read_roster, write_csv, write_xlsx
from somet.cohorts.rules.roster import COLUMNS, LINE, decide_rows

HEADER = [header for _, header in COLUMNS]
INSTITUTION = 'ГКП на ПХВ "Городская больница №1", Семей'


def _doctor(n: int, **overrides) -> dict:
    row = {
        "first_name": f"Yerlan{n}", "last_name": "Bekov", "native_name": f"Ерлан {n}",
        "specialty": "general-surgery", "email": f"yerlan{n}@example.kz", "phone": "",
        "home_institution": "Regional hospital", "country": "KZ", "region": "Abay region",
        "licence_number": f"KZ-{n:05d}", "passport_number": f"N{n:08d}",
        "arrival_date": "2027-03-07", "departure_date": "2027-03-18",
    }
    row.update(overrides)
    return row


def _csv(rows: list[dict], delimiter: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow([row[key] for key, _ in COLUMNS])
    return out.getvalue().encode("utf-8")


def _deep_quoting_rows() -> list[dict]:
    """200 rows; from row 150 on, cells with doubled quotes, the delimiters and a newline."""
    rows = [_doctor(n) for n in range(1, 201)]
    for n in range(150, 200):
        rows[n]["home_institution"] = INSTITUTION
        rows[n]["native_name"] = 'Ерлан "Ер"; Беков'
    rows[180]["home_institution"] = "Line one\nline two, still the same cell"
    return rows


def test_quoted_cells_deep_in_a_comma_file_keep_their_columns():
    rows = _deep_quoting_rows()
    read = read_roster("roster.csv", _csv(rows, ","))

    assert len(read) == 200
    assert read[150]["home_institution"] == INSTITUTION
    assert read[150]["passport_number"] == "N00000151"
    assert read[150]["arrival_date"] == "2027-03-07"
    # the newline inside the quoted cell stays in that cell (white space is folded)
    assert read[180]["home_institution"] == "Line one line two, still the same cell"
    assert read[180]["passport_number"] == "N00000181"


def test_quoted_cells_deep_in_a_semicolon_file_keep_their_values():
    rows = _deep_quoting_rows()
    read = read_roster("roster.csv", _csv(rows, ";"))

    assert [r["home_institution"] for r in read[150:152]] == [INSTITUTION, INSTITUTION]
    assert read[199]["native_name"] == 'Ерлан "Ер"; Беков'
    assert read[199]["departure_date"] == "2027-03-18"


def test_rows_after_blank_lines_are_numbered_as_the_spreadsheet_shows_them():
    text = _csv([_doctor(1)], ",").decode() + "\r\n\r\n" + ",".join(
        [_doctor(2)[key] for key, _ in COLUMNS]
    ).replace("2027-03-07", "not a date") + "\r\n"
    read = read_roster("roster.csv", text.encode())

    assert [row[LINE] for row in read] == [2, 5]
    decisions = decide_rows(read, [], date(2027, 3, 1), date(2027, 3, 31))
    assert [d.line for d in decisions] == [2, 5]
    assert decisions[1].errors


def test_xlsx_rows_after_blank_rows_keep_their_sheet_row_numbers():
    workbook = load_workbook(io.BytesIO(write_xlsx([_doctor(1)])))
    sheet = workbook.active
    sheet.append([])
    sheet.append([])
    sheet.append([_doctor(2)[key] for key, _ in COLUMNS])
    out = io.BytesIO()
    workbook.save(out)

    read = read_roster("roster.xlsx", out.getvalue())

    assert [row[LINE] for row in read] == [2, 5]


FORMULAS = {
    "first_name": '=HYPERLINK("http://evil.example","Click")',
    "last_name": "@SUM(1+1)*cmd|' /C calc'!A0",
    "phone": "+7 701 555 0101",
    "home_institution": "-2+3",
}


def test_csv_export_neutralises_formulas_and_reads_them_back_unchanged():
    exported = write_csv([_doctor(1, **FORMULAS)])
    cells = list(csv.reader(io.StringIO(exported.decode("utf-8-sig"))))[1]
    assert cells[0] == "'" + FORMULAS["first_name"]
    assert cells[1].startswith("'@")
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)

    read = read_roster("roster.csv", exported)[0]

    for key, value in FORMULAS.items():
        assert read[key] == value


def test_xlsx_export_writes_text_cells_never_formulas_and_reads_them_back_unchanged():
    exported = write_xlsx([_doctor(1, **FORMULAS)])
    sheet = load_workbook(io.BytesIO(exported)).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert sheet["A2"].value == FORMULAS["first_name"]

    read = read_roster("roster.xlsx", exported)[0]

    for key, value in FORMULAS.items():
        assert read[key] == value
