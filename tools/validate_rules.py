"""Measure the rules on hand-labelled documents they were not written from.

    python tools/validate_rules.py validation/dev validation/heldout [--errors DIR]

Each folder is a corpus (manifest.csv and texts, as real outlets publish them, page furniture
included) with two files labelled by a person who did not see the rules:

- ``gold_sentences.csv``: ``doc_id, sentence, speaker, themes, note``, every sentence of the
  article, verbatim, with who says it and the themes it is about (``;``-separated);
- ``gold_chrome.csv``: ``doc_id, line``, every line of page furniture.

The suite processes the folder as a user's corpus; each gold sentence is found in the cleaned
text, and the suite's sentences over it give its speaker (the one covering most of it) and
themes (all of them). Printed per folder: speaker accuracy and recall per speaker, theme
precision / recall / F1 (micro over sentence x theme, and per theme), furniture left in the
sentences, article sentences lost by cleaning, and the month "May" counted as a modal verb.

``validation/dev`` is what the rules are tuned on (in-sample); ``validation/heldout`` is never
read while tuning (out-of-sample): only its totals are looked at. ``--errors DIR`` writes every
disagreement of a folder to ``DIR/<folder>_errors.csv`` - use it on the dev set only.
"""
import argparse
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

import analysis
from analysis.measures import speakers as speaker_rules
from analysis.measures import tone, validation
from analysis.text.cleaning import normalize_unicode

_MONTH_MAY = re.compile(r"(?<!^)(?<![.!?]\s)\bMay\b")


def _normal(text, rules):
    return " ".join(normalize_unicode(text, rules)[0].split())


def gold_alignment(processed, gold, codebook):
    """One row per gold sentence: its gold codes and what the suite says of it."""
    rules = processed.rules
    texts = processed.corpus.set_index("doc_id")["text"]
    table = processed.sentences
    suite = validation.suite_codes(processed, codebook)
    themes = list(dict.fromkeys(codebook["theme"]))
    by_doc = {doc: part for doc, part in suite.assign(start=table["start"].to_numpy(),
                                                       end=table["end"].to_numpy()).groupby("doc_id")}
    rows, cursor = [], {}
    for record in gold.to_dict("records"):
        doc, sentence = record["doc_id"], _normal(record["sentence"], rules)
        text = texts.get(doc, "")
        at = text.find(sentence, cursor.get(doc, 0))
        if at < 0:
            at = text.find(sentence)
        found = at >= 0
        row = {"doc_id": doc, "sentence": record["sentence"], "found": found,
               "gold_speaker": record["speaker"]}
        gold_themes = {t for t in str(record["themes"] or "").split(";") if t}
        for theme in themes:
            row[f"gold_{theme}"] = int(theme in gold_themes)
        if found:
            cursor[doc] = at + len(sentence)
            start, end = at, at + len(sentence)
            part = by_doc[doc]
            overlap = (np.minimum(part["end"], end) - np.maximum(part["start"], start)).clip(lower=0)
            best = part.iloc[int(np.argmax(overlap.to_numpy()))]
            inside = part[(overlap >= 0.5 * (part["end"] - part["start"])) & (overlap > 0)]
            row.update(suite_speaker=best["speaker"], rule=best["speaker_rule"],
                       patterns="; ".join(p for p in inside["patterns"] if p),
                       sentence_id=int(best["sentence_id"]))
            for theme in themes:
                row[theme] = int(inside[theme].max() if len(inside) else best[theme])
        else:
            row.update(suite_speaker="(lost)", rule="", patterns="", sentence_id=-1)
            for theme in themes:
                row[theme] = 0
        rows.append(row)
    return pd.DataFrame(rows)


def furniture_left(processed, chrome):
    """Suite sentences that are page furniture (their line is a gold furniture line)."""
    rules = processed.rules
    lines = {doc: {_normal(line, rules) for line in part["line"]}
             for doc, part in chrome.groupby("doc_id")}
    texts = processed.corpus.set_index("doc_id")["text"]
    table = processed.sentences
    flags = []
    for doc, start in zip(table["doc_id"], table["start"]):
        text = texts[doc]
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", start)
        line = text[line_start: len(text) if line_end < 0 else line_end].strip()
        flags.append(line in lines.get(doc, ()))
    return table.assign(furniture=flags)


