"""Where the time goes, for the figures that fall short: cProfile of one part, in process.

`python3 bench/profiling.py txt` profiles extraction of the corpus's text
documents (3 warm rounds); `docx` the Word reader; `unit`, `overdue` and
`search` the store queries behind those endpoints on the bulk store
(bench/out/store-bulk.sqlite, made by the ingest benchmark), with the
slowest parameters the query benchmark found, the service's read caches
emptied before each round (a first ask). Writes the top functions by
cumulative and by own time to bench/out/profile-<what>.txt and prints them.
cProfile (standard library) inflates small Python calls; read shares, not
absolute times. Not part of `bench/run.py`.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
from datetime import date
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import OUT, ROOT  # noqa: E402


def _files(suffix: str) -> list[tuple[bytes, str]]:
    out = []
    for folder in (ROOT / "corpus" / "docs", ROOT / "corpus" / "extra"):
        out += [(p.read_bytes(), p.name) for p in sorted(folder.glob(f"*{suffix}"))]
    return out


def extraction(suffix: str, reader_only: bool = False) -> Callable[[], None]:
    from extractors.pipeline import extract
    from extractors.readers import read

    blobs = _files(suffix)
    fn = read if reader_only else extract
    for data, name in blobs:
        fn(data, name)

    def work() -> None:
        for _ in range(3):
            for data, name in blobs:
                fn(data, name)

    return work


def _uncached() -> None:
    """Empty the service's read caches (module-level `*_CACHE` dicts), so that a profile shows a first ask."""
    from service import queries, search

    for mod in (queries, search):
        for name in dir(mod):
            obj = getattr(mod, name)
            if name.endswith("_CACHE") and hasattr(obj, "clear"):
                obj.clear()


def store_query(what: str, db: Path) -> Callable[[], None]:
    from service import queries, search
    from service.db import connect

    conn = connect(db, create=False)
    if what == "unit":
        units = ["Các Bộ, cơ quan ngang Bộ, cơ quan thuộc Chính phủ", "Các bộ, ngành, địa phương", "Văn phòng"]
        fs = [queries.TaskFilter(unit=u, as_of=date.today()) for u in units]
        call = lambda: [queries.list_tasks(conn, f, limit=50) for f in fs]  # noqa: E731
    elif what == "overdue":
        f = queries.TaskFilter(overdue=True, as_of=date(2028, 3, 15))
        call = lambda: queries.list_tasks(conn, f, limit=50)  # noqa: E731
    else:
        qs = ["quyết số nq", "số nq", "đại học nhất", "mạng toàn thông", "chuyen doi so"]
        call = lambda: [search.results(conn, q, limit=20) for q in qs]  # noqa: E731
    call()

    def work() -> None:
        for _ in range(10):
            _uncached()
            call()

    return work


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("what", choices=["txt", "docx", "unit", "overdue", "search"])
    ap.add_argument("--db", type=Path, default=OUT / "store-bulk.sqlite")
    ap.add_argument("--top", type=int, default=30)
    args = ap.parse_args()
    if args.what == "txt":
        work = extraction(".txt")
    elif args.what == "docx":
        work = extraction(".docx", reader_only=True)
    else:
        work = store_query(args.what, args.db)
    prof = cProfile.Profile()
    prof.enable()
    work()
    prof.disable()
    buf = io.StringIO()
    st = pstats.Stats(prof, stream=buf)
    st.strip_dirs()
    st.sort_stats("cumulative").print_stats(args.top)
    st.sort_stats("tottime").print_stats(args.top)
    text = buf.getvalue()
    out = OUT / f"profile-{args.what}.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    print(text)
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
