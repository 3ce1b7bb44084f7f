"""`thematica assist`: assisted coding that runs on this machine, and how good it is."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import click

from thematica.cli.app import cli, common_options
from thematica.cli.output import Options, emit, progress_bar, table

_MODEL_HELP = (
    "minilm (the packaged all-MiniLM-L6-v2), lexical (TF-IDF, no model), or a local "
    "sentence-transformers model's folder [default: minilm when installed, else lexical]."
)


@cli.group()
def assist() -> None:
    """Assisted coding with a local model: nothing leaves the machine, nothing is applied
    without a person.

    `thematica assist evaluate` says how good the suggestions are against people's labels.
    """


def _figure(value: Any) -> str:
    return (
        ""
        if value is None or (isinstance(value, float) and math.isnan(value))
        else (f"{value:.3f}" if isinstance(value, float) else str(value))
    )


def _print_scores(title: str, data: dict[str, Any]) -> None:
    rows = [
        [s["label"], *(_figure(s[k]) for k in ("precision", "recall", "f1", "kappa", "support"))]
        for s in data["labels"]
    ]
    rows.append(["macro-F1", "", "", _figure(data["macro_f1"]), "", ""])
    table(["label", "precision", "recall", "F1", "kappa", "support"], rows, title=title)


@assist.command()
@click.option(
    "--train",
    type=click.Path(path_type=Path),
    metavar="A.csv",
    help="Labelled table to learn from.",
)
@click.option(
    "--test", type=click.Path(path_type=Path), metavar="B.csv", help="Labelled table to judge on."
)
@click.option("--text-column", metavar="COL", help="The column holding each unit's text.")
@click.option(
    "--labels",
    multiple=True,
    metavar="NAME",
    help="A 0/1 column per label (repeat for each; names may hold commas).",
)
@click.option(
    "--label-column", metavar="COL", help='One column holding each unit\'s codes, separated by ";".'
)
@click.option("--coder", metavar="NAME", help="Cross-validate against this coder of the study.")
@click.option(
    "--folds", type=click.IntRange(min=2), default=5, show_default=True, help="With --coder."
)
@click.option("--model", metavar="MODEL", help=_MODEL_HELP)
@common_options
@click.pass_obj
def evaluate(
    options: Options,
    coder: str | None,
    folds: int,
    train: Path | None,
    test: Path | None,
    text_column: str | None,
    labels: tuple[str, ...],
    label_column: str | None,
    model: str | None,
) -> None:
    """Judge suggestions against people's labels: per-label precision, recall, F1, kappa and
    support, and macro-F1, beside a TF-IDF + logistic-regression baseline from the same run.

    Against a coder of the study: --coder NAME [--folds 5], cross-validated on the sentences of
    the documents they coded, with a learning curve at 5, 10, 20 and 50 examples per code.
    On tables from elsewhere: --train A.csv --test B.csv --text-column COL with --labels NAME
    (repeated) or --label-column COL.
    """
    from thematica.services.assist import evaluate_tables

    if coder is not None:
        if train or test or text_column or labels or label_column:
            raise click.UsageError("--coder evaluates on the study; leave out the table options")
        _evaluate_coder(options, coder, folds, model)
        return
    if train is None or test is None or text_column is None:
        raise click.UsageError("give --train, --test and --text-column")
    if bool(labels) == (label_column is not None):
        raise click.UsageError("give either --labels NAME (repeated) or --label-column COL")
    with progress_bar(options, "Evaluating") as progress:
        result = evaluate_tables(
            train,
            test,
            text_column,
            labels=labels,
            label_column=label_column,
            model=model,
            progress=progress,
        )
    data: dict[str, Any] = result.as_dict()

    def human() -> None:
        _print_scores(
            f"{data['model']} (trained on {data['train_units']} units, "
            f"judged on {data['test_units']})",
            data,
        )
        _print_scores(f"baseline: {data['baseline']['model']}", data["baseline"])

    emit(options, data, human)


def _evaluate_coder(options: Options, coder: str, folds: int, model: str | None) -> None:
    from thematica.services.assist_evaluation import coder_evaluation_dict, evaluate_coder
    from thematica.services.scope import open_db

    with progress_bar(options, "Evaluating") as progress:
        model_id, result = evaluate_coder(
            open_db(options.db),
            coder,
            study=options.study,
            folds=folds,
            model=model,
            progress=progress,
        )
    data = coder_evaluation_dict(model_id, result)

    def human() -> None:
        _print_scores(f"{model_id} against {coder}, {folds}-fold, {data['units']} units", data)
        _print_scores(f"baseline: {data['baseline']['model']}", data["baseline"])
        table(
            ["examples per code", "macro-F1", "mean kappa", "baseline F1", "baseline kappa"],
            [
                [
                    p["examples_per_code"],
                    *(
                        _figure(p[k])
                        for k in (
                            "macro_f1",
                            "mean_kappa",
                            "baseline_macro_f1",
                            "baseline_mean_kappa",
                        )
                    ),
                ]
                for p in data["learning_curve"]
            ],
            title="learning curve",
        )

    emit(options, data, human)


_UNIT = click.option(
    "--unit",
    type=click.Choice(["sentence", "turn", "paragraph"]),
    default="sentence",
    show_default=True,
    help="What a passage is.",
)


@assist.command()
@click.argument("text")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True)
@_UNIT
@click.option("--model", metavar="MODEL", help=_MODEL_HELP)
@common_options
@click.pass_obj
def search(options: Options, text: str, limit: int, unit: str, model: str | None) -> None:
    """Passages like TEXT across the study, by meaning, best first, with their similarity."""
    from thematica.services.assist_study import search_passages
    from thematica.services.scope import open_db

    with progress_bar(options, "Embedding") as progress:
        found = search_passages(
            open_db(options.db),
            text,
            study=options.study,
            model=model,
            unit=unit,
            limit=limit,
            progress=progress,
        )
    data = [p.as_dict() for p in found]

    def human() -> None:
        table(
            ["score", "document", "span", "passage"],
            [[f"{p.score:.3f}", p.document, f"{p.start}-{p.end}", p.text] for p in found],
        )

    emit(options, data, human)


@assist.command()
@click.option("--clusters", type=click.IntRange(min=2), default=5, show_default=True)
@click.option("--quotes", type=click.IntRange(min=1), default=3, show_default=True)
@_UNIT
@click.option("--model", metavar="MODEL", help=_MODEL_HELP)
@common_options
@click.pass_obj
def discover(options: Options, clusters: int, quotes: int, unit: str, model: str | None) -> None:
    """Clusters of passages nobody has coded, named by their distinctive terms, with the most
    representative quotes: candidate codes for the team to judge (nothing is applied)."""
    from thematica.services.assist_study import discover_themes
    from thematica.services.scope import open_db

    with progress_bar(options, "Embedding") as progress:
        found = discover_themes(
            open_db(options.db),
            study=options.study,
            clusters=clusters,
            model=model,
            unit=unit,
            quotes=quotes,
            progress=progress,
        )
    data = [c.as_dict() for c in found]

    def human() -> None:
        for number, candidate in enumerate(found, 1):
            click.echo(f"{number}. {candidate.label}  ({candidate.size} passages)")
            click.echo(f"   terms: {', '.join(candidate.terms)}")
            for quote in candidate.quotes:
                click.echo(f"   “{quote.text}” ({quote.document} {quote.start}-{quote.end})")

    emit(options, data, human)


def _print_suggestions(views: list[Any]) -> None:
    table(
        ["id", "code", "score", "how", "document", "span", "passage"],
        [
            [
                str(v.id)[:8],
                v.code,
                f"{v.score:.3f}",
                v.method,
                v.document,
                f"{v.start}-{v.end}",
                v.text,
            ]
            for v in views
        ],
    )


@assist.command()
@click.option(
    "--code",
    "codes",
    multiple=True,
    metavar="PATH",
    help="Only this code (repeat for more) [default: every code].",
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="Suggestions per code.",
)
@_UNIT
@click.option("--model", metavar="MODEL", help=_MODEL_HELP)
@click.option("--as", "actor", metavar="NAME", help="Act as NAME [default: THEMATICA_USER].")
@common_options
@click.pass_obj
def suggest(
    options: Options,
    codes: tuple[str, ...],
    limit: int,
    unit: str,
    model: str | None,
    actor: str | None,
) -> None:
    """A round of suggestions per code, most informative first, for people to review: zero-shot
    from the codebook until a code has examples, then a classifier on the team's codings.
    Nothing is applied; `thematica assist review` accepts or rejects."""
    from thematica.services.assist_suggestions import suggest_codings
    from thematica.services.scope import open_db

    with progress_bar(options, "Embedding") as progress:
        views = suggest_codings(
            open_db(options.db),
            study=options.study,
            codes=codes,
            model=model,
            limit=limit,
            unit=unit,
            actor=actor,
            progress=progress,
        )

    def human() -> None:
        _print_suggestions(views)
        click.echo("Accept or reject with `thematica assist review ID --accept|--reject`.")

    emit(options, [v.as_dict() for v in views], human)


@assist.command()
@click.argument("suggestion", required=False, metavar="[ID]")
@click.option("--accept", "decision", flag_value="accept", help="Make it a coding, as you.")
@click.option(
    "--reject", "decision", flag_value="reject", help="Reject it (kept, and learnt from)."
)
@click.option(
    "--status",
    type=click.Choice(["pending", "accepted", "rejected"]),
    default="pending",
    show_default=True,
    help="Without an ID: which suggestions to list.",
)
@click.option("--as", "actor", metavar="NAME", help="Act as NAME [default: THEMATICA_USER].")
@common_options
@click.pass_obj
def review(
    options: Options,
    suggestion: str | None,
    decision: str | None,
    status: str,
    actor: str | None,
) -> None:
    """List the suggestions waiting for a decision (with their evidence in --json), or decide
    one: `thematica assist review ID --accept` (or --reject). An id may be shortened to its
    first characters when that names one suggestion."""
    from thematica.services.assist_suggestions import decide_suggestion, list_suggestions
    from thematica.services.scope import open_db

    db = open_db(options.db)
    if suggestion is None:
        if decision is not None:
            raise click.UsageError("name the suggestion to --accept or --reject")
        views = list_suggestions(db, study=options.study, status=status)
        emit(options, [v.as_dict() for v in views], lambda: _print_suggestions(views))
        return
    if decision is None:
        raise click.UsageError("say --accept or --reject")
    view = decide_suggestion(
        db, suggestion, accept=decision == "accept", study=options.study, actor=actor
    )
    emit(
        options,
        view.as_dict(),
        lambda: click.echo(
            f"{view.status}: {view.code} on {view.document} {view.start}-{view.end}"
        ),
    )
