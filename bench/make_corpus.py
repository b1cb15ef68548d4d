"""Make the benchmark corpora from the real corpus: 2,000 varied plans and 50 PDFs.

`bulk_corpus(n)` writes n distinct `.txt` and `.docx` documents made from the
corpus's text and Word documents (corpus/docs, corpus/extra), in turn: each
copy gets its own document number, its dates shifted (days, then years),
its ministries, provinces, communes, numbered departments (`Vụ 2`) and
subjects (`chuyển đổi số`, `cải cách hành chính` ...) swapped, its
percentages moved, bullet runs shuffled or an item repeated; a third of the
text plans also carry the numbered task section of a second plan
(renumbered), and half cite an earlier copy (`Căn cứ Kế hoạch số ...`) so
that documents link. `pdf_corpus(n)` renders varied Word documents (the
corpus's own, and text plans set as Word paragraphs) to PDF with
LibreOffice. Both are cached under bench/out/ keyed by `VERSION`, the
sources and the size, and rebuilt only when missing. Pure string work,
seeded and deterministic; this module measures nothing.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import random
import re
import shutil
import signal
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

VERSION = 5
ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
SOURCES = [ROOT / "corpus" / "docs", ROOT / "corpus" / "extra"]

MINISTRIES = [
    "Bộ Khoa học và Công nghệ", "Bộ Thông tin và Truyền thông", "Bộ Kế hoạch và Đầu tư", "Bộ Tài chính",
    "Bộ Công an", "Bộ Quốc phòng", "Bộ Tư pháp", "Bộ Nội vụ", "Bộ Giáo dục và Đào tạo", "Bộ Y tế",
    "Bộ Xây dựng", "Bộ Công Thương", "Bộ Ngoại giao", "Bộ Nông nghiệp và Môi trường",
    "Bộ Văn hóa, Thể thao và Du lịch", "Bộ Dân tộc và Tôn giáo",
]
PROVINCES = [
    "Hà Nội", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế", "Quảng Ninh", "Đồng Tháp", "Bắc Ninh", "Lạng Sơn",
    "Cao Bằng", "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ", "Hưng Yên", "Ninh Bình", "Thanh Hóa",
    "Nghệ An", "Hà Tĩnh", "Quảng Trị", "Quảng Ngãi", "Gia Lai", "Khánh Hòa", "Lâm Đồng", "Đắk Lắk",
    "Đồng Nai", "Tây Ninh", "Vĩnh Long", "An Giang", "Cà Mau", "Sơn La", "Điện Biên", "Lai Châu",
]
COMMUNES = [
    "Lương Minh", "Tân Lập", "Phú Lộc", "Quảng Phú", "Thuận Thành", "Đông Hải", "Tân Phú", "An Khánh",
    "Xuân Lộc", "Minh Khai", "Kim Sơn", "Vĩnh Thạnh",
]

# interchangeable subjects of a plan: each copy swaps them among themselves
TOPICS = [
    "chuyển đổi số", "đổi mới sáng tạo", "cải cách hành chính", "an ninh mạng", "phổ biến, giáo dục pháp luật",
    "trợ giúp pháp lý", "hòa giải ở cơ sở", "kinh tế số", "chính phủ số", "xã hội số", "bảo vệ môi trường",
    "xây dựng nông thôn mới", "phòng, chống tham nhũng", "thực hành tiết kiệm, chống lãng phí", "an toàn thông tin",
    "phát triển nguồn nhân lực", "dân vận chính quyền", "cải cách tư pháp",
]
_TYPE_OF = {"kh": "Kế hoạch", "nq": "Nghị quyết", "qd": "Quyết định", "ct": "Chỉ thị", "kl": "Kết luận", "cv": "Công văn"}

_WORD = r"[\wÀ-ỹ]"
_YEAR_LO, _YEAR_HI = 1975, 2049


@dataclass
class Variant:
    """How one copy differs from its source."""

    number: int
    days: int
    years: int
    names: dict[str, str] = field(default_factory=dict)  # folded written name -> replacement
    vu_shift: int = 0
    percent: int = 0  # added to every percentage (kept within 1..100)

    @classmethod
    def draw(cls, rng: random.Random, number: int) -> "Variant":
        ministries = MINISTRIES[:]
        rng.shuffle(ministries)
        provinces = PROVINCES[:]
        rng.shuffle(provinces)
        communes = COMMUNES[:]
        rng.shuffle(communes)
        names: dict[str, str] = {}
        for a, b in zip(MINISTRIES, ministries):
            names[a.lower()] = b
        for a, b in zip(PROVINCES, provinces):
            names[a.lower()] = b
        for a, b in zip(COMMUNES, communes):
            names[a.lower()] = b
        topics = TOPICS[:]
        rng.shuffle(topics)
        for a, b in zip(TOPICS, topics):
            names[a.lower()] = b
            names[a[0].upper() + a[1:].lower()] = b[0].upper() + b[1:]
        percent = rng.randint(-15, 10)
        return cls(number=number, days=rng.randint(-45, 45), years=rng.randint(-3, 2), names=names,
                   vu_shift=rng.randint(1, 8), percent=percent)


_ALL_NAMES = sorted(
    {n for x in (*MINISTRIES, *PROVINCES, *COMMUNES) for n in (x, x.upper())}
    | {n for x in TOPICS for n in (x, x[0].upper() + x[1:], x.upper())},
    key=len, reverse=True,
)


@lru_cache(maxsize=512)
def _names_pattern(present: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"(?<!{_WORD})(?:{'|'.join(re.escape(a) for a in present)})(?!{_WORD})")
_PERCENT = re.compile(r"(?<![\d.,])(\d{1,2}|100)(?=\s?%)")
_VU = re.compile(r"(?<!\w)(Vụ|Cục|Phòng|Tổ) (\d{1,2})(?!\d)")
_DMY_SLASH = r"(?P<d1>\d{1,2})/(?P<m1>\d{1,2})/(?P<y1>(?:19|20)\d\d)(?!\d)"
_DMY_WORDS = r"(?P<w>ngày\s+)(?P<d2>\d{1,2})(?P<s1>\s+tháng\s+)(?P<m2>\d{1,2})(?P<s2>\s+năm\s+)(?P<y2>(?:19|20)\d\d)(?!\d)"
_YEAR = r"(?<!\d)(?P<y3>(?:19|20)\d\d)(?!\d)"
_DATES = re.compile(rf"(?<!\d){_DMY_SLASH}|{_DMY_WORDS}|{_YEAR}", re.IGNORECASE)


def _pad(new: int, old: str) -> str:
    return f"{new:02d}" if len(old) == 2 and old.startswith("0") else str(new)


def _shift_date(d: int, m: int, y: int, v: Variant) -> date | None:
    try:
        day = date(y, m, d) + timedelta(days=v.days)
        return day.replace(year=day.year + v.years)
    except ValueError:
        try:
            return (date(y, m, d) + timedelta(days=v.days - 1)).replace(year=y + v.years)
        except ValueError:
            return None


def _dates(text: str, v: Variant) -> str:
    if "19" not in text and "20" not in text:
        return text
    def repl(m: re.Match[str]) -> str:
        if m.group("y1"):
            new = _shift_date(int(m["d1"]), int(m["m1"]), int(m["y1"]), v)
            if new is None:
                return m.group(0)
            return f"{_pad(new.day, m['d1'])}/{_pad(new.month, m['m1'])}/{new.year}"
        if m.group("y2"):
            new = _shift_date(int(m["d2"]), int(m["m2"]), int(m["y2"]), v)
            if new is None:
                return m.group(0)
            return f"{m['w']}{_pad(new.day, m['d2'])}{m['s1']}{_pad(new.month, m['m2'])}{m['s2']}{new.year}"
        year = int(m["y3"])
        return str(year + v.years) if _YEAR_LO <= year <= _YEAR_HI else m.group(0)

    return _DATES.sub(repl, text)


def _names(text: str, v: Variant) -> str:
    def repl(m: re.Match[str]) -> str:
        written = m.group(0)
        new = v.names.get(written, v.names.get(written.lower(), written))
        if written.isupper():
            return new.upper()
        return new

    present = tuple(n for n in _ALL_NAMES if n in text)
    if present:
        text = _names_pattern(present).sub(repl, text)
    text = _VU.sub(lambda m: f"{m[1]} {(int(m[2]) + v.vu_shift - 1) % 12 + 1}", text)
    if v.percent and "%" in text:
        text = _PERCENT.sub(lambda m: f"{max(1, min(100, int(m[1]) + v.percent))}%", text)
    return text


def vary_text(text: str, v: Variant) -> str:
    """Dates, names and numbered units of a piece of text, changed the variant's way."""
    return _names(_dates(text, v), v)


