"""Results -> flat tables (plans, sections, targets, dates, legal_refs, bodies, assignments).

Why generated: the columns come from walking the pydantic models (pipeline/models.py), so a
field added to the contract appears in every export, and in the README table
(`python -m pipeline.export.tables`, checked by a test), without being written twice.

Flattening rules: a nested model becomes prefixed columns (`source_path`, `period_end_year`;
the `document` header is flattened without prefix); a span becomes `start`/`end` (`number_span`
-> `number_start`/`number_end`); a list of strings, or of models (by a label field), becomes
one `;`-joined string (a `;` inside a value becomes `,`); a list of spans `start-end;start-end`.

Keys: `plan_key` is the first 16 hex digits of the source's sha256 (the content hash: the same
bytes give the same key wherever the file lies); an item's `key` is `<plan key>:<item id>`.
Every reference to another item gets a key column beside it: `section_key`, `parent_key`,
`body_key`, `owner_keys` (`;`-joined), so the tables join without knowing the id scheme.
"""
from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from typing import Any, Callable, Literal, Union

from pydantic import BaseModel

from ..models import (Assignment, Body, DateRef, DocumentResult, Error, Issuer, LegalRef, Mention,
                      Section, Signer, Source, Target)

KEY_HEX = 16
SEP = ";"
DATE_FIELDS = {"issued_date"}  # always a full ISO day when present; typed as dates in Parquet
LABELS = {Error: "code", Issuer: "name", Signer: "name", Mention: "text"}  # list of models -> these
# the plan's full text is big (opt in with --text); page_info is per page, not per plan
SKIP = {(DocumentResult, "text"), (Source, "page_info")}
RENAME = {(DateRef, "start"): "date_start", (DateRef, "end"): "date_end"}  # not the span's start/end
REFS = {"section_id": "section_key", "parent_id": "parent_key", "body_id": "body_key",
        "owners": "owner_keys"}
# (table, model, attribute of DocumentResult, one row per)
TABLES: list[tuple[str, type[BaseModel], str | None, str]] = [
    ("plans", DocumentResult, None, "result file (one plan)"),
    ("sections", Section, "sections", "section of the plan's outline"),
    ("targets", Target, "targets", "numeric target"),
    ("dates", DateRef, "dates", "date expression"),
    ("legal_refs", LegalRef, "legal_refs", "cited document"),
    ("bodies", Body, "bodies", "responsible body"),
    ("assignments", Assignment, "assignments", "task given to a body"),
]

FACT_LISTS = {attr for _, _, attr, _ in TABLES if attr}  # tables of their own, not plan columns
Getter = Callable[[Any, str], Any]  # (item, plan key) -> value


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # str | int | float | bool | date
    get: Getter


def plan_key(res: DocumentResult) -> str | None:
    return res.source.sha256[:KEY_HEX] or None


def _unwrap(ann):
    """Optional[X] -> X; a number that may be whole or not (int | float) -> float."""
    if typing.get_origin(ann) in (Union, types.UnionType):
        args = [a for a in typing.get_args(ann) if a is not type(None)]
        if len(args) == 1:
            return args[0]
        if set(args) == {int, float}:
            return float
        inner = [_unwrap(a) for a in args]
        if set(inner) == {float}:
            return float
    return ann


def _is_span(ann) -> bool:
    return typing.get_origin(ann) is tuple and typing.get_args(ann) == (int, int)


def _is_model(ann) -> bool:
    return isinstance(ann, type) and issubclass(ann, BaseModel)


def _scalar_type(name: str, ann) -> str:
    if typing.get_origin(ann) is Literal:
        return "str"
    if ann is str:
        return "date" if name in DATE_FIELDS else "str"
    return {int: "int", float: "float", bool: "bool"}[ann]


def _clean(v) -> str:
    return str(v).replace(SEP, ",")


def _path(get: Getter, attr: str) -> Getter:
    def g(obj, pk):
        parent = get(obj, pk)
        return None if parent is None else getattr(parent, attr)
    return g


