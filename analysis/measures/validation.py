"""Validate the suite against people: coding sheets, agreement between coders, and the suite's
precision, recall and accuracy against the coders' consensus.

The workflow, as political science does it (Grimmer & Stewart 2013; Song et al. 2020):

1. :func:`coding_sheet` draws sentences, stratified by group and year, into a CSV a person
   fills in a spreadsheet: one column per theme (1 = the sentence is about it, 0 = not), the
   speaker, and the coder's name. Several coders fill copies of the same sheet.
2. :func:`read_coded_sheets` reads the filled sheets back, checking every value (errors name
   the file, line and column).
3. :func:`coder_agreement` gives Krippendorff's alpha between coders, per theme and for the
   speaker; :func:`consensus` the majority code of each sentence.
4. :func:`suite_codes` gives what the suite says of the same sentences, and
   :func:`theme_scores`, :func:`speaker_scores`, :func:`confusion` and :func:`disagreements`
   compare the two, with bootstrap intervals over sentences.
"""
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..text.processed import as_processed
from .speakers import speaker_order, speaker_sentences
from .themes import theme_matches

SHEET_COLUMNS = ["doc_id", "sentence_id", "group", "year", "before", "sentence", "after"]
CODER_COLUMNS = ["speaker", "coder", "note"]
TRUE_VALUES, FALSE_VALUES = {"1", "yes", "y", "true", "x"}, {"0", "no", "n", "false"}


def _check_count(value, name, least=1):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < least:
        raise ParameterError(f"{name}={value!r}: use a whole number of at least {least}")


def _allocate(sizes, n):
    """Sentences to draw per stratum: proportional to its size (largest remainders), at least
    one per stratum while ``n`` allows, never more than it has."""
    sizes = np.asarray(sizes, dtype=float)
    n = int(min(n, sizes.sum()))
    base = np.minimum(np.ones_like(sizes), sizes) if n >= len(sizes) else np.zeros_like(sizes)
    left = n - base.sum()
    share = left * (sizes - base) / max((sizes - base).sum(), 1)
    take = base + np.floor(share)
    order = np.argsort(-(share - np.floor(share)), kind="stable")
    for i in order[: int(n - take.sum())]:
        take[i] += 1
    return np.minimum(take, sizes).astype(int)


def coding_sheet(processed, codebook, n=200, seed=0, group_by="origin", context=1):
    """A sample of sentences to code by hand, stratified by ``group_by`` and year.

    Parameters
    ----------
    processed : analysis.ProcessedCorpus
    codebook : pandas.DataFrame
        From :func:`analysis.load_codebook`: one column per theme.
    n : int
        Sentences to draw (all of them if the corpus has fewer). Each (group, year) stratum
        gets a share proportional to its sentences, and at least one while ``n`` allows.
    seed : int
        Fixed seed: the same corpus and seed give the same sheet.
    context : int
        Sentences of the same paragraph shown before and after, to read the sentence in.

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``sentence_id``, ``group``, ``year``, ``before``, ``sentence``, ``after``,
        one empty column per theme (to fill with 1 or 0), ``speaker``, ``coder``, ``note``
        (empty); in corpus and sentence order.
    """
    processed = as_processed(processed)
    _check_count(n, "n")
    _check_count(context, "context", least=0)
    corpus, table = processed.corpus, processed.sentences
    if group_by not in corpus.columns:
        raise ParameterError(f"group_by={group_by!r} is not a manifest column")
    docs = corpus.set_index("doc_id")
    frame = table.assign(group=table["doc_id"].map(docs[group_by].astype(str)),
                         year=table["doc_id"].map(docs["year"]), row=np.arange(len(table)))
    strata = frame.groupby(["group", "year"], sort=True)
    take = _allocate(strata.size().to_numpy(), n)
    rng = np.random.default_rng(seed)
    chosen = []
    for (_, part), k in zip(strata, take):
        chosen += list(rng.choice(part["row"].to_numpy(), size=k, replace=False))
    chosen = sorted(chosen)
    rows = []
    for i in chosen:
        row = frame.iloc[i]
        same = (frame["doc_id"] == row["doc_id"]) & (frame["paragraph"] == row["paragraph"])
        before = frame[same & (frame["sentence_id"] < row["sentence_id"])].tail(context)["sentence"]
        after = frame[same & (frame["sentence_id"] > row["sentence_id"])].head(context)["sentence"]
        rows.append({"doc_id": row["doc_id"], "sentence_id": int(row["sentence_id"]),
                     "group": row["group"], "year": int(row["year"]), "before": " ".join(before),
                     "sentence": row["sentence"], "after": " ".join(after)})
    themes = list(dict.fromkeys(codebook["theme"]))
    sheet = pd.DataFrame(rows, columns=SHEET_COLUMNS)
    for column in themes + CODER_COLUMNS:
        sheet[column] = ""
    return sheet


