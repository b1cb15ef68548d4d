"""Legacy Vietnamese encodings (TCVN3/ABC, VNI-Windows) on real corpus text."""
from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

import pytest

from extractors.legacy_encoding import decode_text_bytes, detect_legacy, from_unicode, to_unicode

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
SAMPLE_FILE = CORPUS / "docs" / "vksnd-nq-trien-khai-kl226.txt"

# The 134 Vietnamese letters with diacritics: 12 vowels x 5 tones, ă â ê ô ơ ư, đ; both cases.
_BASES = "a ă â e ê i o ô ơ u ư y".split()
_TONES = ["\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]
LOWER = [unicodedata.normalize("NFC", b + t) for b in _BASES for t in _TONES] + ["ă", "â", "ê", "ô", "ơ", "ư", "đ"]
UPPER = [c.upper() for c in LOWER]
CAPITAL_TONED = set(UPPER[:60])  # TCVN3 (ABC) has no codes for these


def sample() -> str:
    return unicodedata.normalize("NFC", SAMPLE_FILE.read_text(encoding="utf-8")[:3000])


def test_alphabet_is_complete() -> None:
    assert len(set(LOWER + UPPER)) == 134


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_every_letter_has_its_own_legacy_bytes(encoding: str) -> None:
    letters = LOWER + UPPER if encoding == "vni" else LOWER + ["Ă", "Â", "Ê", "Ô", "Ơ", "Ư", "Đ"]
    codes = {from_unicode(ch, encoding) for ch in letters}
    assert len(codes) == len(letters)  # no two letters share a code
    for code in codes:
        code.encode("cp1252")  # each is a sequence of legacy bytes


def test_vni_round_trips_every_letter_in_both_cases() -> None:
    text = " ".join(LOWER + UPPER)
    assert to_unicode(from_unicode(text, "vni"), "vni") == text


def test_tcvn3_lower_case_and_plain_capitals_round_trip() -> None:
    text = "chữ: " + " ".join(LOWER + ["Ă", "Â", "Ê", "Ô", "Ơ", "Ư", "Đ"])
    assert to_unicode(from_unicode(text, "tcvn3"), "tcvn3") == text


def test_known_mojibake_examples() -> None:
    assert detect_legacy("Thùc hiÖn") == "tcvn3"
    assert to_unicode("Thùc hiÖn", "tcvn3") == "Thực hiện"
    assert detect_legacy("§¶ng") == "tcvn3"
    assert to_unicode("§¶ng", "tcvn3") == "Đảng"
    assert detect_legacy("Nghò quyeát") == "vni"
    assert to_unicode("Nghò quyeát", "vni") == "Nghị quyết"
    # TCVN3 capitals in an all-capital line come back as capitals
    assert to_unicode(from_unicode("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "tcvn3"), "tcvn3") == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


def test_vni_sample_round_trips_through_bytes_exactly() -> None:
    text = sample()
    data = from_unicode(text, "vni").encode("cp1252")
    back, enc = decode_text_bytes(data)
    assert enc == "vni"
    assert back == text


def test_tcvn3_sample_round_trips_except_capital_toned_vowels_inside_sentences() -> None:
    text = sample()
    data = from_unicode(text, "tcvn3").encode("cp1252")
    back, enc = decode_text_bytes(data)
    assert enc == "tcvn3"
    assert len(back) == len(text)
    diffs = [(i, a, b) for i, (a, b) in enumerate(zip(text, back)) if a != b]
    # The only loss: a capital toned vowel starting a word in mid-sentence
    # ("các đồng chí Ủy viên") comes back lower-case, as the ABC bytes say.
    for i, orig, got in diffs:
        assert orig in CAPITAL_TONED and got == orig.lower(), (text[i - 20 : i + 10], orig, got)
        assert text[i - 1] == " " and text[i - 2] not in ".!?\n", text[i - 20 : i + 10]
    assert {text[i : i + 2] for i, _, _ in diffs} == {"Ủy"}
    # all-capital headings and sentence starts are restored
    assert back.startswith("\n\nNGHỊ QUYẾT\n")
    assert "\nQUYẾT NGHỊ\n" in back
    assert back.count("Ủy") + len(diffs) == text.count("Ủy")


@pytest.mark.parametrize("path", sorted((CORPUS / "docs").glob("*.txt")), ids=lambda p: p.name)
def test_detect_is_none_on_every_corpus_text(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert detect_legacy(text) is None
    decoded, enc = decode_text_bytes(path.read_bytes())
    assert enc is None and decoded == text


def test_detect_is_none_on_english_and_other_latin_languages() -> None:
    assert detect_legacy("The committee shall report to the Minister before 31 March 2026.") is None
    assert detect_legacy("Le comité a été créé à Paris, où il siège depuis l'été dernier.") is None
    assert detect_legacy("El año pasado la situación económica de España mejoró según el señor.") is None
    assert detect_legacy("Die Größe der Übung für Mädchen und Jungen.") is None


def test_unicode_in_decomposed_form_is_not_legacy() -> None:
    text = unicodedata.normalize("NFD", sample())
    assert detect_legacy(text) is None


def test_decode_text_bytes_boms_and_utf16() -> None:
    text = sample()
    assert decode_text_bytes(codecs.BOM_UTF8 + text.encode("utf-8")) == (text, None)
    assert decode_text_bytes(text.encode("utf-16")) == (text, None)  # with BOM
    assert decode_text_bytes(text.encode("utf-16-le")) == (text, None)  # without BOM
    assert decode_text_bytes(text.encode("utf-32")) == (text, None)


def test_mojibake_already_in_unicode_is_converted() -> None:
    # Legacy text pasted into a UTF-8 file: valid UTF-8, still mojibake.
    text = sample()
    data = from_unicode(text, "vni").encode("utf-8")
    back, enc = decode_text_bytes(data)
    assert enc == "vni" and back == text


def test_plain_cp1252_text_is_left_alone() -> None:
    data = "Café au lait, señor, 25 €.".encode("cp1252")
    assert decode_text_bytes(data) == ("Café au lait, señor, 25 €.", None)


def test_undefined_cp1252_bytes_do_not_fail() -> None:
    text, enc = decode_text_bytes(b"abc \x81\x8d\x8f\x90\x9d def \xff")
    assert enc is None and text.startswith("abc ") and text.endswith(" def ÿ")