def _columns(model: type[BaseModel], prefix: str = "", get: Getter = lambda o, pk: o) -> list[Column]:
    cols: list[Column] = []
    for name, field in model.model_fields.items():
        ann = _unwrap(field.annotation)
        origin, args = typing.get_origin(ann), typing.get_args(ann)
        if (model, name) in SKIP:
            continue
        g = _path(get, name)
        col = prefix + RENAME.get((model, name), name)
        if _is_span(ann):
            base = "" if name == "span" else prefix + name.removesuffix("span")
            cols += [Column(base + "start", "int", lambda o, pk, g=g: (g(o, pk) or (None,))[0]),
                     Column(base + "end", "int", lambda o, pk, g=g: (g(o, pk) or (None, None))[1])]
        elif _is_model(ann):
            cols += _columns(ann, "" if name == "document" else col + "_", g)
        elif origin is list:
            if model is DocumentResult and name in FACT_LISTS:
                continue
            item = args[0]
            if _is_span(item):
                cols.append(Column(col, "str", lambda o, pk, g=g: SEP.join(f"{s}-{e}" for s, e in g(o, pk))))
            elif _is_model(item):
                label = LABELS[item]
                cols.append(Column(col, "str", lambda o, pk, g=g, lb=label: SEP.join(
                    _clean(getattr(x, lb)) for x in g(o, pk) if getattr(x, lb) is not None)))
                if "span" in item.model_fields:
                    cols.append(Column(col + "_spans", "str", lambda o, pk, g=g: SEP.join(
                        f"{x.span[0]}-{x.span[1]}" for x in g(o, pk))))
            else:
                cols.append(Column(col, "str", lambda o, pk, g=g: SEP.join(_clean(x) for x in g(o, pk))))
        else:
            cols.append(Column(col, _scalar_type(name, ann), g))
        if name in REFS:
            cols.append(Column(REFS[name], "str", _ref_key(g, many=origin is list)))
    return cols


def _ref_key(g: Getter, many: bool) -> Getter:
    if many:
        return lambda o, pk: SEP.join(f"{pk}:{i}" for i in g(o, pk))
    return lambda o, pk: None if g(o, pk) is None else f"{pk}:{g(o, pk)}"


def table_columns(with_text: bool = False) -> dict[str, list[Column]]:
    """{table: its columns, in order}; every table starts with its keys."""
    out: dict[str, list[Column]] = {}
    for table, model, attr, _ in TABLES:
        cols = _columns(model)
        if attr is None:
            keys = [Column("plan_key", "str", lambda o, pk: pk)]
            if with_text:
                cols.append(Column("text", "str", lambda o, pk: o.text))
        else:
            keys = [Column("key", "str", lambda o, pk: f"{pk}:{o.id}"),
                    Column("plan_key", "str", lambda o, pk: pk)]
        out[table] = keys + cols
    return out


def rows(res: DocumentResult, columns: dict[str, list[Column]]) -> dict[str, list[dict]]:
    """One result -> {table: rows}; each row a dict in column order (None for null)."""
    pk = plan_key(res)
    out: dict[str, list[dict]] = {}
    for table, _, attr, _ in TABLES:
        items = [res] if attr is None else getattr(res, attr)
        out[table] = [{c.name: c.get(x, pk) for c in columns[table]} for x in items]
    return out


def markdown() -> str:
    """The README's column reference, generated (a test checks the README holds this text)."""
    lines = ["| table | one row per | columns (type) |", "|---|---|---|"]
    cols = table_columns(with_text=True)
    for table, _, _, per in TABLES:
        spec = ", ".join(f"`{c.name}`" + ("" if c.type == "str" else f" ({c.type})")
                         + (" (with `--text`)" if (table, c.name) == ("plans", "text") else "")
                         for c in cols[table])
        lines.append(f"| `{table}` | {per} | {spec} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
