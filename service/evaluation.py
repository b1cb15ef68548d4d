"""Score `extract` against the gold annotations, as ANNOTATION.md section 7 defines matching.

Per document and over the whole corpus (micro-averaged): task precision,
recall and F1 by anchor; unit F1 over (role, unit) pairs of matched tasks;
deadline accuracy over matched tasks; document metadata accuracy over the
fields the gold states; target P/R/F1 and value accuracy; reference P/R/F1
over codes, reference date and relation accuracy. `check_baseline` compares
a report with committed figures. It only reads files and calls `extract`.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from extractors.abbreviations import STANDARD
from extractors.pipeline import extract
from extractors.vntext import fold, fold_compact

FIGURES = (
    "tasks_precision", "tasks_recall", "tasks_f1", "units_f1", "deadline_accuracy", "metadata_accuracy",
    "targets_precision", "targets_recall", "targets_f1", "target_values_accuracy",
    "references_precision", "references_recall", "references_f1", "reference_dates_accuracy",
    "reference_relations_accuracy",
)
ROLES = ("lead", "support", "supervisors")
_STANDARD_FOLDED = sorted(((fold(k), fold(v)) for k, v in STANDARD.items()), key=lambda kv: -len(kv[0]))


def unit_key(name: str) -> str:
    """A unit name folded as section 3 compares names (case, accents, punctuation, abbreviations, `các`)."""
    s = fold(name)
    words = s.split()
    out: list[str] = []
    table = dict(_STANDARD_FOLDED)
    for w in words:
        out.append(table.get(w, w))
    s = " ".join(" ".join(out).split())
    for lead in ("cac ", "dong chi ", "d c ", "dc "):
        if s.startswith(lead):
            s = s[len(lead):]
    return s.replace(" ", "")


def code_key(code: str | None) -> str:
    return fold_compact(code or "")


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else (1.0 if fn == 0 else 0.0)
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def match_by_anchor(pred_texts: list[str], anchors: list[str]) -> dict[int, int]:
    """gold index -> predicted index; one-to-one, gold in order, earliest unmatched prediction first."""
    folded = [fold_compact(t) for t in pred_texts]
    used: set[int] = set()
    out: dict[int, int] = {}
    for gi, anchor in enumerate(anchors):
        a = fold_compact(anchor)
        if not a:
            continue
        for pi, t in enumerate(folded):
            if pi not in used and a in t:
                used.add(pi)
                out[gi] = pi
                break
    return out


def _deadline_ok(pred: dict[str, Any], gold: dict[str, Any] | None) -> bool:
    gold = gold or {"kind": "none"}
    kind = gold.get("kind") or "none"
    if (pred.get("kind") or "none") != kind:
        return False
    if kind == "dated":
        return pred.get("start") == gold.get("start") and pred.get("due") == gold.get("due")
    if kind == "recurring":
        return pred.get("day") == gold.get("day") and pred.get("month") == gold.get("month")
    return True


def _value_ok(pred: dict[str, Any], gold: dict[str, Any]) -> bool:
    def num(x: Any) -> float | None:
        return None if x is None else float(x)

    return (
        num(pred.get("value")) == num(gold.get("value"))
        and num(pred.get("value_max")) == num(gold.get("value_max"))
        and fold(str(pred.get("unit") or "")) == fold(str(gold.get("unit") or ""))
        and (pred.get("comparator") or "=") == (gold.get("comparator") or "=")
    )


def score_document(pred: dict[str, Any], gold: dict[str, Any]) -> dict[str, Any]:
    c: dict[str, Any] = {}
    # tasks
    ptasks = pred.get("tasks", [])
    gtasks = gold.get("tasks", [])
    m = match_by_anchor([t.get("text", "") for t in ptasks], [g["anchor"] for g in gtasks])
    c["tasks"] = (len(m), len(ptasks) - len(m), len(gtasks) - len(m))
    utp = ufp = ufn = 0
    dl_ok = 0
    misses: list[str] = []
    unit_errors: list[dict[str, Any]] = []
    deadline_errors: list[dict[str, Any]] = []
    for gi, pi in m.items():
        g, p = gtasks[gi], ptasks[pi]
        for role in ROLES:
            gs = {unit_key(x) for x in (g.get(role) or [])}
            ps = {unit_key(x) for x in (p.get(role) or [])}
            utp += len(gs & ps)
            ufp += len(ps - gs)
            ufn += len(gs - ps)
            if gs != ps:
                unit_errors.append({"anchor": g["anchor"], "role": role, "gold": g.get(role) or [], "pred": p.get(role) or []})
        if _deadline_ok(p.get("deadline") or {}, g.get("deadline")):
            dl_ok += 1
        else:
            deadline_errors.append({"anchor": g["anchor"], "gold": g.get("deadline"), "pred": {k: v for k, v in (p.get("deadline") or {}).items() if v not in (None, [], False)}})
    for gi, g in enumerate(gtasks):
        if gi not in m:
            misses.append(g["anchor"])
    c["units"] = (utp, ufp, ufn)
    c["deadlines"] = (dl_ok, len(m))
    # metadata
    gdoc = gold.get("document", {})
    pdoc = pred.get("document", {})
    md_ok = 0
    md_errors: list[str] = []
    for k, gv in gdoc.items():
        pv = pdoc.get(k)
        if (gv is None and pv is None) or (gv is not None and pv is not None and fold(str(gv)) == fold(str(pv))):
            md_ok += 1
        else:
            md_errors.append(f"{k}: {pv!r} != gold {gv!r}")
    c["metadata"] = (md_ok, len(gdoc))
    # targets
    ptg = pred.get("targets", [])
    gtg = gold.get("targets", [])
    tm = match_by_anchor([t.get("text", "") for t in ptg], [g["anchor"] for g in gtg])
    c["targets"] = (len(tm), len(ptg) - len(tm), len(gtg) - len(tm))
    c["target_values"] = (sum(1 for gi, pi in tm.items() if _value_ok(ptg[pi], gtg[gi])), len(tm))
    # references (coded only, unique codes)
    gref = {code_key(r["code"]): r for r in gold.get("references", []) if r.get("code")}
    pref: dict[str, dict[str, Any]] = {}
    for r in pred.get("references", []):
        if r.get("code"):
            pref.setdefault(code_key(r["code"]), r)
    common = set(gref) & set(pref)
    c["references"] = (len(common), len(set(pref) - set(gref)), len(set(gref) - set(pref)))
    c["reference_dates"] = (sum(1 for k in common if pref[k].get("issued_date") == gref[k].get("issued_date")), len(common))
    c["reference_relations"] = (sum(1 for k in common if pref[k].get("relation") == gref[k].get("relation")), len(common))
    c["errors"] = {
        "missed_tasks": misses,
        "extra_tasks": [ptasks[i].get("text", "")[:120] for i in range(len(ptasks)) if i not in set(m.values())],
        "units": unit_errors,
        "deadlines": deadline_errors,
        "metadata": md_errors,
        "missed_targets": [gtg[i]["anchor"] for i in range(len(gtg)) if i not in tm],
        "missed_references": sorted(set(gref) - set(pref)),
        "extra_references": sorted(set(pref) - set(gref)),
    }
    return c


def _figures(c: dict[str, Any]) -> dict[str, float]:
    f: dict[str, float] = {}
    f["tasks_precision"], f["tasks_recall"], f["tasks_f1"] = _prf(*c["tasks"])
    f["units_f1"] = _prf(*c["units"])[2]
    f["deadline_accuracy"] = c["deadlines"][0] / c["deadlines"][1] if c["deadlines"][1] else 1.0
    f["metadata_accuracy"] = c["metadata"][0] / c["metadata"][1] if c["metadata"][1] else 1.0
    f["targets_precision"], f["targets_recall"], f["targets_f1"] = _prf(*c["targets"])
    f["target_values_accuracy"] = c["target_values"][0] / c["target_values"][1] if c["target_values"][1] else 1.0
    f["references_precision"], f["references_recall"], f["references_f1"] = _prf(*c["references"])
    f["reference_dates_accuracy"] = c["reference_dates"][0] / c["reference_dates"][1] if c["reference_dates"][1] else 1.0
    f["reference_relations_accuracy"] = c["reference_relations"][0] / c["reference_relations"][1] if c["reference_relations"][1] else 1.0
    return {k: round(v, 4) for k, v in f.items()}


def evaluate_corpus(docs: Path, gold_dir: Path) -> dict[str, Any]:
    per_doc: dict[str, Any] = {}
    total: dict[str, list[int]] = {}
    for gpath in sorted(Path(gold_dir).glob("*.json")):
        gold = json.loads(gpath.read_text(encoding="utf-8"))
        rel = gold.get("file") or ""
        dpath = Path(docs) / Path(rel).name if rel else None
        if dpath is None or not dpath.exists():
            cands = [p for p in Path(docs).glob(gpath.stem + ".*")]
            if not cands:
                continue
            dpath = cands[0]
        failure = None
        try:
            pred = extract(dpath.read_bytes(), dpath.name).model_dump(mode="json")
        except Exception as err:  # a document that fails scores as an empty extraction
            failure = f"{type(err).__name__}: {err}"
            pred = {"document": {}, "tasks": [], "targets": [], "references": []}
        c = score_document(pred, gold)
        per_doc[dpath.name] = {"figures": _figures(c), "counts": {k: v for k, v in c.items() if k != "errors"}, "errors": c["errors"], "failure": failure}
        for k, v in c.items():
            if k == "errors":
                continue
            acc = total.setdefault(k, [0] * len(v))
            for i, x in enumerate(v):
                acc[i] += x
    overall = _figures({k: tuple(v) for k, v in total.items()}) if total else {}
    return {"overall": overall, "documents": per_doc}


def render_report(report: dict[str, Any], per_doc: bool = True) -> str:
    lines = ["figure                          overall"]
    for k in FIGURES:
        if k in report["overall"]:
            lines.append(f"{k:<32}{report['overall'][k]:.3f}")
    if per_doc:
        short = ["tasks_f1", "units_f1", "deadline_accuracy", "metadata_accuracy", "targets_f1", "target_values_accuracy", "references_f1", "reference_dates_accuracy"]
        lines.append("")
        lines.append("document".ljust(46) + " ".join(s.split("_")[0][:5] + "_" + s.split("_")[-1][:3] for s in short))
        for name, d in report["documents"].items():
            lines.append(name[:45].ljust(46) + " ".join(f"{d['figures'][s]:9.3f}" for s in short))
    return "\n".join(lines)


def check_baseline(report: dict[str, Any], baseline: dict[str, Any]) -> list[str]:
    out: list[str] = []
    base = baseline.get("overall", baseline)
    for k, v in base.items():
        got = report["overall"].get(k)
        if got is None or got + 1e-9 < float(v):
            out.append(f"{k} = {got} < baseline {v}")
    return out


def baseline_of(report: dict[str, Any]) -> dict[str, Any]:
    """The overall figures rounded down to three decimals: what CI must not fall below."""
    import math

    return {"overall": {k: math.floor(v * 1000) / 1000 for k, v in report["overall"].items()}}
