"""The extraction figures on the dev corpus must not fall below the committed baseline.

`corpus/eval-baseline.json` holds the figures of the last accepted change
(`nhiemvu eval --save-baseline corpus/eval-baseline.json`). Lowering it is
allowed only in a commit whose message names the gold item that breaks
ANNOTATION.md and why.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from service.evaluation import check_baseline, evaluate_corpus, render_report

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.fixture(scope="module")
def report() -> dict:
    return evaluate_corpus(CORPUS / "docs", CORPUS / "gold")


def test_figures_do_not_fall_below_the_baseline(report: dict) -> None:
    baseline = json.loads((CORPUS / "eval-baseline.json").read_text(encoding="utf-8"))
    failures = check_baseline(report, baseline)
    assert not failures, "\n".join(failures) + "\n\n" + render_report(report)


def test_every_gold_document_was_scored(report: dict) -> None:
    assert len(report["documents"]) == len(list((CORPUS / "gold").glob("*.json")))
    assert all(d["failure"] is None for d in report["documents"].values())
