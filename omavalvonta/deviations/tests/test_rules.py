"""The pure rules: risk matrix, numbers, follow-up codes, attachment sniffing."""

import datetime as dt
import re

import pytest

from omavalvonta.core import attachments
from omavalvonta.deviations import rules
from omavalvonta.organisation import risk
from omavalvonta.organisation.models import DEFAULT_RISK_MATRIX

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 "
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00"
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00"


# --- Risk -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("consequence", "likelihood", "expected"),
    [(0, 1, "low"), (0, 5, "moderate"), (2, 4, "high"), (3, 5, "very_high"), (4, 1, "moderate"), (4, 5, "very_high")],
)
def test_risk_level_reads_the_matrix_by_consequence_row_and_likelihood_column(consequence, likelihood, expected):
    assert risk.risk_level_for(DEFAULT_RISK_MATRIX, consequence, likelihood) == expected


def test_risk_level_uses_a_custom_matrix():
    matrix = [["very_high"] * 5 for _ in range(5)]
    matrix[0][0] = "low"

    assert risk.risk_level_for(matrix, 0, 1) == "low"
    assert risk.risk_level_for(matrix, 0, 2) == "very_high"


@pytest.mark.parametrize(
    "matrix",
    [None, [], [["low"] * 5] * 4, [["low"] * 4] * 5, [["low"] * 4 + ["catastrophic"]] + [["low"] * 5] * 4],
)
def test_malformed_matrix_falls_back_to_the_default(matrix):
    assert risk.risk_level_for(matrix, 4, 5) == "very_high"
    assert risk.risk_level_for(matrix, 0, 1) == "low"


@pytest.mark.parametrize(("consequence", "likelihood"), [(-1, 1), (5, 1), (0, 0), (0, 6), (True, 1), (0, "3")])
def test_risk_level_refuses_values_outside_the_scales(consequence, likelihood):
    with pytest.raises(ValueError):
        risk.risk_level_for(DEFAULT_RISK_MATRIX, consequence, likelihood)


def test_serious_and_very_serious_consequences_are_critical():
    assert [rules.is_critical_consequence(c) for c in range(5)] == [False, False, False, True, True]


# --- Numbers ------------------------------------------------------------------------


def test_number_is_year_and_zero_padded_primary_key():
    assert rules.deviation_number(dt.datetime(2026, 5, 4, 12, tzinfo=dt.UTC), 123) == "P2026-000123"
    assert rules.deviation_number(dt.datetime(2026, 5, 4, 12, tzinfo=dt.UTC), 1234567) == "P2026-1234567"


def test_number_year_follows_helsinki_time_on_new_years_eve():
    late_evening_utc = dt.datetime(2026, 12, 31, 22, 30, tzinfo=dt.UTC)  # 00:30 on 1 January in Helsinki

    assert rules.deviation_number(late_evening_utc, 7) == "P2027-000007"


# --- Follow-up codes ------------------------------------------------------------------


def test_followup_code_is_three_groups_of_four_unambiguous_characters():
    codes = {rules.followup_code_generate() for _ in range(200)}

    assert len(codes) == 200
    for code in codes:
        assert re.fullmatch(r"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", code)
        assert not set(code) & set("01OIL")


def test_followup_code_normalises_case_dashes_and_spaces():
    assert rules.followup_code_normalise(" k7qp-m3xd 9rta ") == "K7QPM3XD9RTA"
    assert rules.followup_code_normalise("K7QP–M3XD–9RTA") == "K7QPM3XD9RTA"
    assert rules.followup_code_normalise(None) == ""


def test_followup_code_well_formedness_checks_length_and_alphabet():
    assert rules.followup_code_is_well_formed("K7QPM3XD9RTA")
    assert not rules.followup_code_is_well_formed("K7QPM3XD9RT")
    assert not rules.followup_code_is_well_formed("K7QPM3XD9RT0")


def test_followup_digest_is_keyed_hmac_of_the_normalised_code(settings):
    digest = rules.followup_code_digest("K7QP-M3XD-9RTA")

    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert rules.followup_code_digest("k7qp m3xd 9rta") == digest
    settings.SECRET_KEY = "another-secret-key"
    assert rules.followup_code_digest("K7QP-M3XD-9RTA") != digest


# --- Attachments ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "expected"),
    [(JPEG, "image/jpeg"), (PNG, "image/png"), (PDF, "application/pdf"), (WEBP, "image/webp"), (HEIC, "image/heic")],
)
def test_sniffing_recognises_the_allowed_formats(head, expected):
    assert attachments.sniff_content_type(head) == expected


@pytest.mark.parametrize("head", [b"MZ\x90\x00", b"<html><script>", b"GIF89a", MP4, b""])
def test_sniffing_recognises_nothing_else(head):
    assert attachments.sniff_content_type(head) is None


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("kuva.JPG", JPEG, "image/jpeg"),
        ("kuva.jpeg", JPEG, "image/jpeg"),
        ("IMG_0001.HEIC", HEIC, "image/heic"),
        ("liite.pdf", PDF, "application/pdf"),
        ("kuva.jpg", PNG, None),  # renamed file
        ("raportti.pdf", b"<html>", None),
        ("ohjelma.exe", JPEG, None),
        ("ilman-paatetta", JPEG, None),
    ],
)
def test_attachment_type_needs_an_allowed_extension_matching_the_bytes(name, head, expected):
    assert attachments.attachment_content_type(name, head) == expected