def read_coded_sheets(paths, codebook, speakers):
    """Read filled coding sheets into one long table, checking every value.

    Parameters
    ----------
    paths : list of str or Path
        One CSV per coder (or several coders in one file, told apart by ``coder``).
    codebook : pandas.DataFrame
    speakers : list of str
        Allowed speaker codes (:func:`analysis.measures.speakers.speaker_order`).

    Returns
    -------
    pandas.DataFrame
        ``coder``, ``doc_id``, ``sentence_id``, ``sentence``, ``item`` (a theme key, or
        ``"speaker"``), ``value`` (1/0 for themes, a speaker code); one row per filled cell.

    Raises
    ------
    ParameterError
        A file is missing or unreadable, lacks a column, names an unknown theme column, or a
        cell holds a value other than 1/0 (themes) or a known speaker; names file, line, column.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    if not paths:
        raise ParameterError("coded_sheets: give at least one coded sheet (a CSV made by "
                             "`python -m analysis sample` and filled by a coder)")
    themes = list(dict.fromkeys(codebook["theme"]))
    frames = []
    for path in map(Path, paths):
        if not path.is_file():
            raise ParameterError(f"coded sheet {path} does not exist")
        try:
            sheet = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise ParameterError(f"coded sheet {path} is not a readable UTF-8 CSV: {exc}") from None
        missing = [c for c in ("doc_id", "sentence_id", "sentence") if c not in sheet.columns]
        if missing:
            raise ParameterError(f"coded sheet {path}: column(s) {', '.join(missing)} missing "
                                 f"(make sheets with `python -m analysis sample`)")
        known = set(SHEET_COLUMNS) | set(CODER_COLUMNS) | set(themes)
        unknown = [c for c in sheet.columns if c not in known]
        if unknown:
            raise ParameterError(f"coded sheet {path}: column(s) {', '.join(unknown)} are neither "
                                 f"sheet columns nor themes of the codebook ({', '.join(themes)})")
        coder_default = path.stem
        for index, row in enumerate(sheet.to_dict("records")):
            line = index + 2
            try:
                sentence_id = int(row["sentence_id"])
            except ValueError:
                raise ParameterError(f"{path}, line {line}: sentence_id {row['sentence_id']!r} "
                                     f"is not a number") from None
            coder = row.get("coder", "").strip() or coder_default
            base = {"coder": coder, "doc_id": row["doc_id"], "sentence_id": sentence_id,
                    "sentence": row["sentence"]}
            for theme in (t for t in themes if t in sheet.columns):
                value = row[theme].strip().lower()
                if value == "":
                    continue
                if value not in TRUE_VALUES | FALSE_VALUES:
                    raise ParameterError(f"{path}, line {line}, column {theme}: {row[theme]!r}; "
                                         f"write 1 (about the theme), 0 (not) or leave it empty")
                frames.append({**base, "item": theme, "value": int(value in TRUE_VALUES)})
            speaker = row.get("speaker", "").strip().lower()
            if speaker:
                if speaker not in speakers:
                    raise ParameterError(f"{path}, line {line}, column speaker: {row['speaker']!r}; "
                                         f"use one of {', '.join(speakers)} or leave it empty")
                frames.append({**base, "item": "speaker", "value": speaker})
    columns = ["coder", "doc_id", "sentence_id", "sentence", "item", "value"]
    coded = pd.DataFrame(frames, columns=columns)
    doubled = coded.duplicated(["coder", "doc_id", "sentence_id", "item"])
    if doubled.any():
        first = coded[doubled].iloc[0]
        raise ParameterError(f"coder {first['coder']!r} coded sentence {first['sentence_id']} of "
                             f"{first['doc_id']} twice; keep one row per sentence and coder")
    return coded


def check_sentences(coded, processed):
    """Raise ParameterError when a coded sentence is not the corpus's sentence of that id (the
    text or its splitting changed since the sheet was made); returns the coded table."""
    table = as_processed(processed).sentences.set_index(["doc_id", "sentence_id"])["sentence"]
    keys = list(zip(coded["doc_id"], coded["sentence_id"]))
    for key, sentence in zip(keys, coded["sentence"]):
        found = table.get(key)
        if found is None or (sentence and found != sentence):
            raise ParameterError(
                f"coded sentence {key[1]} of {key[0]} reads {sentence[:60]!r} in the sheet but "
                f"{'is missing' if found is None else repr(found[:60])} in the corpus; the texts or "
                f"the rules changed since the sheet was drawn: draw and code a new sheet")
    return coded


def coder_agreement(coded):
    """Krippendorff's alpha between coders, per item (theme or speaker).

    Returns
    -------
    pandas.DataFrame
        ``item``, ``coders``, ``sentences`` (coded by two or more coders), ``alpha`` (nominal;
        NaN when it cannot be computed), ``note`` (why not: one coder, nothing coded twice, or
        no variation). Themes first, in the order seen, then speaker.
    """
    import krippendorff

    rows = []
    for item, part in coded.groupby("item", sort=False):
        coders = sorted(part["coder"].unique())
        wide = part.pivot_table(index="coder", columns=["doc_id", "sentence_id"], values="value",
                                aggfunc="first")
        shared = wide.columns[wide.notna().sum(axis=0) >= 2]
        alpha, note = np.nan, ""
        if len(coders) < 2:
            note = "one coder: agreement between coders cannot be measured"
        elif len(shared) == 0:
            note = "no sentence was coded by two coders"
        else:
            values = wide[shared]
            flat = values.to_numpy().ravel()
            categories = sorted({v for v in flat if not pd.isna(v)}, key=str)
            if len(categories) < 2:
                note = "every coder gave every sentence the same code: alpha is undefined"
            else:
                codes = values.apply(lambda col: col.map({c: i for i, c in enumerate(categories)}))
                alpha = float(krippendorff.alpha(reliability_data=codes.to_numpy(dtype=float),
                                                 level_of_measurement="nominal"))
        rows.append({"item": item, "coders": len(coders), "sentences": len(shared),
                     "alpha": alpha, "note": note})
    table = pd.DataFrame(rows, columns=["item", "coders", "sentences", "alpha", "note"])
    return table.sort_values("item", key=lambda s: s == "speaker", kind="stable").reset_index(drop=True)


def consensus(coded):
    """The majority code of each sentence and item; a tie has no consensus (left out).

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``sentence_id``, ``sentence``, ``item``, ``value``, ``coders``, ``agree``
        (coders who gave that value); one row per sentence and item, in the order they first
        appear in ``coded``.
    """
    keys = ["doc_id", "sentence_id", "item"]
    columns = ["doc_id", "sentence_id", "sentence", "item", "value", "coders", "agree"]
    coded = coded.dropna(subset=keys)
    # each sentence and item once (its first row: its sentence), with how many coded it
    first = coded.drop_duplicates(keys)[keys + ["sentence"]]
    first = first.assign(coders=coded.groupby(keys, sort=False).size().to_numpy())
    votes = coded.dropna(subset=["value"]).groupby(keys + ["value"], sort=False).size().rename("agree").reset_index()
    top = votes.groupby(keys, sort=False)["agree"].transform("max")
    leaders = votes[votes["agree"] == top]
    single = leaders.groupby(keys, sort=False)["agree"].transform("size") == 1
    agreed = first.merge(leaders[single], on=keys, how="inner")
    if agreed.empty:
        return pd.DataFrame(columns=columns)
    # codes of one kind (all 0/1) come out as numbers, as a table built row by row infers them
    return agreed[columns].reset_index(drop=True).infer_objects()


def suite_codes(processed, codebook, keys=None, matches=None, attributed=None):
    """What the suite says of each sentence: one 0/1 column per theme, ``speaker`` and
    ``speaker_rule``, and ``patterns`` (the theme patterns that matched, for reading errors).

    ``keys``: (doc_id, sentence_id) pairs to keep (default: every sentence).
    """
    processed = as_processed(processed)
    matches = theme_matches(processed, codebook) if matches is None else matches
    attributed = speaker_sentences(processed) if attributed is None else attributed
    table = attributed[["doc_id", "sentence_id", "sentence", "speaker", "rule"]].rename(
        columns={"rule": "speaker_rule"})
    themes = list(dict.fromkeys(codebook["theme"]))
    hit = matches.groupby(["doc_id", "sentence_id", "theme"]).size().unstack("theme")
    hit = hit.reindex(columns=themes).notna().astype(int).reset_index() if len(matches) else \
        pd.DataFrame(columns=["doc_id", "sentence_id", *themes])
    patterns = (matches.assign(p=matches["theme"] + ": " + matches["matched"])
                .groupby(["doc_id", "sentence_id"])["p"].agg("; ".join).rename("patterns").reset_index())
    table = table.merge(hit, on=["doc_id", "sentence_id"], how="left").merge(
        patterns, on=["doc_id", "sentence_id"], how="left")
    table[themes] = table[themes].fillna(0).astype(int)
    table["patterns"] = table["patterns"].fillna("")
    if keys is not None:
        wanted = pd.DataFrame(list(keys), columns=["doc_id", "sentence_id"]).drop_duplicates()
        table = wanted.merge(table, on=["doc_id", "sentence_id"], how="left")
    return table


def _interval(values, level):
    values = values[np.isfinite(values)]
    if len(values) == 0:
        return np.nan, np.nan
    return tuple(np.percentile(values, [50 * (1 - level), 50 * (1 + level)]))


def _weights(n, n_boot, seed):
    rng = np.random.default_rng(seed)
    return rng.multinomial(n, np.full(n, 1 / n), size=n_boot).astype(float) if n else np.zeros((n_boot, 0))


def theme_scores(gold, predicted, themes, n_boot=1000, seed=0, level=0.95):
    """Precision, recall and F1 of the suite's themes against a reference, per theme and over
    all themes (micro-averaged), with percentile intervals from resampling sentences.

    Parameters
    ----------
    gold, predicted : pandas.DataFrame
        Aligned rows (one per sentence), one 0/1 column per theme (NaN in ``gold``: not coded).
    themes : list of str

    Returns
    -------
    pandas.DataFrame
        ``theme``, ``sentences`` (coded), ``coded_yes``, ``suite_yes``, ``both``, ``precision``,
        ``recall``, ``f1`` and ``*_low`` / ``*_high`` for each, ``note`` (e.g. never coded
        yes); the last row ``all (micro)``.
    """
    _check_count(n_boot, "n_boot")
    rows = []
    weights = _weights(len(gold), n_boot, seed)
    totals = np.zeros((n_boot, 3))
    point = np.zeros(3)
    for theme in themes:
        coded = gold[theme].notna().to_numpy() if theme in gold else np.zeros(len(gold), bool)
        g = np.nan_to_num(gold[theme].to_numpy(dtype=float)) if theme in gold else np.zeros(len(gold))
        p = predicted[theme].to_numpy(dtype=float) * coded
        g = g * coded
        counts = np.array([(g * p).sum(), (p * (1 - g)).sum(), (g * (1 - p)).sum()])  # tp fp fn
        boot = np.stack([weights @ (g * p), weights @ (p * (1 - g)), weights @ (g * (1 - p))], axis=1)
        point += counts
        totals += boot
        note = "" if coded.any() else "not coded"
        if coded.any() and g.sum() == 0:
            note = "coders never coded this theme: recall is undefined"
        rows.append({"theme": theme, "sentences": int(coded.sum()), "coded_yes": int(g.sum()),
                     "suite_yes": int(p.sum()), "both": int(counts[0]),
                     **_prf(counts, boot, level), "note": note})
    rows.append({"theme": "all (micro)", "sentences": int(len(gold)), "coded_yes": int(point[0] + point[2]),
                 "suite_yes": int(point[0] + point[1]), "both": int(point[0]),
                 **_prf(point, totals, level), "note": ""})
    return pd.DataFrame(rows)


def _prf(counts, boot, level):
    def scores(tp, fp, fn):
        with np.errstate(invalid="ignore", divide="ignore"):
            precision = tp / (tp + fp)
            recall = tp / (tp + fn)
            f1 = 2 * tp / (2 * tp + fp + fn)
        return precision, recall, f1

    found = dict(zip(("precision", "recall", "f1"), scores(*counts)))
    drawn = dict(zip(("precision", "recall", "f1"), scores(boot[:, 0], boot[:, 1], boot[:, 2])))
    out = {}
    for name in ("precision", "recall", "f1"):
        low, high = _interval(np.atleast_1d(drawn[name]), level)
        out.update({name: float(found[name]), f"{name}_low": low, f"{name}_high": high})
    return out


def speaker_scores(gold, predicted, speakers, n_boot=1000, seed=0, level=0.95):
    """Accuracy of the suite's speakers and, per speaker, recall (share of the sentences coded
    for the speaker that the suite gives them) and precision, with bootstrap intervals.

    Parameters
    ----------
    gold, predicted : pandas.Series
        Aligned speaker codes (NaN or "" in ``gold``: not coded).

    Returns
    -------
    pandas.DataFrame
        ``speaker``, ``coded``, ``suite``, ``correct``, ``recall``, ``recall_low``,
        ``recall_high``, ``precision``, ``precision_low``, ``precision_high``; a last row
        ``all`` whose recall is the accuracy.
    """
    _check_count(n_boot, "n_boot")
    gold = pd.Series(gold).replace("", np.nan).reset_index(drop=True)
    predicted = pd.Series(predicted).reset_index(drop=True)
    keep = gold.notna().to_numpy()
    gold, predicted = gold[keep].to_numpy(), predicted[keep].to_numpy()
    weights = _weights(len(gold), n_boot, seed)
    right = (gold == predicted).astype(float)
    rows = []
    present = [s for s in speakers if s in set(gold) or s in set(predicted)]
    for speaker in present + ["all"]:
        truth = np.ones(len(gold)) if speaker == "all" else (gold == speaker).astype(float)
        said = np.ones(len(gold)) if speaker == "all" else (predicted == speaker).astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            recall = (right * truth).sum() / truth.sum() if truth.sum() else np.nan
            precision = (right * said).sum() / said.sum() if said.sum() else np.nan
            boot_recall = (weights @ (right * truth)) / (weights @ truth)
            boot_precision = (weights @ (right * said)) / (weights @ said)
        r_low, r_high = _interval(boot_recall, level)
        p_low, p_high = _interval(boot_precision, level)
        rows.append({"speaker": speaker, "coded": int(truth.sum()), "suite": int(said.sum()),
                     "correct": int((right * truth).sum()), "recall": recall, "recall_low": r_low,
                     "recall_high": r_high, "precision": precision, "precision_low": p_low,
                     "precision_high": p_high})
    return pd.DataFrame(rows)


def confusion(gold, predicted, speakers):
    """Speaker confusion matrix: rows the coders' speaker, columns the suite's (counts)."""
    gold = pd.Series(gold).replace("", np.nan).reset_index(drop=True)
    predicted = pd.Series(predicted).reset_index(drop=True)
    keep = gold.notna()
    table = pd.crosstab(gold[keep].rename("coded"), predicted[keep].rename("suite"))
    order = [s for s in speakers if s in set(table.index) | set(table.columns)]
    return table.reindex(index=order, columns=order, fill_value=0)


def disagreements(gold, predicted, themes):
    """Every sentence where the suite and the reference differ, one row per difference.

    Parameters
    ----------
    gold, predicted : pandas.DataFrame
        Aligned rows with ``doc_id``, ``sentence_id``, ``sentence``, the theme columns and
        ``speaker``; ``predicted`` may carry ``speaker_rule`` and ``patterns``.

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``sentence_id``, ``what`` (a theme or "speaker"), ``coded``, ``suite``,
        ``why`` (the suite's speaker rule or matched patterns), ``sentence``.
    """
    rows = []
    for i in range(len(gold)):
        g, p = gold.iloc[i], predicted.iloc[i]
        base = {"doc_id": g["doc_id"], "sentence_id": g["sentence_id"], "sentence": g["sentence"]}
        for theme in themes:
            if theme in gold and pd.notna(g[theme]) and int(g[theme]) != int(p[theme]):
                rows.append({**base, "what": theme, "coded": int(g[theme]), "suite": int(p[theme]),
                             "why": p.get("patterns", "") or "no pattern matched"})
        if "speaker" in gold and isinstance(g["speaker"], str) and g["speaker"] and g["speaker"] != p["speaker"]:
            rows.append({**base, "what": "speaker", "coded": g["speaker"], "suite": p["speaker"],
                         "why": f"rule: {p.get('speaker_rule', '')}"})
    return pd.DataFrame(rows, columns=["doc_id", "sentence_id", "what", "coded", "suite", "why",
                                       "sentence"])


def consensus_table(agreed, themes):
    """The consensus as one row per sentence: ``doc_id``, ``sentence_id``, ``sentence``, one
    column per theme (1/0, NaN when not coded or tied) and ``speaker``."""
    if agreed.empty:
        return pd.DataFrame(columns=["doc_id", "sentence_id", "sentence", *themes, "speaker"])
    wide = agreed.pivot_table(index=["doc_id", "sentence_id", "sentence"], columns="item",
                              values="value", aggfunc="first").reset_index()
    wide.columns.name = None
    for column in [*themes, "speaker"]:
        if column not in wide:
            wide[column] = np.nan
    for theme in themes:
        wide[theme] = pd.to_numeric(wide[theme])
    return wide[["doc_id", "sentence_id", "sentence", *themes, "speaker"]]


def validation_report(processed, codebook, coded, n_boot=1000, seed=0, level=0.95):
    """Everything the validation notebook shows, from filled sheets (see the module).

    Returns
    -------
    dict of pandas.DataFrame
        ``agreement`` (:func:`coder_agreement`), ``themes`` (:func:`theme_scores`),
        ``speakers`` (:func:`speaker_scores`), ``confusion``, ``disagreements``, and
        ``reference`` / ``suite`` (the aligned consensus and suite codes).
    """
    processed = as_processed(processed)
    check_sentences(coded, processed)
    themes = list(dict.fromkeys(codebook["theme"]))
    reference = consensus_table(consensus(coded), themes)
    suite = suite_codes(processed, codebook, zip(reference["doc_id"], reference["sentence_id"]))
    speakers = speaker_order(processed.rules)
    return {
        "agreement": coder_agreement(coded),
        "themes": theme_scores(reference, suite, themes, n_boot, seed, level),
        "speakers": speaker_scores(reference["speaker"], suite["speaker"], speakers, n_boot, seed, level),
        "confusion": confusion(reference["speaker"], suite["speaker"], speakers),
        "disagreements": disagreements(reference, suite, themes),
        "reference": reference, "suite": suite,
    }


def score_table(report):
    """Theme precision, recall and F1 in long form for a chart: ``label`` (theme), ``measure``,
    ``value``, ``low``, ``high``; themes never coded yes are left out."""
    themes = report["themes"]
    themes = themes[(themes["coded_yes"] > 0) | (themes["suite_yes"] > 0)]
    rows = [{"label": row["theme"], "measure": measure, "value": row[measure],
             "low": row[f"{measure}_low"], "high": row[f"{measure}_high"]}
            for _, row in themes.iterrows() for measure in ("precision", "recall", "f1")]
    return pd.DataFrame(rows, columns=["label", "measure", "value", "low", "high"])


CODING_FOLDER = "coding"  # a corpus's coded sheets, read by default


def find_sheets(coded_sheets, corpus_dir):
    """The coded sheets to read: ``coded_sheets`` (a path or a list of paths) if given, else
    every ``*.csv`` in the corpus's ``coding/`` folder (none if it has no such folder).

    Raises
    ------
    ParameterError
        A given sheet does not exist.
    """
    if coded_sheets is None:
        folder = Path(corpus_dir) / CODING_FOLDER
        return sorted(folder.glob("*.csv")) if folder.is_dir() else []
    if isinstance(coded_sheets, (str, Path)):
        coded_sheets = [coded_sheets]
    paths = [Path(p) for p in coded_sheets]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise ParameterError(f"coded_sheets: {', '.join(missing)} not found (give CSV files made "
                             f"by `python -m analysis sample` and filled by coders)")
    return paths


def sheets_markdown(sheets, coded, corpus_dir):
    """What was read, or how to make sheets when there are none (Markdown)."""
    if not sheets:
        return (f"**No coded sheet**: give `coded_sheets` (CSV files) or put them in "
                f"`{Path(corpus_dir).name}/{CODING_FOLDER}/`. Draw a sheet with "
                "`python -m analysis sample --corpus DIR --n 200 --out sheet.csv`, have one or more "
                "people fill it in a spreadsheet (1 or 0 per theme, the speaker, their name as coder), "
                "and run this notebook on it. Nothing below can be measured without one.")
    coders = sorted(coded["coder"].unique())
    sentences = coded.drop_duplicates(["doc_id", "sentence_id"]).shape[0]
    return (f"Read {len(sheets)} sheet(s): {sentences} sentences coded by {len(coders)} coder(s) "
            f"({', '.join(coders)}); {len(coded)} codes in all.")


def scores_markdown(report, in_sample_note=""):
    """The headline numbers of a validation report, one paragraph (Markdown)."""
    overall = report["themes"].iloc[-1]
    speakers = report["speakers"].set_index("speaker")
    text = (f"Against the coders' consensus, the codebook finds themes with **precision "
            f"{overall['precision']:.2f}**, **recall {overall['recall']:.2f}** and **F1 {overall['f1']:.2f}** "
            f"(95% interval {overall['f1_low']:.2f}-{overall['f1_high']:.2f}) over "
            f"{int(overall['sentences'])} sentences.")
    if "all" in speakers.index and speakers.at["all", "coded"]:
        text += (f" Speakers are right for **{speakers.at['all', 'recall']:.0%}** of "
                 f"{int(speakers.at['all', 'coded'])} sentences ({speakers.at['all', 'recall_low']:.0%}-"
                 f"{speakers.at['all', 'recall_high']:.0%}).")
    return text + (f" {in_sample_note}" if in_sample_note else "")
