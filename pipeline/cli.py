"""The `kehoach` command: a thin shell over the library (pipeline.batch, pipeline.evaluate).

Exit status: 0 all inputs ok or partial, 1 any failed, 2 bad usage.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.table import Table

from . import batch, evaluate

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="kehoach: Vietnamese administrative plans -> structured JSON.")
err = Console(stderr=True)


@app.command()
def extract(
    inputs: List[Path] = typer.Argument(..., help="Files or folders (.txt .md .docx .pdf .png .jpg .tif)."),
    out: Path = typer.Option(..., "-o", "--out", help="Output folder: one <stem>.json per input."),
) -> None:
    """Extract every input into OUTDIR.

    Example: kehoach extract corpus -o outputs
    """
    missing = [str(p) for p in inputs if not p.exists()]
    if missing:
        err.print(f"[red]Không tìm thấy:[/red] {', '.join(missing)}")
        raise typer.Exit(2)
    paths = list(batch.walk(inputs))
    total = len(paths)
    tty = sys.stderr.isatty()

    if tty:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        progress = Progress(TextColumn("[bold]extract"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.fields[failed]} failed"), TimeRemainingColumn(), console=err)
        task = progress.add_task("extract", total=total, failed=0)
        state = {"failed": 0}

        def on_result(path, result):
            state["failed"] += result.status == "failed"
            progress.update(task, advance=1, failed=state["failed"])
            if result.status == "failed":
                progress.console.print(f"[red]failed[/red] {path}: {result.errors[0].message}")

        with progress:
            summary = batch.run_batch(paths, out, on_result)
    else:
        count = {"n": 0}

        def on_result(path, result):
            count["n"] += 1
            line = f"[{count['n']}/{total}] {result.status} {path}"
            if result.status == "failed":
                line += f": {result.errors[0].message}"
            print(line, file=sys.stderr)

        summary = batch.run_batch(paths, out, on_result)
    print(f"{summary.done} files, {summary.failed} failed, {summary.partial} partial -> {out}",
          file=sys.stderr)
    raise typer.Exit(1 if summary.failed else 0)


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


if __name__ == "__main__":
    app()