def month_as_modal(processed):
    """Sentences where the month "May" (capitalised, not the first word) is counted as a modal."""
    counts = tone.sentence_tone_counts(processed)
    table = processed.sentences
    modal = counts["modal"].to_numpy() > 0 if "modal" in counts else np.zeros(len(table), bool)
    month = table["sentence"].str.contains(_MONTH_MAY).to_numpy()
    words = table["words"].str.split().map(lambda w: "may" in w).to_numpy()
    return int((modal & month & words).sum())


def measure(folder, errors=None):
    folder = Path(folder)
    processed = analysis.load_processed(folder, use_cache=False)
    codebook = analysis.load_codebook(rules=processed.rules)
    gold = pd.read_csv(folder / "gold_sentences.csv", dtype=str, keep_default_na=False)
    chrome = pd.read_csv(folder / "gold_chrome.csv", dtype=str, keep_default_na=False)
    aligned = gold_alignment(processed, gold, codebook)
    themes = list(dict.fromkeys(codebook["theme"]))
    order = speaker_rules.speaker_order(processed.rules)
    speakers = validation.speaker_scores(aligned["gold_speaker"], aligned["suite_speaker"], order + ["(lost)"])
    reference = aligned[[f"gold_{t}" for t in themes]].set_axis(themes, axis=1)
    scores = validation.theme_scores(reference, aligned[themes], themes)
    furniture = furniture_left(processed, chrome)
    result = {
        "set": folder.name, "documents": len(processed.corpus), "gold_sentences": len(gold),
        "lost": int((~aligned["found"]).sum()),
        "speaker_accuracy": float(speakers.set_index("speaker").at["all", "recall"]),
        "theme_precision": float(scores.iloc[-1]["precision"]),
        "theme_recall": float(scores.iloc[-1]["recall"]),
        "theme_f1": float(scores.iloc[-1]["f1"]),
        "furniture_share": float(furniture["furniture"].mean()),
        "furniture_sentences": int(furniture["furniture"].sum()),
        "suite_sentences": len(furniture),
        "may_as_modal": month_as_modal(processed),
    }
    if errors is not None:
        Path(errors).mkdir(parents=True, exist_ok=True)
        wrong = []
        for row in aligned.to_dict("records"):
            if row["gold_speaker"] != row["suite_speaker"]:
                wrong.append({"doc_id": row["doc_id"], "what": "speaker", "gold": row["gold_speaker"],
                              "suite": row["suite_speaker"], "why": row["rule"], "sentence": row["sentence"]})
            for theme in themes:
                if row[f"gold_{theme}"] != row[theme]:
                    wrong.append({"doc_id": row["doc_id"], "what": theme, "gold": row[f"gold_{theme}"],
                                  "suite": row[theme], "why": row["patterns"], "sentence": row["sentence"]})
        for row in furniture[furniture["furniture"]].to_dict("records"):
            wrong.append({"doc_id": row["doc_id"], "what": "furniture", "gold": "furniture",
                          "suite": "kept", "why": "", "sentence": row["sentence"]})
        pd.DataFrame(wrong).to_csv(Path(errors) / f"{folder.name}_errors.csv", index=False)
    return result, speakers, scores


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python tools/validate_rules.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+")
    parser.add_argument("--errors", help="write each folder's disagreements here (dev only)")
    parser.add_argument("--detail", action="store_true", help="per-speaker and per-theme tables")
    args = parser.parse_args(argv)
    results = []
    for folder in args.folders:
        result, speakers, scores = measure(folder, args.errors)
        results.append(result)
        if args.detail:
            print(f"\n== {folder}: speakers")
            print(speakers[["speaker", "coded", "suite", "correct", "recall", "precision"]].to_string(index=False))
            print(f"\n== {folder}: themes")
            print(scores[["theme", "coded_yes", "suite_yes", "both", "precision", "recall", "f1"]]
                  .to_string(index=False, float_format="%.2f"))
    table = pd.DataFrame(results)
    print()
    print(table.to_string(index=False, float_format="%.3f"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
