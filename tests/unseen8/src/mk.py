import json, sys
def T(q, v, cmp="eq", pct=False, owner=None, core=True, vmax=None):
    return {"quote": q, "value": v, "value_max": vmax, "percent": pct, "comparator": cmp, "owner": owner, "core": core}
def R(q, dt, num, year, sym, date=None):
    return {"quote": q, "doc_type": dt, "number": num, "year": year, "symbol": sym, "issued_date": date}
def S(q, n, k, alt=None):
    d = {"quote": q, "number": n, "kind": k}
    if alt: d["kind_alt"] = alt
    return d
def D(q, v): return {"quote": q, "value": v}
def write(stem, file, document, refs, sections, targets, dates):
    g = {"file": file, "document": document, "legal_refs": refs, "sections": sections, "targets": targets, "dates": dates}
    open(f"/work/main/tests/unseen8/gold/{stem}.gold.json", "w", encoding="utf-8").write(json.dumps(g, ensure_ascii=False, indent=2) + "\n")
