"""The section tree: numbering schemes of the genre, on the two seed documents and short excerpts."""
from __future__ import annotations

from pathlib import Path

from extractors.normalise import normalise
from extractors.readers import read
from extractors.readers.base import Block, RawDocument
from extractors.structure import build_structure, sections

DOCS = Path(__file__).resolve().parents[1] / "corpus" / "docs"


def paths_of(name: str) -> list[str]:
    path = DOCS / name
    return [s.path for s in sections(build_structure(normalise(read(path.read_bytes(), path.name))))]


def test_programme_sections() -> None:
    paths = paths_of("vksnd-ctr-btv-2026.txt")
    assert paths[:12] == ["I", "I.1", "I.2", "II", "II.1", "II.1.-1", "II.1.-2", "II.1.-3", "II.1.-4", "II.1.-5", "II.2", "II.2.1"]
    assert [p for p in paths if p.count(".") == 2 and p.startswith("II.2.") and "-" not in p] == [f"II.2.{n}" for n in range(1, 8)]
    assert [p for p in paths if p.startswith("III.") and p.count(".") == 1] == [f"III.{n}" for n in range(1, 13)]
    assert paths[-4:] == ["IV", "IV.1", "IV.2", "IV.3"]
    assert len(paths) == 73


def test_resolution_sections_and_report_outline() -> None:
    paths = paths_of("vksnd-nq-trien-khai-kl226.txt")
    assert paths[:14] == [
        "1", "1.1", "1.1.-1", "1.1.-2", "1.1.-3", "1.1.-4", "1.2", "1.2.-1", "1.2.-2", "1.2.-3",
        "1.2.-3.+1", "1.2.-3.+2", "1.2.-4", "1.3",
    ]
    assert "1.3.2.-2.+3" in paths and "2" in paths and "3" in paths
    # the recipients list is not structure; the outline after the signature starts a new root
    assert paths[paths.index("3") + 1: paths.index("3") + 4] == ["I", "II", "II.1"]


def test_decision_then_attached_plan() -> None:
    paths = paths_of("qd-173-qdbtp-ke-hoach-phoi-hop.txt")
    assert paths[:4] == ["Điều 1", "Điều 2", "Điều 3", "I"]
    assert "II.1.đ)" in paths and "III.3.đ)" in paths


def test_table_rows_under_appendix_groups() -> None:
    paths = paths_of("kh-617-khubnd-dong-thap-cds-doanh-nghiep.txt")
    assert "PL" in paths and "PL.I" in paths and "PL.I.1" in paths and "PL.IV.11" in paths


def _structure_of(lines: list[str]) -> list[str]:
    raw = RawDocument(format="docx", blocks=[Block.para(t, hard=True) for t in lines])
    return [s.path for s in sections(build_structure(normalise(raw)))]


def test_wrong_numbering_is_tolerated() -> None:
    # a repeated `3.2.` and `VI` before `V`: every item kept, paths unique
    paths = _structure_of(["I. Mở đầu", "3.1. Một", "3.2. Hai", "3.2. Hai lặp", "VI. Sáu", "V. Năm", "1. Một"])
    assert paths == ["I", "I.3.1", "I.3.2", "I.3.2~2", "VI", "V", "V.1"]


def test_paren_and_letter_labels_nest() -> None:
    paths = _structure_of(["1. Hội nghị", "a) Nội dung", "(1) Thứ nhất", "1) con", "2) con", "(2) Thứ hai", "b) Khác", "đ) Năm"])
    assert paths == ["1", "1.a)", "1.a).(1)", "1.a).(1).1)", "1.a).(1).2)", "1.a).(2)", "1.b)", "1.đ)"]