# -- text plans -------------------------------------------------------------------------------------------

_NUMBER = re.compile(r"(Số\s*:?\s*\**\s*)(\d{1,5})(?=\s*[/\-])")
_BULLET = re.compile(r"^\s*[-+•]\s+\S")
_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
_HEADING = re.compile(r"^(?P<pre>[#*\s]*)(?P<roman>I{1,3}|IV|V|VI{0,3}|IX|X)\.\s+(?P<title>.*)$")
_TASK_HEADS = ("NHIỆM VỤ", "NỘI DUNG", "GIẢI PHÁP", "KẾ HOẠCH", "CHƯƠNG TRÌNH")
_CLOSING_HEADS = ("TỔ CHỨC THỰC HIỆN",)


def _renumber(text: str, number: int) -> str:
    head, tail = text[:1500], text[1500:]
    return _NUMBER.sub(lambda m: f"{m[1]}{number}", head, count=1) + tail


def _shuffle_bullets(lines: list[str], rng: random.Random) -> list[str]:
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        if _BULLET.match(lines[i]):
            j = i
            while j < len(lines) and (_BULLET.match(lines[j]) or not lines[j].strip()):
                j += 1
            if sum(1 for k in range(i, j) if lines[k].strip()) >= 3:
                runs.append((i, j))
            i = j
        else:
            i += 1
    if not runs:
        return lines
    out = lines[:]
    for a, b in rng.sample(runs, k=min(len(runs), 2)):
        items = [x for x in out[a:b] if x.strip()]
        rng.shuffle(items)
        gap = "\n" if any(not x.strip() for x in out[a:b]) else None
        block: list[str] = []
        for x in items:
            block.append(x)
            if gap:
                block.append("")
        out[a:b] = block
    if rng.random() < 0.5:
        a, b = rng.choice(runs)
        k = rng.randrange(a, b)
        if out[k].strip():
            out.insert(k + 1, out[k])
    return out


