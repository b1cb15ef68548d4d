"""The `nhiemvu` command line: extract, eval, and the service commands.

Each command is a thin wrapper: the work lives in `extractors` (extract),
`service.evaluation` (eval) and the store/app modules. Errors on bad input
print one line naming the file and the problem and exit non-zero.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from extractors.errors import ReadError

app = typer.Typer(add_completion=False, no_args_is_help=True, help="nhiemvu: a register of obligations from Vietnamese party and state documents.")


def _fail(message: str, code: int = 1) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(code)


@app.command()
def extract(
    file: Path = typer.Argument(..., help="A .pdf, .docx, .doc, .txt or .md document"),
    indent: int = typer.Option(1, help="JSON indentation (0 for one line)"),
    no_text: bool = typer.Option(False, "--no-text", help="Leave out the normalised text"),
) -> None:
    """Print one document's extraction as JSON (ANNOTATION.md section 8)."""
    from extractors.pipeline import extract as run

    try:
        data = file.read_bytes()
    except FileNotFoundError:
        _fail(f"{file}: no such file")
    except IsADirectoryError:
        _fail(f"{file}: is a directory, not a document")
    except OSError as err:
        _fail(f"{file}: cannot read ({err.strerror})")
    try:
        result = run(data, str(file))
    except ReadError as err:
        _fail(f"{file}: {err.problem}")
    payload = result.model_dump(mode="json")
    if no_text:
        payload["text"] = ""
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=indent or None) + "\n")


@app.command("eval")
def evaluate(
    docs: Path = typer.Option(Path("corpus/docs"), help="Folder of documents"),
    gold: Path = typer.Option(Path("corpus/gold"), help="Folder of gold annotations"),
    baseline: Path = typer.Option(None, help="Fail (exit 1) when a figure falls below this baseline JSON"),
    json_out: bool = typer.Option(False, "--json", help="Print the figures as JSON"),
    per_doc: bool = typer.Option(True, "--per-doc/--no-per-doc", help="Show the figures per document"),
    save_baseline: Path = typer.Option(None, help="Write the overall figures (rounded down) to this file"),
) -> None:
    """Score extraction on the corpus against gold (ANNOTATION.md section 7)."""
    from service.evaluation import baseline_of, check_baseline, evaluate_corpus, render_report

    report = evaluate_corpus(docs, gold)
    if save_baseline is not None:
        save_baseline.write_text(json.dumps(baseline_of(report), indent=1) + "\n", encoding="utf-8")
    if json_out:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        typer.echo(render_report(report, per_doc=per_doc))
    if baseline is not None:
        failures = check_baseline(report, json.loads(baseline.read_text(encoding="utf-8")))
        if failures:
            for line in failures:
                typer.echo(f"below baseline: {line}", err=True)
            raise typer.Exit(1)


# -- the service commands -----------------------------------------------------------------------------------

def _db(db: Path | None) -> Path:
    from service.db import default_db_path

    return db or default_db_path()


DbOption = typer.Option(None, "--db", help="The SQLite store (default: $NHIEMVU_DB or data/nhiemvu.sqlite)")


def _run_ingest(db: Path, paths: list[Path], workers: int, quiet: bool = False) -> "object":
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from service.bulk import ingest_paths

    console = Console(stderr=True)
    with Progress(
        TextColumn("[bold]indexing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        TextColumn("{task.description}"), console=console, disable=quiet, transient=False,
    ) as bar:
        job = bar.add_task("", total=None)
        report = ingest_paths(
            db, paths, workers=workers,
            on_total=lambda n: bar.update(job, total=n),
            on_outcome=lambda o: bar.update(job, advance=1 if not o[0].startswith("#") else 0, description=Path(o[0]).name[:40]),
        )
    return report


def _print_report(report: "object") -> int:
    r = report  # service.bulk.BulkReport
    typer.echo(f"indexed: {len(r.indexed)}   skipped: {len(r.skipped)}   failed: {len(r.failed)}")  # type: ignore[attr-defined]
    for path, doc_id, reason in r.skipped:  # type: ignore[attr-defined]
        typer.echo(f"  skipped {path}: {reason}" + (f" (id {doc_id})" if doc_id else ""))
    for path, reason in r.failed:  # type: ignore[attr-defined]
        typer.echo(f"  failed  {path}: {reason}", err=True)
    return 1 if r.failed else 0  # type: ignore[attr-defined]


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(..., help="Files and folders (folders are searched recursively)"),
    db: Path = DbOption,
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Processes that extract in parallel"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar"),
) -> None:
    """Index documents into the store; prints indexed / skipped / failed, exits 1 if any failed."""
    report = _run_ingest(_db(db), paths, workers, quiet)
    raise typer.Exit(_print_report(report))


