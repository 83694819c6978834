"""CSV and XLSX of the open API's lists: the same rows as the JSON, flat, one
header row of the field names. A cell that begins like a formula is quoted so
that a spreadsheet shows it as text."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from django.http import HttpResponse
from django.utils import timezone

# Rows in one export at most (a list longer than this is paged in JSON).
EXPORT_LIMIT = 10_000
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _text(value) -> str:
    value = _cell(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def csv_response(rows: list[dict], fields: list[str], filename: str) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(fields)
    for row in rows:
        writer.writerow([_text(row.get(f)) for f in fields])
    # A byte-order mark: Excel opens the file as UTF-8 (ä, ö, §).
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(rows: list[dict], fields: list[str], filename: str) -> HttpResponse:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(filename[:31])
    sheet.append(fields)
    for row in rows:
        sheet.append([_cell(row.get(f)) for f in fields])
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def export(rows: list[dict], fields: list[str], filename: str, fmt: str) -> HttpResponse:
    return (csv_response if fmt == "csv" else xlsx_response)(rows[:EXPORT_LIMIT], fields, filename)