def _sections(lines: list[str]) -> list[tuple[int, str]]:
    """(line index, title) of the Roman-numbered headings."""
    out = []
    for i, line in enumerate(lines):
        m = _HEADING.match(line)
        if m and m["roman"] in _ROMAN and len(line) < 200:
            out.append((i, m["title"].strip("* ").upper()))
    return out


def task_section(text: str) -> list[str] | None:
    """The lines of a plan's main numbered task section (its heading included), if it has one."""
    lines = text.split("\n")
    heads = _sections(lines)
    for n, (i, title) in enumerate(heads):
        if any(k in title for k in _TASK_HEADS) and not any(k in title for k in _CLOSING_HEADS):
            end = heads[n + 1][0] if n + 1 < len(heads) else len(lines)
            if end - i >= 5:
                return lines[i:end]
    return None


def _graft(text: str, extra: list[str]) -> str | None:
    """Insert another plan's task section before this plan's closing section, renumbering the Roman headings."""
    lines = text.split("\n")
    heads = _sections(lines)
    closing = next((n for n, (_i, t) in enumerate(heads) if any(k in t for k in _CLOSING_HEADS)), None)
    if closing is None or closing == 0:
        return None
    at = heads[closing][0]
    roman_of_new = _ROMAN.index(_HEADING.match(lines[at])["roman"])  # type: ignore[index]
    first = _HEADING.match(extra[0])
    assert first is not None
    block = [f"{first['pre']}{_ROMAN[roman_of_new]}. {first['title']}", *extra[1:]]
    for n in range(closing, len(heads)):
        i = heads[n][0]
        m = _HEADING.match(lines[i])
        assert m is not None
        k = _ROMAN.index(m["roman"]) + 1
        if k < len(_ROMAN):
            lines[i] = f"{m['pre']}{_ROMAN[k]}. {m['title']}"
    return "\n".join(lines[:at] + block + [""] + lines[at:])


_SYMBOL = re.compile(r"Số\s*:?\s*\**\s*\d{1,5}(?P<symbol>[/\-][^\s,;*|]+)")
_BASIS = re.compile(r"^(?P<pre>[*\s]*)(?P<word>Căn cứ|Thực hiện)\s", re.MULTILINE)


