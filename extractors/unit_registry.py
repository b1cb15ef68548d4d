"""The document's unit registry: one entry per unit, with the written forms found in the text.

Names come from the tasks (fields, assignments, headings). A spaCy
`PhraseMatcher` on a blank Vietnamese pipeline, fed by the registry's own
patterns (each canonical name and its abbreviated forms: `Văn phòng Đảng
ủy` / `VPĐU`, `Viện kiểm sát nhân dân tối cao` / `VKSND tối cao`), then
finds every mention in the text, so the aliases a document really uses are
kept beside the canonical name. This is the only place spaCy is used: the
patterns are exact, so the tokens come from a plain word split (fast) rather
than a statistical model.
"""
from __future__ import annotations

import re
from functools import lru_cache

from extractors.abbreviations import STANDARD
from extractors.units import unit_kind
from extractors.vntext import _MAYBE_OLD, fold, unify_tones
from models import Task, Unit

_TOKEN = re.compile(r"\w+|[^\w\s]")
_WINDOWS_PER_FORM = 6
_OLD_TONE_HINT = _MAYBE_OLD


@lru_cache(maxsize=1)
def _nlp():  # type: ignore[no-untyped-def]
    import spacy

    return spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})


@lru_cache(maxsize=20000)
def _doc(text: str):  # type: ignore[no-untyped-def]
    """A pattern Doc (cached: the same unit names recur across an office's documents)."""
    from spacy.tokens import Doc

    words = _TOKEN.findall(unify_tones(text))
    return Doc(_nlp().vocab, words=words or [" "])


def _doc_with_offsets(text: str):  # type: ignore[no-untyped-def]
    """A Doc of the text's words and the character offset where each word starts and ends."""
    from spacy.tokens import Doc

    unified = unify_tones(text)
    found = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(unified)]
    doc = Doc(_nlp().vocab, words=[w for w, _, _ in found] or [" "])
    return doc, [(a, b) for _, a, b in found], unified


@lru_cache(maxsize=1)
def _standard_by_length() -> tuple[tuple[str, str], ...]:
    return tuple(sorted(((a, f.lower()) for a, f in STANDARD.items() if len(f) >= 8), key=lambda kv: -len(kv[1])))


def _abbreviated_forms(name: str, defined: dict[str, str]) -> set[str]:
    """`Văn phòng Viện kiểm sát nhân dân tối cao` -> {`Văn phòng VKSND tối cao`, ...}."""
    forms = {name}
    low = name.lower()
    table = list(_standard_by_length()) + [(a, f.lower()) for a, f in defined.items() if len(f) >= 8]
    for abbr, full in table:
        if full not in low:
            continue
        for f in list(forms):
            idx = f.lower().find(full)
            if idx >= 0:
                forms.add(f[:idx] + abbr + f[idx + len(full):])
    return forms


def build_registry(tasks: list[Task], text: str, defined: dict[str, str]) -> list[Unit]:
    names: list[str] = []
    seen: set[str] = set()
    for t in tasks:
        for n in t.lead + t.support + t.supervisors:
            k = fold(n)
            if k not in seen:
                seen.add(k)
                names.append(n)
    if not names:
        return []
    from spacy.matcher import PhraseMatcher

    matcher = PhraseMatcher(_nlp().vocab, attr="LOWER")
    abbreviations: set[str] = set()
    reach = 60  # how far around an abbreviation a written form can reach
    table = {**STANDARD, **defined}
    for i, name in enumerate(names):
        forms = _abbreviated_forms(name, defined)
        matcher.add(str(i), [_doc(f) for f in forms])
        abbreviations.update(a for f in forms for a in f.split() if a in table)
        reach = max([reach] + [len(f) for f in forms if f != name])
    # a written form differs from the canonical name by an abbreviation, a tone spelling or its case:
    # only lines that can hold such a form are tokenised (plain substring tests first)
    # a few windows around each abbreviation (and old tone spellings) are enough to see how a name is written
    windows: list[tuple[int, int]] = []
    for a in abbreviations:
        start = text.find(a)
        seen = 0
        while start >= 0 and seen < _WINDOWS_PER_FORM:
            windows.append((max(0, start - reach), min(len(text), start + len(a) + reach)))
            start = text.find(a, start + len(a))
            seen += 1
    for k, m in enumerate(_OLD_TONE_HINT.finditer(text)):
        if k >= 4 * _WINDOWS_PER_FORM:
            break
        windows.append((max(0, m.start() - 60), min(len(text), m.end() + 60)))
    windows.sort()
    merged: list[tuple[int, int]] = []
    for a, b in windows:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    doc, offsets, unified = _doc_with_offsets("\n".join(text[a:b] for a, b in merged))
    aliases: dict[int, list[str]] = {i: [] for i in range(len(names))}
    # longest matches first, so `Ủy ban Kiểm tra Đảng ủy` is not also `Đảng ủy`
    spans = sorted(matcher(doc), key=lambda m: (m[1], -(m[2] - m[1])))
    taken_until = -1
    for match_id, start, end in spans:
        if start < taken_until:
            continue
        taken_until = end
        i = int(_nlp().vocab.strings[match_id])
        written = " ".join(unified[offsets[start][0]: offsets[end - 1][1]].split())
        if written != names[i] and written.lower() != names[i].lower() and written not in aliases[i]:
            aliases[i].append(written)
    return [Unit(name=n, aliases=aliases[i], kind=unit_kind(n)) for i, n in enumerate(names)]  # type: ignore[arg-type]
