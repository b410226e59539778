"""``matcher classify``: suggest need categories for free-text descriptions; retrain the model.

``matcher classify TEXT... [--json]`` and ``matcher classify --file texts.txt [--json]``
classify (the hidden default subcommand ``predict``); ``matcher classify train`` retrains
from the synthetic corpus and rewrites the shipped artefact. A first word that names a
subcommand (``train``, ``predict``) is the subcommand; to classify the literal word
"train", write ``matcher classify -- train``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from matcher.classifier.corpus import DEFAULT_PER_CATEGORY, DEFAULT_SEED
from matcher.cli.app import app, fail

DEFAULT_COMMAND = "predict"


class ClassifyGroup(TyperGroup):
    """A group whose arguments go to ``predict`` unless they start with a subcommand."""

    # ``ctx`` is Typer's vendored click Context (a private module, hence Any here).
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        commands = set(self.list_commands(ctx))
        help_options = set(ctx.help_option_names)
        if not args or (args[0] not in commands and args[0] not in help_options):
            args = [DEFAULT_COMMAND, *args]
        return super().parse_args(ctx, args)


classify_app = typer.Typer(
    cls=ClassifyGroup,
    help=(
        "Saran kategori kebutuhan dari teks bebas: matcher classify TEKS... [--json], "
        "matcher classify --file teks.txt --json, matcher classify train."
    ),
    no_args_is_help=False,
)
app.add_typer(classify_app, name="classify")


def _read_texts(texts: list[str], file: Path | None) -> list[str]:
    collected = list(texts)
    if file is not None:
        if str(file) == "-":
            content = sys.stdin.read()
        else:
            if not file.is_file():
                raise fail(f"berkas tidak ditemukan: {file}")
            try:
                content = file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                raise fail(f"berkas tidak bisa dibaca ({file}): {error}") from None
        lines = [line.strip() for line in content.splitlines()]
        from_file = [line for line in lines if line]
        if not from_file:
            raise fail(f"berkas kosong: {file}")
        collected.extend(from_file)
    if not collected:
        raise fail("tidak ada teks untuk diklasifikasikan: beri TEKS atau --file")
    if any(not text.strip() for text in collected):
        raise fail("teks kosong tidak bisa diklasifikasikan")
    return collected


def _percent(probability: float) -> str:
    return f"{probability * 100:.1f}%".replace(".", ",")


@classify_app.command(DEFAULT_COMMAND)
def predict(
    texts: Annotated[
        list[str] | None, typer.Argument(help="Deskripsi kebutuhan, satu teks per argumen")
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option("--file", "-f", help="Berkas teks, satu deskripsi per baris ('-': stdin)"),
    ] = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="Satu objek JSON per teks (JSON Lines)")
    ] = False,
    top: Annotated[int, typer.Option(help="Jumlah kategori teratas", min=1, max=16)] = 3,
) -> None:
    """Classify TEXT... (or the lines of --file) into the most probable categories."""
    collected = _read_texts(texts or [], file)
    from matcher.classifier.model import ArtefactError
    from matcher.classifier.service import get_classifier

    try:
        classifier = get_classifier()
    except ArtefactError as error:
        raise fail(str(error), code=1) from None
    results = classifier.classify(collected, k=top)
    if json_output:
        for result in results:
            typer.echo(json.dumps(result.to_dict(), ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Saran kategori kebutuhan", show_lines=True)
    table.add_column("Teks", overflow="fold", max_width=48)
    for rank in range(1, top + 1):
        table.add_column(f"Kategori {rank}")
    table.add_column("Jumlah", no_wrap=True)
    for result in results:
        cells: list[Any] = [result.text]
        cells.extend(
            f"{score.name_id} ({score.category})\n{_percent(score.probability)}"
            for score in result.top
        )
        quantity = result.quantity
        cells.append(
            "-"
            if quantity is None
            else f"{_number(quantity.value)} {quantity.unit or ''}".strip() + f"\n({quantity.raw})"
        )
        table.add_row(*cells)
    console = Console()
    if console.width < 140:
        console = Console(width=140)
    console.print(table)


def _number(value: float) -> str:
    """Indonesian writing: 2000 -> 2.000, 1.5 -> 1,5."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    whole, fraction = f"{value:.3f}".rstrip("0").split(".")
    return f"{int(whole):,}".replace(",", ".") + "," + fraction


@classify_app.command("train")
def train(
    seed: Annotated[int, typer.Option(help="Seed of the synthetic corpus")] = DEFAULT_SEED,
    per_category: Annotated[
        int, typer.Option(help="Training examples per category", min=50)
    ] = DEFAULT_PER_CATEGORY,
    output_dir: Annotated[
        Path | None,
        typer.Option(
            "--output-dir",
            help="Where to write the artefact (default: the package, matcher/data/classifier)",
            file_okay=False,
        ),
    ] = None,
    show_errors: Annotated[
        bool, typer.Option("--errors", help="List the held-out texts classified wrongly")
    ] = False,
) -> None:
    """Retrain from the synthetic corpus, evaluate on the held-out set, write the artefact."""
    from rich.console import Console
    from rich.table import Table

    from matcher.classifier.heldout import load_heldout
    from matcher.classifier.model import save
    from matcher.classifier.model import train as train_model
    from matcher.classifier.service import clear_classifier_cache

    console = Console()
    heldout = load_heldout()
    with console.status("Melatih model kategori..."):
        model, evaluation = train_model(heldout=heldout, seed=seed, per_category=per_category)
    model_path, meta_path = save(model, output_dir)
    clear_classifier_cache()
    meta = model.metadata
    table = Table(title=f"Model kategori v{meta.model_version}")
    table.add_column("Ukuran")
    table.add_column("Nilai", justify="right")
    table.add_row("Korpus latih (sintetis)", f"{meta.corpus_size} teks")
    table.add_row("Set uji (held-out)", f"{evaluation.size} teks")
    table.add_row("Akurasi top-1", _percent(evaluation.top1))
    table.add_row("Akurasi top-3", _percent(evaluation.top3))
    table.add_row("Waktu latih", f"{meta.train_seconds:.1f} s")
    table.add_row("Artefak", f"{model_path} ({model_path.stat().st_size / 1e6:.2f} MB)")
    table.add_row("Metadata", str(meta_path))
    console.print(table)
    if show_errors and evaluation.errors:
        errors = Table(title="Salah klasifikasi (top-1)")
        for column in ("Teks", "Seharusnya", "Prediksi top-3"):
            errors.add_column(column, overflow="fold")
        for text, expected, predicted in evaluation.errors:
            errors.add_row(text, expected, ", ".join(predicted))
        console.print(errors)
