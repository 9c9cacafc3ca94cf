"""The plan's text as HTML with every extracted fact marked and linked to its list entry.

Why segments: facts overlap (a date inside a legal reference inside a target), and links
cannot nest, so the text is cut at every fact boundary; each piece becomes one link to the
innermost fact covering it, with a class for every kind covering it. Every piece of text
goes through markupsafe.escape, so a plan containing `<script>` shows it as text.
"""
from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

KIND_LABELS = {"target": "Chỉ tiêu", "date": "Thời gian", "legal": "Văn bản dẫn chiếu",
               "body": "Cơ quan", "assignment": "Phân công"}


@dataclass
class Fact:
    start: int
    end: int
    kind: str     # a key of KIND_LABELS
    anchor: str   # id of the list entry, e.g. "target-t3"


def facts_of(plan: dict) -> list[Fact]:
    out = [Fact(t["start"], t["end"], "target", f"target-{t['id']}") for t in plan["targets"]]
    out += [Fact(d["start"], d["end"], "date", f"date-{d['id']}") for d in plan["dates"]]
    out += [Fact(r["start"], r["end"], "legal", f"legal-{r['id']}") for r in plan["legal_refs"]]
    out += [Fact(r_a, r_b, "legal", f"legal-{r['id']}")
            for r in plan["legal_refs"] for r_a, r_b in r["cited_spans"]]
    out += [Fact(m["start"], m["end"], "body", f"body-{b['id']}")
            for b in plan["bodies"] for m in b["mentions"]]
    out += [Fact(a["start"], a["end"], "assignment", f"assignment-{a['id']}") for a in plan["assignments"]]
    n = len(plan["text"])
    return [f for f in out if 0 <= f.start < f.end <= n]


def render(text: str, facts: list[Fact]) -> Markup:
    """HTML for `text` with `facts` marked; the first piece of each fact carries id 'at-<anchor>'."""
    cuts = sorted({0, len(text), *(f.start for f in facts), *(f.end for f in facts)})
    starts: dict[int, list[Fact]] = {}
    for f in facts:
        starts.setdefault(f.start, []).append(f)
    active: list[Fact] = []
    html: list[str] = []
    seen: set[str] = set()
    for a, b in zip(cuts, cuts[1:]):
        active = [f for f in active if f.end > a] + starts.get(a, [])
        piece = escape(text[a:b])
        for f in starts.get(a, []):
            if f.anchor not in seen:
                seen.add(f.anchor)
                html.append(f'<span class="at" id="at-{escape(f.anchor)}"></span>')
        if not active:
            html.append(str(piece))
            continue
        inner = min(active, key=lambda f: (f.end - f.start, f.kind))
        kinds = sorted({f.kind for f in active})
        classes = " ".join(f"k-{k}" for k in kinds)
        title = ", ".join(KIND_LABELS[k] for k in kinds)
        html.append(f'<a class="fact {classes} in-{inner.kind}" href="#{escape(inner.anchor)}" '
                    f'title="{escape(title)}">{piece}</a>')
    return Markup("".join(html))
