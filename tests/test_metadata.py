"""Document metadata of every corpus document that states it, against its gold file."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.pipeline import extract
from extractors.vntext import fold

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
GOLD = sorted((CORPUS / "gold").glob("*.json"))


@pytest.fixture(scope="module")
def extractions() -> dict[str, dict]:
    out = {}
    for g in GOLD:
        gold = json.loads(g.read_text(encoding="utf-8"))
        path = CORPUS / gold["file"]
        out[g.stem] = (extract(path.read_bytes(), path.name).model_dump(mode="json"), gold)
    return out


@pytest.mark.parametrize("name", [g.stem for g in GOLD])
def test_metadata_matches_gold(extractions: dict, name: str) -> None:
    pred, gold = extractions[name]
    for key, want in gold["document"].items():
        got = pred["document"][key]
        if want is None:
            assert got is None, f"{key}: {got!r} should be null"
        else:
            assert got is not None and fold(got) == fold(want), f"{key}: {got!r} != {want!r}"


def test_code_number_symbol_place(extractions: dict) -> None:
    doc = extractions["kh-617-khubnd-dong-thap-cds-doanh-nghiep"][0]["document"]
    assert (doc["code"], doc["number"], doc["symbol"], doc["place"]) == ("617/KH-UBND", "617", "KH-UBND", "Đồng Tháp")
    doc = extractions["kl-221-kltw-bo-may-chinh-quyen-2-cap"][0]["document"]
    assert (doc["code"], doc["number"], doc["symbol"]) == ("221-KL/TW", "221", "KL/TW")


def test_a_code_cited_in_the_body_is_not_the_documents_own(extractions: dict) -> None:
    # `Thực hiện Kết luận số 226-KL/TW ...` opens a resolution that has no number of its own
    doc = extractions["vksnd-nq-trien-khai-kl226"][0]["document"]
    assert doc["code"] is None and doc["issued_date"] is None
    assert doc["doc_type"] == "Nghị quyết"
    assert doc["title"] == "Về việc triển khai Kết luận số 226-KL/TW, ngày 11/12/2025 của Ban Bí thư"


def test_signature_block_and_recipients(extractions: dict) -> None:
    doc = extractions["nq-03-nqcp-chuong-trinh-hanh-dong-nq57"][0]["document"]
    assert doc["signer"] == "Nguyễn Hòa Bình" and doc["signer_position"] == "Phó Thủ tướng"
    assert doc["recipients"][0] == "Ban Bí thư Trung ương Đảng"
    assert "Viện kiểm sát nhân dân tối cao" in doc["recipients"]
    assert len(doc["recipients"]) == 15
    doc = extractions["ct-299-ttg-1980-do-dac-ruong-dat"][0]["document"]
    # a header and a signature run together on one line
    assert (doc["signer"], doc["signer_position"], doc["issuer"]) == ("Tố Hữu", "Phó Thủ tướng", "Thủ tướng Chính phủ")


def test_issuer_completed_from_header_or_opening(extractions: dict) -> None:
    # `TM. BAN THƯỜNG TRỰC` under `ỦY BAN MTTQ VIỆT NAM / XÃ LƯƠNG MINH`, abbreviation expanded
    doc = extractions["kh-16-khmttq-luongminh-bau-cu"][0]["document"]
    assert doc["issuer"] == "Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam xã Lương Minh"
    # no header at all: the opening sentence names the body and the quoted title
    doc = extractions["kh-hust-giao-duc-dao-duc-sinh-vien"][0]["document"]
    assert doc["issuer"] == "Đại học Bách khoa Hà Nội" and doc["doc_type"] == "Kế hoạch"
