"""The `kehoach` command: a thin shell over the library (pipeline.batch, pipeline.evaluate).

Exit status: 0 all inputs ok or partial, 1 any failed, 2 bad usage.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.table import Table

from . import batch, errlog, evaluate, limits
from .executors import DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT, DaskExecutor, LocalExecutor

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="kehoach: Vietnamese administrative plans -> structured JSON.")
err = Console(stderr=True)


@app.command()
def extract(
    inputs: List[Path] = typer.Argument(..., help="Files or folders (.txt .md .docx .pdf .png .jpg .tif); "
                                        "- reads one document from stdin (format sniffed from the bytes)."),
    out: Optional[Path] = typer.Option(None, "-o", "--out", help="Output folder: one <stem>.json per input, and index.jsonl."),
    to_stdout: bool = typer.Option(False, "--stdout", help="Write JSON Lines (one result per input) to stdout instead of OUTDIR."),
    jobs: Optional[int] = typer.Option(None, "-j", "--jobs", help="Worker processes (default: one per core)."),
    force: bool = typer.Option(False, "--force", help="Redo inputs whose output is already current."),
    executor: str = typer.Option("local", "--executor", help="local (processes here) or dask."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler ADDRESS (implies --executor dask); "
                                            "without it --executor dask starts a LocalCluster."),
    timeout: float = typer.Option(DEFAULT_TIMEOUT, "--timeout", help="Seconds one file may take before it is stopped and marked failed."),
    max_memory: int = typer.Option(DEFAULT_MAX_MEMORY_MB, "--max-memory", help="MB of memory one worker may use (0: no limit)."),
    max_file_mb: Optional[float] = typer.Option(None, "--max-file-mb", help=f"Largest input file, MB (default {limits.DEFAULTS.file_mb:g}; 0: no limit)."),
    max_unzipped_mb: Optional[float] = typer.Option(None, "--max-unzipped-mb", help=f"Largest inflated part of a .docx, MB (default {limits.DEFAULTS.unzipped_mb:g})."),
    max_unzipped_total_mb: Optional[float] = typer.Option(None, "--max-unzipped-total-mb", help=f"Largest inflated total of a .docx, MB (default {limits.DEFAULTS.unzipped_total_mb:g})."),
    max_megapixels: Optional[float] = typer.Option(None, "--max-megapixels", help=f"Largest image or rendered page, millions of pixels (default {limits.DEFAULTS.megapixels:g})."),
    max_pages: Optional[int] = typer.Option(None, "--max-pages", help=f"Most pages of a PDF or frames of a TIFF (default {limits.DEFAULTS.pages})."),
    max_text_chars: Optional[int] = typer.Option(None, "--max-text-chars", help=f"Longest text read from one input, characters (default {limits.DEFAULTS.text_chars})."),
    log_file: Optional[Path] = typer.Option(None, "--log-file", help="Where tracebacks of internal errors go (default OUTDIR/kehoach-errors.log)."),
) -> None:
    """Extract every input into OUTDIR, on every core, resuming where a previous run stopped.

    Example: kehoach extract corpus -o outputs --jobs 2
    Pipe: cat plan.txt | kehoach extract - --stdout | jq .targets
    """
    missing = [str(p) for p in inputs if str(p) != "-" and not p.exists()]
    if missing:
        err.print(f"[red]Không tìm thấy:[/red] {', '.join(missing)}")
        raise typer.Exit(2)
    if (out is None) == (not to_stdout) or [str(p) for p in inputs].count("-") > 1:
        err.print("[red]Give either -o OUTDIR or --stdout (and - at most once)[/red]")
        raise typer.Exit(2)
    if scheduler:
        executor = "dask"
    caps = dict(file_mb=max_file_mb, unzipped_mb=max_unzipped_mb, unzipped_total_mb=max_unzipped_total_mb,
                megapixels=max_megapixels, pages=max_pages, text_chars=max_text_chars)
    if executor not in ("local", "dask") or (jobs is not None and jobs < 1) or timeout <= 0 or max_memory < 0 \
            or any(v is not None and v < 0 for v in caps.values()):
        err.print("[red]--executor is local or dask; --jobs and --timeout must be positive, --max-* not negative[/red]")
        raise typer.Exit(2)
    limits.set_env(**caps)  # the workers inherit the environment
    log_path = (log_file or (out / errlog.NAME if out else errlog.default_path())).resolve()
    if out:
        out.mkdir(parents=True, exist_ok=True)
    os.environ[errlog.ENV] = str(log_path)
    errlog.setup(log_path)
    log_size = errlog.size(log_path)
    if executor == "dask":
        try:
            import distributed  # noqa: F401
        except ImportError:
            err.print("[red]--executor dask needs Dask:[/red] pip install 'kehoach\\[dask]'")
            raise typer.Exit(2)
        runner = DaskExecutor(scheduler, jobs, timeout, max_memory)
    else:
        runner = LocalExecutor(jobs, timeout, max_memory)
    if to_stdout or any(str(p) == "-" for p in inputs):  # pipeline/pipe.py: stdin, JSON Lines
        from . import pipe

        on_outcome, stop = _progress(len(list(batch.walk(p for p in inputs if str(p) != "-"))))
        try:
            raise typer.Exit(pipe.run(inputs, None if to_stdout else out, runner, force, on_outcome))
        finally:
            stop()
    paths = list(batch.walk(inputs))
    on_outcome, stop = _progress(len(paths))
    try:
        summary = batch.run_batch(paths, out, runner, force, on_outcome)
    finally:
        stop()
    skipped = f", {summary.skipped} skipped (already current; --force redoes them)" if summary.skipped else ""
    print(f"{summary.total} files: {summary.ok} ok, {summary.partial} partial, {summary.failed} failed"
          f"{skipped} -> {out}", file=sys.stderr)
    if errlog.size(log_path) > log_size:
        print(f"internal errors were logged with their tracebacks to {log_path}", file=sys.stderr)
    raise typer.Exit(1 if summary.failed else 0)


def _progress(total: int):
    """(callback, stop): a rich bar on a terminal (done, failed, skipped, rate), plain lines otherwise."""
    t0 = time.monotonic()
    if not sys.stderr.isatty():
        def line(entry, s):
            msg = f"[{s.done}/{total}] {'skipped' if entry['skipped'] else entry['status']} {entry['input']}"
            if entry["status"] == "failed" and entry.get("error"):
                msg += f": {entry['error']}"
            print(msg, file=sys.stderr, flush=True)
        return line, lambda: None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    progress = Progress(TextColumn("[bold]extract"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.fields[failed]} failed, {task.fields[skipped]} skipped, "
                                   "{task.fields[rate]:.1f} files/s"),
                        TimeRemainingColumn(), console=err)
    task = progress.add_task("extract", total=total, failed=0, skipped=0, rate=0.0)
    progress.start()

    def bar(entry, s):
        rate = s.done / max(time.monotonic() - t0, 1e-6)
        progress.update(task, completed=s.done, failed=s.failed, skipped=s.skipped, rate=rate)
        if entry["status"] == "failed":
            progress.console.print(f"[red]failed[/red] {entry['input']}: {entry.get('error')}")
    return bar, progress.stop


@app.command("eval")
def eval_cmd(
    outdir: Path = typer.Argument(..., help="Folder of result JSON files."),
    gold: Path = typer.Option(..., "--gold", help="Folder of *.gold.json files (GOLD.md)."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="List every miss."),
    markdown: bool = typer.Option(False, "--markdown", help="Print the table as Markdown."),
) -> None:
    """Score results against gold files: precision, recall, F1 per field.

    Example: kehoach eval --gold tests/gold outputs
    """
    if not gold.is_dir() or not outdir.is_dir():
        err.print("[red]--gold and OUTDIR must be folders[/red]")
        raise typer.Exit(2)
    rep, missing = evaluate.evaluate(gold, outdir)
    rows = evaluate.table(rep)
    if markdown:
        print("| field | precision | recall | F1 / accuracy | n |")
        print("|---|---:|---:|---:|---:|")
        for r in rows:
            print("| " + " | ".join(r) + " |")
    else:
        t = Table(title=f"kehoach eval: {rep.files} gold files")
        for col in ("field", "precision", "recall", "F1 / accuracy", "n"):
            t.add_column(col, justify="left" if col == "field" else "right")
        for r in rows:
            t.add_row(*r)
        Console().print(t)
    if missing:
        err.print(f"[yellow]no output for {len(missing)} gold file(s):[/yellow] {', '.join(missing)}")
    if verbose:
        for line in evaluate.all_misses(rep):
            print(line)


@app.command()
def schema(out: Optional[Path] = typer.Option(None, "-o", help="Write here instead of stdout.")) -> None:
    """Print (or write) the JSON Schema of one result, generated from the models.

    Example: kehoach schema -o schemas/plan.schema.json
    """
    from .schema import schema_json

    text = schema_json()
    if out:
        out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


@app.command()
def catalogue(
    inputs: List[Path] = typer.Argument(..., help="Result folders or JSON files from `kehoach extract`."),
    db: Path = typer.Option(..., "--db", help="The SQLite catalogue to create or update."),
) -> None:
    """Load results into a SQLite catalogue (re-adding a plan replaces it).

    Example: kehoach catalogue outputs --db outputs/catalogue.sqlite
    """
    from .export import catalogue as cat

    missing = [str(p) for p in inputs if not p.exists()]
    if missing:
        err.print(f"[red]Không tìm thấy:[/red] {', '.join(missing)}")
        raise typer.Exit(2)
    try:
        conn = cat.connect(db)
        rep = cat.load(conn, inputs)
    except cat.CatalogueError as e:
        err.print(f"[red]{e}[/red]")
        raise typer.Exit(2)
    for path, why in rep.skipped:
        print(f"skipped {path}: {why}", file=sys.stderr)
    if not (rep.added or rep.replaced or rep.unchanged or rep.skipped):
        err.print("[yellow]Không có tệp kết quả (*.json) nào; chạy trước: kehoach extract INPUT -o OUTDIR[/yellow]")
    total = conn.execute("SELECT count(*) FROM plans").fetchone()[0]
    print(f"{rep.added} added, {rep.replaced} replaced, {rep.unchanged} unchanged, "
          f"{len(rep.skipped)} skipped -> {db} ({total} plans)", file=sys.stderr)


@app.command()
def search(
    query: str = typer.Argument("", help='Words, "phrases", prefix*, a OR b, -excluded.'),
    db: Path = typer.Option(..., "--db", help="The catalogue (kehoach catalogue)."),
    issuer: Optional[str] = typer.Option(None, "--issuer", help="Part of an issuer's name."),
    year: Optional[int] = typer.Option(None, "--year", help="Year of issue."),
    doc_type: Optional[str] = typer.Option(None, "--doc-type", help='"Kế hoạch", "Quyết định", …'),
    section: Optional[str] = typer.Option(None, "--section", help="Search only in sections of this kind "
                                          "(purpose, requirements, targets, content, schedule, "
                                          "organization, funding, other)."),
    cites: Optional[str] = typer.Option(None, "--cites", help="Plans citing NUMBER/SYMBOL, e.g. 2763/QĐ-UBND."),
    limit: int = typer.Option(20, "--limit", "-n", help="How many plans to show."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON list instead of a table."),
) -> None:
    """Search the catalogue: no diacritics in the query matches any diacritics.

    Example: kehoach search "thanh nien khoi nghiep" --db outputs/catalogue.sqlite --year 2018
    """
    import json as _json
    from dataclasses import asdict

    from rich.markup import escape
    from .export import catalogue as cat, fts, search as srch

    try:
        conn = cat.connect(db, readonly=True)
        res = srch.search(conn, query, srch.Filters(issuer=issuer, year=year, doc_type=doc_type,
                                                    section=section, cites=cites), limit=limit)
    except (fts.QueryError, cat.CatalogueError) as e:
        err.print(f"[red]{escape(str(e))}[/red]")
        raise typer.Exit(2)
    if as_json:
        print(_json.dumps([asdict(h) for h in res.hits], ensure_ascii=False, indent=1))
        return
    t = Table(title=f"{res.total} kế hoạch", show_lines=True)
    for col in ("#", "số / ký hiệu", "ngày", "cơ quan ban hành", "trích yếu", "trích đoạn"):
        t.add_column(col, overflow="fold")
    for i, h in enumerate(res.hits, 1):
        snip = "".join(f"[bold yellow]{escape(s)}[/bold yellow]" if hit else escape(s)
                       for s, hit in h.snippet_parts)
        num = "/".join(x for x in (h.number, h.symbol) if x)
        t.add_row(str(i), escape(num), h.issued_date or "", escape(h.issuer or ""),
                  escape(h.title or h.file), snip)
    Console().print(t)


@app.command()
def serve(
    db: Path = typer.Option(..., "--db", help="The catalogue (kehoach catalogue)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (local only by default)."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    allow_extract: bool = typer.Option(False, "--allow-extract", help="Also answer POST /api/extract: "
                                       "one uploaded file -> its result JSON (off by default)."),
    max_upload_mb: float = typer.Option(50.0, "--max-upload-mb", help="Largest upload for /api/extract (HTTP 413 above)."),
) -> None:
    """Serve the read-only search pages and JSON API (/api/) for a catalogue.

    Example: kehoach serve --db outputs/catalogue.sqlite --port 8000 [--allow-extract]
    """
    from .export import catalogue as cat
    from .web import server

    extractor = None
    if allow_extract:
        from .web.extract_api import Extractor
        extractor = Extractor(max_upload_mb=max_upload_mb)
    try:
        httpd = server.make_server(db, host, port, extractor)
    except (cat.CatalogueError, OSError) as e:
        err.print(f"[red]{e}[/red]")
        raise typer.Exit(2)
    print(f"kehoach: http://{host}:{httpd.server_address[1]}/ (Ctrl-C to stop)", file=sys.stderr)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()


@app.command()
def audit(
    outdirs: List[Path] = typer.Argument(..., help="Folders (or files) of result JSON."),
    out: Path = typer.Option(..., "-o", "--out", help="Folder for the audit CSV files and audit.html."),
) -> None:
    """Audit targets across plans: no owner, no deadline, not measurable (CSV + HTML).

    Example: kehoach audit outputs -o outputs
    """
    from .export.audit import write_audit

    missing = [str(p) for p in outdirs if not p.exists()]
    if missing:
        err.print(f"[red]Không tìm thấy:[/red] {', '.join(missing)}")
        raise typer.Exit(2)
    counts = write_audit(outdirs, out)
    print(f"{counts['plans']} plans: {counts['unowned']} targets without owner, {counts['no_deadline']} "
          f"without deadline, {counts['not_measurable']} not measurable -> {out}", file=sys.stderr)


@app.command("export")
def export_cmd(
    inputs: List[Path] = typer.Argument(..., help="Result folders or JSON files from `kehoach extract`."),
    fmt: str = typer.Option("csv", "--format", "-f", help="csv (UTF-8 with BOM), jsonl or parquet (needs pyarrow)."),
    out: Path = typer.Option(..., "-o", "--out", help="Folder for plans, sections, targets, dates, legal_refs, bodies, assignments."),
    with_text: bool = typer.Option(False, "--text", help="Add each plan's full text to the plans table."),
) -> None:
    """Export results as flat tables with stable keys, one file per kind of fact.

    Example: kehoach export outputs --format csv -o outputs/tables
    """
    from .export import flat, writers

    missing = [str(p) for p in inputs if not p.exists()]
    if missing:
        err.print(f"[red]Không tìm thấy:[/red] {', '.join(missing)}")
        raise typer.Exit(2)
    try:
        rep = flat.export(inputs, fmt, out, with_text)
    except writers.ExportError as e:
        from rich.markup import escape

        err.print(f"[red]{escape(str(e))}[/red]")
        raise typer.Exit(2)
    for path, why in rep.skipped:
        print(f"skipped {path}: {why}", file=sys.stderr)
    counts = ", ".join(f"{n} {t}" for t, n in rep.rows.items() if t != "plans")
    print(f"{rep.plans} plans ({counts}), {len(rep.skipped)} skipped -> {out}", file=sys.stderr)


if __name__ == "__main__":
    app()
