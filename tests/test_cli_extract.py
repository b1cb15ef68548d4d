"""`nhiemvu extract` end to end: JSON on stdout for real files, one clear line and exit 1 for bad ones."""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from service.cli import app
from test_reader_pdf import _encrypted_pdf

DOCS = Path(__file__).resolve().parents[1] / "corpus" / "docs"
runner = CliRunner()

SECTION8_KEYS = {"document", "sections", "tasks", "targets", "references", "units", "text"}
DOCUMENT_KEYS = {
    "doc_type", "code", "number", "symbol", "issued_date", "place", "issuer", "title", "signer",
    "signer_position", "recipients", "source",
}


def run(path: Path) -> tuple[int, str, str]:
    result = runner.invoke(app, ["extract", str(path)])
    return result.exit_code, result.stdout, result.stderr


def test_extract_prints_section8_json_unescaped() -> None:
    code, out, _ = run(DOCS / "vksnd-nq-trien-khai-kl226.txt")
    assert code == 0
    assert "Nghị quyết" in out  # UTF-8, not \\u escapes
    data = json.loads(out)
    assert set(data) == SECTION8_KEYS
    assert set(data["document"]) == DOCUMENT_KEYS
    assert data["document"]["source"]["format"] == "txt"
    assert data["document"]["source"]["filename"] == "vksnd-nq-trien-khai-kl226.txt"
    for task in data["tasks"]:
        a, b = task["span"]
        assert data["text"][a:b] == task["text"]
        assert task["id"].startswith(task["path"] + "#")
    for section in data["sections"]:
        a, b = section["span"]
        assert 0 <= a < b <= len(data["text"])


def test_extract_docx() -> None:
    code, out, _ = run(DOCS / "kh-16-khmttq-luongminh-bau-cu.docx")
    assert code == 0
    doc = json.loads(out)["document"]
    assert doc["code"] == "16/KH-MTTQ-BTT" and doc["issued_date"] == "2025-11-18" and doc["signer"] == "Lan Thị Vân"


def _assert_clean_failure(path: Path, words: str) -> None:
    code, out, err = run(path)
    assert code == 1, (code, out, err)
    assert out == ""
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith(str(path) + ":"), lines[0]
    assert words in lines[0]
    assert "Traceback" not in err


def test_empty_file(tmp_path: Path) -> None:
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    _assert_clean_failure(p, "empty file")


def test_binary_file_with_a_text_name(tmp_path: Path) -> None:
    p = tmp_path / "report.txt"
    p.write_bytes(bytes(range(256)) * 64)
    _assert_clean_failure(p, "binary content")


def test_corrupt_pdf(tmp_path: Path) -> None:
    p = tmp_path / "broken.pdf"
    p.write_bytes((DOCS / "cv-6582-syt-ha-noi-di-tru-hssk.pdf").read_bytes()[:4000])
    code, _, err = run(p)
    assert code == 1 and err.startswith(f"{p}:") and "Traceback" not in err


def test_encrypted_pdf(tmp_path: Path) -> None:
    p = tmp_path / "secret.pdf"
    p.write_bytes(_encrypted_pdf(b"secret", b"owner"))
    _assert_clean_failure(p, "encrypted PDF")


def test_zip_bomb_named_docx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NHIEMVU_MAX_UNZIPPED", str(4 * 1024 * 1024))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("word/document.xml", "w") as f:
            for _ in range(8):
                f.write(b"\0" * (1 << 20))
    p = tmp_path / "plan.docx"
    p.write_bytes(buf.getvalue())
    _assert_clean_failure(p, "ZIP bomb")


def test_file_over_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NHIEMVU_MAX_BYTES", "1000")
    p = tmp_path / "big.txt"
    p.write_bytes((DOCS / "kl-221-kltw-bo-may-chinh-quyen-2-cap.txt").read_bytes())
    _assert_clean_failure(p, "over the limit of 1,000 bytes")


def test_unsupported_format_and_missing_file(tmp_path: Path) -> None:
    p = tmp_path / "sheet.xls"
    p.write_bytes(b"just some words")
    _assert_clean_failure(p, "unsupported format .xls")
    _assert_clean_failure(tmp_path / "nowhere.pdf", "no such file")


def test_scan_without_tesseract(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pypdfium2 as pdfium

    page = pdfium.PdfDocument((DOCS / "kh-ubnd-ha-noi-cao-diem-100-ngay-cds.pdf").read_bytes())[0]
    image = page.render(scale=100 / 72).to_pil().convert("L")
    buf = io.BytesIO()
    image.save(buf, format="PDF", resolution=100.0)
    p = tmp_path / "scan.pdf"
    p.write_bytes(buf.getvalue())
    monkeypatch.setenv("NHIEMVU_TESSERACT", str(tmp_path / "no-tesseract"))
    _assert_clean_failure(p, "apt-get install tesseract-ocr tesseract-ocr-vie")
