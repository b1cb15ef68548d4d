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
) -> None:
    """Score extraction on the corpus against gold (ANNOTATION.md section 7)."""
    from service.evaluation import check_baseline, evaluate_corpus, render_report

    report = evaluate_corpus(docs, gold)
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


def main() -> None:  # pragma: no cover - console entry
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
