"""Pydantic models of the output contract (../shared/CONTRACT.md).

Every stage produces or consumes these types; `schemas/plan.schema.json` is generated from
`DocumentResult`. Field names are English; values quoted from a document stay Vietnamese.
A span is `[start, end]` into `DocumentResult.text`, and `text[start:end] == item.text`.
"""
from __future__ import annotations

from typing import Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1"
SCHEMA_ID = f"https://kehoach.example/schemas/plan.schema.v{SCHEMA_VERSION}.json"

Span = tuple[int, int]
Status = Literal["ok", "partial", "failed"]
SectionKind = Literal["purpose", "requirements", "targets", "content", "schedule",
                      "organization", "funding", "other"]
Comparator = Literal["eq", "ge", "gt", "le", "lt", "range"]
OwnerSource = Literal["explicit", "heading", "assignment", "issuer"]
DateKind = Literal["date", "range", "period", "deadline", "recurring"]
Precision = Literal["day", "month", "quarter", "year"]
RefRole = Literal["basis", "mention"]
AssignmentRole = Literal["lead", "coordinate", "report"]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Error(Model):
    """A problem met while processing; warnings carry codes starting with `warn_`."""
    stage: str
    code: str
    message: str


class PageInfo(Model):
    """One page of a paged source: where it starts in `text` and how it was read."""
    number: int
    start: int
    end: int
    reader: str


class Source(Model):
    path: str
    sha256: str
    format: str
    pages: Optional[int] = None
    ocr: bool = False
    encoding: Optional[str] = None
    page_info: list[PageInfo] = Field(default_factory=list)


class Issuer(Model):
    name: str
    span: Span


class Period(Model):
    start_year: Optional[int] = None
    end_year: Optional[int] = None


class Signer(Model):
    authority: Optional[str] = None
    title: Optional[str] = None
    name: Optional[str] = None


class Document(Model):
    doc_type: Optional[str] = None
    number: Optional[str] = None
    year: Optional[int] = None
    symbol: Optional[str] = None
    issued_date: Optional[str] = None
    place: Optional[str] = None
    issuers: list[Issuer] = Field(default_factory=list)
    title: Optional[str] = None
    period: Optional[Period] = None
    signers: list[Signer] = Field(default_factory=list)
    recipients: list[str] = Field(default_factory=list)


class Section(Model):
    id: str
    parent_id: Optional[str] = None
    level: int
    number: Optional[str] = None
    heading: str
    kind: SectionKind
    span: Span
    text: str = ""  # the heading as written, label included: "III- CHỈ TIÊU", "**I. MỤC\nĐÍCH**"


class Mention(Model):
    text: str
    span: Span


class Body(Model):
    id: str
    name: str
    mentions: list[Mention] = Field(default_factory=list)


class Target(Model):
    id: str
    text: str
    span: Span
    section_id: Optional[str] = None
    value: Union[int, float]  # "8.000" -> 8000, "1,3" -> 1.3
    value_max: Optional[Union[int, float]] = None
    unit: Optional[str] = None
    percent: bool = False
    comparator: Comparator = "eq"
    indicator: Optional[str] = None
    deadline: Optional[str] = None
    frequency: Optional[str] = None
    baseline: Optional[str] = None
    owners: list[str] = Field(default_factory=list)
    owner_source: Optional[OwnerSource] = None
    number_span: Optional[Span] = None


class DateRef(Model):
    id: str
    text: str
    span: Span
    kind: DateKind
    start: Optional[str] = None
    end: Optional[str] = None
    precision: Precision


class LegalRef(Model):
    id: str
    text: str
    span: Span
    doc_type: Optional[str] = None
    number: Optional[str] = None
    year: Optional[int] = None
    symbol: Optional[str] = None
    issued_date: Optional[str] = None
    issuer: Optional[str] = None
    subject: Optional[str] = None
    role: RefRole = "mention"
    cited_spans: list[Span] = Field(default_factory=list)


class Assignment(Model):
    id: str
    body_id: str
    role: AssignmentRole
    text: str
    span: Span
    section_id: Optional[str] = None


class DocumentResult(Model):
    """One input file's result: the whole contract of CONTRACT.md."""
    model_config = ConfigDict(extra="forbid", json_schema_extra={"$id": SCHEMA_ID})

    schema_version: Literal["1"] = SCHEMA_VERSION
    pipeline_version: str = ""
    status: Status = "ok"
    errors: list[Error] = Field(default_factory=list)
    source: Source
    text: str = ""
    document: Document = Field(default_factory=Document)
    sections: list[Section] = Field(default_factory=list)
    bodies: list[Body] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    dates: list[DateRef] = Field(default_factory=list)
    legal_refs: list[LegalRef] = Field(default_factory=list)
    assignments: list[Assignment] = Field(default_factory=list)