@app.command()
def reindex(
    ids: list[int] = typer.Argument(None, help="Document ids (default: every document)"),
    db: Path = DbOption,
    workers: int = typer.Option(1, "--workers", "-w", min=1),
) -> None:
    """Re-extract stored documents under the same ids; statuses and corrections are kept."""
    from service.bulk import reindex_all

    store = _db(db)
    if not store.exists():
        _fail(f"{store}: no such database")
    report = reindex_all(store, ids or None, workers=workers)
    typer.echo(f"reindexed: {len(report.reindexed)}   unchanged: {len(report.unchanged)}   failed: {len(report.failed)}")
    for label, reason in report.failed:
        typer.echo(f"  failed  {label}: {reason}", err=True)
    raise typer.Exit(1 if report.failed else 0)


def _task_filter(unit, org, role, document, kind, status, due_after, due_before, overdue, as_of, text):  # type: ignore[no-untyped-def]
    from datetime import date

    from service.queries import TaskFilter, normalise_role
    from service.progress import normalise_status

    def day(v: str | None, name: str) -> "date | None":
        if not v:
            return None
        try:
            return date.fromisoformat(v)
        except ValueError:
            _fail(f"{name}: expected a date YYYY-MM-DD, got {v!r}")
        return None

    try:
        if role:
            normalise_role(role)
        if status:
            normalise_status(status)
    except ValueError as err:
        _fail(str(err))
    return TaskFilter(
        unit=unit, org=org, role=role, document=document, kind=kind, status=status,
        due_after=day(due_after, "--due-after"), due_before=day(due_before, "--due-before"),
        overdue=True if overdue else None, as_of=day(as_of, "--as-of") or date.today(), q=text, include_hidden=True,
    )


@app.command()
def tasks(
    unit: str = typer.Option(None, "--unit", "-u", help="Unit name or alias (linked units included)"),
    org: str = typer.Option(None, "--org", help="The unit's organisation, e.g. 'VKSND tối cao'"),
    role: str = typer.Option(None, "--role", help="lead, support or supervisors"),
    document: int = typer.Option(None, "--document", help="Document id"),
    kind: str = typer.Option(None, "--kind", help="Deadline kind: dated, recurring, ongoing, per_plan, relative, none"),
    status: str = typer.Option(None, "--status"),
    due_after: str = typer.Option(None, "--due-after", help="YYYY-MM-DD"),
    due_before: str = typer.Option(None, "--due-before", help="YYYY-MM-DD"),
    overdue: bool = typer.Option(False, "--overdue", help="Only overdue tasks"),
    as_of: str = typer.Option(None, "--as-of", help="Date for overdue (default today)"),
    text: str = typer.Option(None, "--text", help="Words of the task text"),
    limit: int = typer.Option(50, "--limit", help="0 for all"),
    fmt: str = typer.Option("table", "--format", "-f", help="table, csv or json"),
    db: Path = DbOption,
) -> None:
    """List tasks, overdue first, then by due date."""
    if fmt not in ("table", "csv", "json"):
        _fail(f"--format: one of table, csv, json (got {fmt!r})")
    f = _task_filter(unit, org, role, document, kind, status, due_after, due_before, overdue, as_of, text)
    items, total = _query_tasks(db, f, limit or 1_000_000, count=True)
    if fmt == "json":
        sys.stdout.write(json.dumps({"total": total, "items": items}, ensure_ascii=False, indent=1) + "\n")
        return
    if fmt == "csv":
        from service.exports.csv import render

        sys.stdout.write(render(items).decode("utf-8-sig"))
        return
    from rich.console import Console
    from rich.table import Table

    from service.exports.common import deadline_label, document_label, names

    table = Table(show_lines=False, title=f"{total} task(s)" + (f", first {len(items)}" if len(items) < total else ""))
    for col in ("ID", "Nhiệm vụ", "Chủ trì", "Thời hạn", "Hạn", "Trạng thái", "Văn bản"):
        table.add_column(col, overflow="fold")
    for t in items:
        due = (t.get("next_due") or "") + (" ⚠" if t["overdue"] else "")
        text_ = t["text"] if len(t["text"]) <= 90 else t["text"][:87] + "..."
        table.add_row(str(t["id"]), text_, names(t, "lead"), deadline_label(t), due, t["status"], document_label(t))
    Console().print(table)