def symbol_of(text: str) -> str | None:
    """The symbol after a plan's number (`/KH-UBND` of `Số: 617/KH-UBND`)."""
    m = _SYMBOL.search(text[:1500])
    return m["symbol"] if m else None


def cite(text: str, citation: str) -> str:
    """Add `Căn cứ <citation>;` before the plan's first line of legal bases."""
    m = _BASIS.search(text)
    if m is None:
        return text
    return text[: m.start()] + f"{m['pre']}Căn cứ {citation};\n" + text[m.start():]


def vary_plan(text: str, v: Variant, rng: random.Random, extra: list[str] | None, citation: str | None = None) -> str:
    """A distinct copy of a text plan."""
    text = _renumber(text, v.number)
    if citation:
        text = cite(text, citation)
    if extra is not None:
        grafted = _graft(text, extra)
        if grafted is not None:
            text = grafted
    lines = _shuffle_bullets(text.split("\n"), rng)
    return vary_text("\n".join(lines), v)


# -- Word documents ---------------------------------------------------------------------------------------

_WT = re.compile(r"(<w:t(?:\s[^>]*)?>)([^<]*)(</w:t>)")
_DIGITS = re.compile(r"\d+")
_SEP = "\x00"


def _number_nodes(texts: list[str], number: int) -> None:
    """Put the document number into the run after `Số:` (or into `Số: 16` itself)."""
    for i, t in enumerate(texts[:80]):
        if not t.strip().startswith("Số"):
            continue
        rest = t.split(":", 1)[1] if ":" in t else t[2:]
        if _DIGITS.search(rest):
            texts[i] = t[: len(t) - len(rest)] + _DIGITS.sub(str(number), rest, count=1)
            return
        for j in range(i + 1, min(i + 4, len(texts))):
            if texts[j].strip().isdigit() or not texts[j].strip():
                texts[j] = f" {number}"
                return
        return


def vary_docx(data: bytes, v: Variant) -> bytes:
    """A distinct copy of a .docx: the text of every run changed; the number after `Số:` replaced."""
    zin = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            raw = zin.read(info.filename)
            if info.filename.startswith("word/") and info.filename.endswith(".xml") and b"<w:t" in raw:
                xml = raw.decode("utf-8")
                parts = _WT.split(xml)  # text, open, content, close, text, ...
                texts = parts[2::4]
                if info.filename == "word/document.xml":
                    _number_nodes(texts, v.number)
                joined = vary_text(_SEP.join(texts), v).split(_SEP)
                if len(joined) == len(texts):
                    parts[2::4] = joined
                raw = "".join(parts).encode("utf-8")
            zout.writestr(info, raw)
    return buf.getvalue()


# -- the corpora ------------------------------------------------------------------------------------------

def sources() -> dict[str, list[Path]]:
    found: dict[str, list[Path]] = {"txt": [], "docx": []}
    for folder in SOURCES:
        for p in sorted(folder.iterdir()):
            if p.suffix in (".txt", ".docx"):
                found[p.suffix[1:]].append(p)
    return found


def _fingerprint(paths: list[Path]) -> str:
    h = hashlib.sha256(f"v{VERSION}".encode())
    for p in paths:
        h.update(p.name.encode())
        h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()[:12]


def _ready(folder: Path, key: str) -> bool:
    manifest = folder / "manifest.json"
    if not manifest.exists():
        return False
    try:
        return json.loads(manifest.read_text())["key"] == key
    except (ValueError, KeyError):
        return False


