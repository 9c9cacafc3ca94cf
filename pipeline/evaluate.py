"""Score outputs against gold files as ../shared/GOLD.md defines.

A predicted item matches a gold item when its own `text`, folded (NFC, lower case, markup
out, whitespace collapsed), contains the gold `quote`, and the typed fields are equal.
Matching is one-to-one, in document order. Non-core gold targets are neither rewarded nor
penalised. Figures are pooled over all files (micro averages).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .normalize import fold, strip_diacritics

DOC_FIELDS = ["doc_type", "number", "year", "symbol", "issued_date", "place"]


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Accuracy:
    right: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def value(self) -> float:
        return self.right / self.total if self.total else 1.0

    def add(self, ok: bool, miss: str) -> None:
        self.total += 1
        self.right += ok
        if not ok:
            self.misses.append(miss)


def _num_eq(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return abs(float(a) - float(b)) < 1e-6


def _match(golds: list[dict], preds: list[dict], same) -> tuple[list[tuple[dict, dict]], list[dict], list[dict]]:
    """One-to-one matching: each gold takes the first unused prediction that fits."""
    used = set()
    pairs, missed = [], []
    for g in golds:
        q = fold(g["quote"])
        hit = None
        for i, p in enumerate(preds):
            if i in used or q not in fold(p.get("text") or p.get("heading") or ""):
                continue
            if same(g, p):
                hit = i
                break
        if hit is None:
            missed.append(g)
        else:
            used.add(hit)
            pairs.append((g, preds[hit]))
    extra = [p for i, p in enumerate(preds) if i not in used]
    return pairs, missed, extra


def _name_like(gold_name: str, pred_names: str) -> bool:
    a = strip_diacritics(fold(gold_name))
    for name in pred_names.split(" | "):
        b = strip_diacritics(fold(name))
        if b and (a in b or b in a):
            return True
    return False


@dataclass
class Report:
    files: int = 0
    document: dict[str, Accuracy] = field(default_factory=lambda: {k: Accuracy() for k in DOC_FIELDS})
    sections: Score = field(default_factory=Score)
    section_kinds: Accuracy = field(default_factory=Accuracy)
    legal_refs: Score = field(default_factory=Score)
    legal_ref_dates: Accuracy = field(default_factory=Accuracy)
    legal_refs_strict: Score = field(default_factory=Score)
    targets: Score = field(default_factory=Score)
    target_fields: Accuracy = field(default_factory=Accuracy)
    owners: Accuracy = field(default_factory=Accuracy)
    leads: Accuracy = field(default_factory=Accuracy)
    dates: Score = field(default_factory=Score)


def score_file(gold: dict, pred: dict, rep: Report, name: str) -> None:
    rep.files += 1
    doc = pred.get("document") or {}
    for key in DOC_FIELDS:
        g = gold.get("document", {}).get(key)
        if g is not None:
            rep.document[key].add(doc.get(key) == g, f"{name}: document.{key} {doc.get(key)!r} != {g!r}")

    # sections: top level only
    tops = [s for s in pred.get("sections") or [] if s.get("level") == 1]
    pairs, missed, extra = _match(gold.get("sections", []), tops,
                                  lambda g, p: (p.get("number") or "").upper() == (g.get("number") or "").upper())
    for g, p in pairs:
        ok = p.get("kind") == g["kind"] or p.get("kind") in (g.get("kind_alt") or [])
        rep.section_kinds.add(ok, f"{name}: section {g['quote']!r} kind {p.get('kind')} != {g['kind']}")
    _tally(rep.sections, pairs, missed, extra, name, "section",
           lambda p: f"{p.get('number')}. {p.get('heading')}")

    # legal refs: identity = quote + number + symbol + year + doc_type; dates scored apart
    refs = pred.get("legal_refs") or []

    def ident(g, p):
        return all(p.get(k) == g.get(k) for k in ("doc_type", "number", "year", "symbol"))

    pairs, missed, extra = _match(gold.get("legal_refs", []), refs, ident)
    for g, p in pairs:
        rep.legal_ref_dates.add(p.get("issued_date") == g.get("issued_date"),
                                f"{name}: ref {g['quote']!r} date {p.get('issued_date')} != {g.get('issued_date')}")
    _tally(rep.legal_refs, pairs, missed, extra, name, "legal_ref",
           lambda p: f"{p.get('text')!r} -> {p.get('doc_type')} {p.get('number')} {p.get('year')} {p.get('symbol')}")
    pairs, missed, extra = _match(gold.get("legal_refs", []), refs,
                                  lambda g, p: ident(g, p) and p.get("issued_date") == g.get("issued_date"))
    _tally(rep.legal_refs_strict, pairs, missed, extra, name, "legal_ref", lambda p: p.get("text"))

    # targets
    golds = gold.get("targets", [])
    preds = pred.get("targets") or []
    pairs, missed, extra = _match(golds, preds, lambda g, p: _num_eq(p.get("value"), g["value"]))
    core_pairs = [(g, p) for g, p in pairs if g.get("core", True)]
    noncore_preds = {id(p) for g, p in pairs if not g.get("core", True)}
    # a body answers to its canonical name and to every way the text wrote it
    bodies = {b["id"]: " | ".join([b["name"]] + [m["text"] for m in b.get("mentions") or []])
              for b in pred.get("bodies") or []}
    for g, p in core_pairs:
        ok = _num_eq(p.get("value_max"), g.get("value_max")) and bool(p.get("percent")) == g["percent"] \
            and _cmp(p.get("comparator")) == g["comparator"]
        rep.target_fields.add(ok, f"{name}: target {g['quote']!r} got {p.get('comparator')} "
                                  f"{p.get('value')}-{p.get('value_max')} pct={p.get('percent')}")
        names = [bodies.get(o, "") for o in p.get("owners") or []]
        named = p.get("owner_source") in ("explicit", "heading")
        if g.get("owner"):
            ok = named and any(_name_like(g["owner"], n) for n in names)
        else:
            ok = not named
        rep.owners.add(ok, f"{name}: target {g['quote']!r} owner {p.get('owner_source')}:{names} != {g.get('owner')}")
        if g.get("lead"):
            ok = p.get("owner_source") == "assignment" and any(_name_like(g["lead"], n) for n in names)
            rep.leads.add(ok, f"{name}: target {g['quote']!r} lead {names} != {g['lead']}")
    _tally(rep.targets, core_pairs, [g for g in missed if g.get("core", True)],
           [p for p in extra if id(p) not in noncore_preds], name, "target",
           lambda p: f"{p.get('value')} {p.get('text', '')[:80]!r}")

    # dates: distinct complete values
    full = {}
    for d in pred.get("dates") or []:
        for key in ("start", "end"):
            v = d.get(key)
            if d.get("precision") == "day" and v and len(v) == 10 and not v.startswith("-"):
                full.setdefault(v, []).append(d.get("text") or "")
    seen = set()
    for g in gold.get("dates", []):
        texts = full.get(g["value"], [])
        if any(fold(g["quote"]) in fold(t) for t in texts):
            rep.dates.tp += 1
            seen.add(g["value"])
        else:
            rep.dates.fn += 1
            rep.dates.misses.append(f"{name}: missed date {g['quote']!r} {g['value']}")
    gold_values = {g["value"] for g in gold.get("dates", [])}
    for v in full:
        if v not in gold_values:
            rep.dates.fp += 1
            rep.dates.misses.append(f"{name}: extra date {v} {full[v][0]!r}")


def _cmp(c: str | None) -> str | None:
    return {"gt": "ge", "lt": "le"}.get(c or "", c)


def _tally(score: Score, pairs, missed, extra, name, what, show) -> None:
    score.tp += len(pairs)
    score.fn += len(missed)
    score.fp += len(extra)
    score.misses += [f"{name}: missed {what} {g['quote']!r}" for g in missed]
    score.misses += [f"{name}: extra {what} {show(p)}" for p in extra]


def evaluate(gold_dir: Path, out_dir: Path) -> tuple[Report, list[str]]:
    rep = Report()
    missing = []
    for gpath in sorted(gold_dir.rglob("*.gold.json")):
        gold = json.loads(gpath.read_text(encoding="utf-8"))
        stem = Path(gold["file"]).stem
        ppath = out_dir / f"{stem}.json"
        if not ppath.exists():
            missing.append(gold["file"])
            pred = {}
        else:
            pred = json.loads(ppath.read_text(encoding="utf-8"))
        score_file(gold, pred, rep, stem[:12])
    return rep, missing


def table(rep: Report) -> list[tuple[str, str, str, str, str]]:
    """Rows of (field, precision, recall, F1 / accuracy, n)."""
    rows = []

    def s(label, sc: Score):
        rows.append((label, f"{sc.precision:.3f}", f"{sc.recall:.3f}", f"{sc.f1:.3f}",
                     f"{sc.tp + sc.fn} gold"))

    def a(label, ac: Accuracy):
        rows.append((label, "", "", f"{ac.value:.3f}", f"{ac.right}/{ac.total}"))

    for key, acc in rep.document.items():
        a(f"document.{key}", acc)
    s("sections (top level)", rep.sections)
    a("section kinds", rep.section_kinds)
    s("legal_refs", rep.legal_refs)
    a("legal_ref dates", rep.legal_ref_dates)
    s("legal_refs (with dates)", rep.legal_refs_strict)
    s("dates", rep.dates)
    s("targets", rep.targets)
    a("target comparator/range", rep.target_fields)
    a("target owners", rep.owners)
    a("target leads (assignment)", rep.leads)
    return rows


def all_misses(rep: Report) -> list[str]:
    out = []
    for acc in rep.document.values():
        out += acc.misses
    for part in (rep.sections, rep.section_kinds, rep.legal_refs, rep.legal_ref_dates, rep.dates,
                 rep.targets, rep.target_fields, rep.owners, rep.leads):
        out += part.misses
    return out