def _query_tasks(db: Path | None, f: object, limit: int, count: bool) -> tuple[list[dict], int]:
    """Open the store (which must exist), bring recurring dates up to today, and list the filtered tasks."""
    from service.db import connect
    from service.occurrences import refresh_daily
    from service.queries import list_tasks

    store = _db(db)
    if not store.exists():
        _fail(f"{store}: no such database (run `nhiemvu ingest` first)")
    conn = connect(store)
    try:
        refresh_daily(conn)
        return list_tasks(conn, f, limit=limit, offset=0, count=count)  # type: ignore[arg-type]
    finally:
        conn.close()


@app.command("export")
def export_cmd(
    out: Path = typer.Argument(..., help="Output file; its suffix picks the format (.csv .xlsx .docx .ics .json)"),
    fmt: str = typer.Option(None, "--format", "-f", help="csv, xlsx, docx, ics or json (default: from the suffix)"),
    unit: str = typer.Option(None, "--unit", "-u"),
    org: str = typer.Option(None, "--org"),
    role: str = typer.Option(None, "--role"),
    document: int = typer.Option(None, "--document"),
    kind: str = typer.Option(None, "--kind"),
    status: str = typer.Option(None, "--status"),
    due_after: str = typer.Option(None, "--due-after"),
    due_before: str = typer.Option(None, "--due-before"),
    overdue: bool = typer.Option(False, "--overdue"),
    as_of: str = typer.Option(None, "--as-of"),
    text: str = typer.Option(None, "--text"),
    db: Path = DbOption,
) -> None:
    """Export tasks (the same filters as `nhiemvu tasks`) to CSV, XLSX, DOCX, ICS or JSON."""
    from service import exports

    fmt = (fmt or out.suffix.lstrip(".")).lower()
    if fmt not in exports.FORMATS:
        _fail(f"{out}: unknown export format {fmt!r}: one of {', '.join(exports.FORMATS)}")
    f = _task_filter(unit, org, role, document, kind, status, due_after, due_before, overdue, as_of, text)
    items, _ = _query_tasks(db, f, 1_000_000, count=False)
    data, _media = exports.render(fmt, items, title=unit or None)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    typer.echo(f"{out}: {len(items)} task(s), {len(data):,} bytes")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8000, "--port"),
    ingest_paths: list[Path] = typer.Option(None, "--ingest", help="Index these files or folders before serving"),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Extraction processes for --ingest"),
    db: Path = DbOption,
) -> None:
    """Serve the API (OpenAPI at /docs). Set NHIEMVU_TOKEN to require a token for writes."""
    import uvicorn

    from service.api import create_app

    store = _db(db)
    if ingest_paths:
        report = _run_ingest(store, ingest_paths, workers)
        _print_report(report)
    typer.echo(f"serving {store} on http://{host}:{port} (API docs: http://{host}:{port}/docs)")
    uvicorn.run(create_app(store), host=host, port=port, log_level="info")


@app.command()
def backup(
    file: Path = typer.Argument(..., help="Where to write the copy"),
    db: Path = DbOption,
) -> None:
    """Copy the store with SQLite's online backup (safe while serving)."""
    from service.backup import backup as run

    try:
        info = run(_db(db), file)
    except (FileNotFoundError, ValueError) as err:
        _fail(str(err))
    typer.echo(f"{file}: {info['documents']} document(s), {info['tasks']} task(s), {info['bytes']:,} bytes")


def main() -> None:  # pragma: no cover - console entry
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