def bulk_corpus(n: int = 2000, seed: int = 7, out: Path | None = None) -> Path:
    """A folder of n distinct .txt and .docx plans (cached); returns the folder."""
    src = sources()
    all_src = src["txt"] + src["docx"]
    key = f"{_fingerprint(all_src)}-{n}-{seed}"
    folder = out or OUT / f"bulk-v{VERSION}-{n}"
    if _ready(folder, key):
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    rng = random.Random(seed)
    texts = {p: p.read_text(encoding="utf-8") for p in src["txt"]}
    sections = {p: s for p, t in texts.items() if (s := task_section(t)) is not None}
    blobs = {p: p.read_bytes() for p in src["docx"]}
    symbols = {p: symbol_of(t) for p, t in texts.items()}
    seen: set[str] = set()
    made: list[dict[str, object]] = []
    citable: list[str] = []  # codes of the copies made so far, as a later plan cites them
    for i in range(n):
        path = all_src[i % len(all_src)]
        for attempt in range(20):
            number = 100 + i + attempt * 7919
            v = Variant.draw(rng, number=number)
            if path.suffix == ".txt":
                graft_from = None
                if rng.random() < 0.35 and sections:
                    donor = rng.choice([p for p in sections if p != path] or list(sections))
                    graft_from = sections[donor]
                citation = rng.choice(citable) if citable and rng.random() < 0.5 else None
                data = vary_plan(texts[path], v, rng, graft_from, citation).encode("utf-8")
            else:
                data = vary_docx(blobs[path], v)
            sha = hashlib.sha256(data).hexdigest()
            if sha not in seen:
                break
        seen.add(sha)
        name = f"{i:04d}-{path.stem}{path.suffix}"
        (folder / name).write_bytes(data)
        kind = _TYPE_OF.get(path.name.split("-", 1)[0])
        if path.suffix == ".txt" and symbols.get(path) and kind:
            citable.append(f"{kind} số {number}{symbols[path]}")
        made.append({"file": name, "source": path.name, "number": v.number, "sha256": sha})
    (folder / "manifest.json").write_text(json.dumps({"key": key, "version": VERSION, "documents": made}, indent=0))
    return folder


def _plain_lines(text: str) -> list[tuple[str, bool]]:
    """A text plan's lines as Word paragraphs: (text, bold), markdown marks and table rules dropped."""
    out = []
    for line in text.split("\n"):
        s = line.strip()
        if not s or set(s) <= set("|-*#_ "):
            continue
        bold = s.startswith("**") or s.startswith("#")
        s = re.sub(r"\*\*|^#+\s*|(?<!\w)\*(?!\s)|(?<=\S)\*(?!\w)", "", s).strip(" |")
        if s:
            out.append((s, bold))
    return out


def _text_to_docx(text: str, path: Path) -> None:
    import docx

    d = docx.Document()
    for s, bold in _plain_lines(text):
        p = d.add_paragraph()
        p.add_run(s).bold = bold
    d.save(str(path))


def pdf_corpus(n: int = 50, seed: int = 11, out: Path | None = None, timeout: float = 400.0) -> Path:
    """A folder of n PDFs rendered by LibreOffice from varied Word documents (cached); returns the folder."""
    src = sources()
    small = [p for p in src["txt"] if p.stat().st_size < 60_000]  # a few pages each, like a plan
    all_src = src["docx"] + small
    key = f"{_fingerprint(all_src)}-{n}-{seed}"
    folder = out or OUT / f"pdf-v{VERSION}-{n}"
    if _ready(folder, key):
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="nhiemvu-bench-") as tmp:
        work = Path(tmp)
        names = []
        for i in range(n):
            path = all_src[i % len(all_src)]
            v = Variant.draw(rng, number=500 + i)
            name = f"{i:03d}-{path.stem}"
            if path.suffix == ".docx":
                (work / f"{name}.docx").write_bytes(vary_docx(path.read_bytes(), v))
            else:
                _text_to_docx(vary_plan(path.read_text(encoding="utf-8"), v, rng, None), work / f"{name}.docx")
            names.append(name)
        profile = work / "profile"
        cmd = [
            "soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
            "--convert-to", "pdf", "--outdir", str(folder), *[str(work / f"{x}.docx") for x in names],
        ]
        # its own session, so that a hung LibreOffice (soffice forks soffice.bin) is stopped whole
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise RuntimeError(f"LibreOffice did not finish rendering {n} PDFs within {timeout:.0f} s") from None
    missing = [x for x in names if not (folder / f"{x}.pdf").exists()]
    if missing:
        raise RuntimeError(f"LibreOffice did not render {len(missing)} PDF(s), e.g. {missing[0]}")
    (folder / "manifest.json").write_text(json.dumps({"key": key, "version": VERSION, "documents": names}, indent=0))
    return folder


if __name__ == "__main__":
    import sys
    import time

    t = time.perf_counter()
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    pdfs = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    if size:
        print(bulk_corpus(size), f"{time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    if pdfs:
        print(pdf_corpus(pdfs), f"{time.perf_counter() - t:.1f} s")
