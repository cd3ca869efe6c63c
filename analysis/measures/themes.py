"""Count themes of a codebook in a corpus, with an audit trail down to the matched words.

Units: patterns are matched within the sentences of the processed corpus's sentence table, on
their word tokens (``words``: normalised, stop words kept, not stemmed); where a match is shown,
:func:`analysis.text.tokens.word_spans` finds the words as the source wrote them. For each theme, a pattern match that overlaps one of
the theme's exclusions is dropped, and overlapping matches of the theme's patterns are counted
once (the leftmost, then longest, wins: "Czech Republic" and "Czech*" count one hit). Different
themes are counted independently: words matched by two themes count for both (see
:func:`theme_overlaps`). Rates are per 1,000 word tokens, stop words included.
"""
import fnmatch
import re
from collections import Counter, defaultdict
from itertools import combinations

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..text.corpus import require_column
from ..text.processed import as_processed
from ..text.tokens import stem, stop_words, word_spans
from .describe import document_labels
from .rates import bootstrap_rates

_GLOB = re.compile(r"[*?]")
MATCH_COLUMNS = ["doc_id", "sentence_id", "theme", "label", "pattern", "other_patterns",
                 "left", "matched", "right", "token_start", "token_end"]


def _element(token):
    return re.compile(fnmatch.translate(token)).match if _GLOB.search(token) else token


def _index(codebook):
    """Entries keyed for fast lookup: exact first tokens in a dict, glob first tokens in a list."""
    exact, globs = defaultdict(list), []
    for order, row in enumerate(codebook.itertuples(index=False)):
        elements = tuple(_element(t) for t in row.tokens)
        near = tuple(tuple(_element(t) for t in option) for option in getattr(row, "near", ()))
        not_near = tuple(tuple(_element(t) for t in option) for option in getattr(row, "not_near", ()))
        condition = (near, not_near, getattr(row, "within", 0)) if near or not_near else None
        entry = (row.theme, row.kind, row.pattern, order, elements, condition)
        if isinstance(elements[0], str):
            exact[elements[0]].append(entry)
        else:
            globs.append((elements[0], entry))
    return exact, globs


def _fits(element, word):
    return element == word if isinstance(element, str) else element(word) is not None


def _occurs(options, words, lo, hi, start, end):
    """Whether one of the token sequences ``options`` is in ``words[lo:hi]`` outside the match
    ``[start, end)``."""
    for option in options:
        for i in range(lo, hi - len(option) + 1):
            if i < end and i + len(option) > start:
                continue
            if all(_fits(e, words[i + k]) for k, e in enumerate(option)):
                return True
    return False


def _in_context(condition, words, start, end):
    near, not_near, within = condition
    lo, hi = max(0, start - within), min(len(words), end + within)
    if near and not _occurs(near, words, lo, hi, start, end):
        return False
    return not (not_near and _occurs(not_near, words, lo, hi, start, end))


def _raw_matches(words, exact, globs, glob_cache):
    found = []
    for i, word in enumerate(words):
        if word not in glob_cache:
            glob_cache[word] = [entry for first, entry in globs if first(word)]
        for theme, kind, pattern, order, elements, condition in exact.get(word, []) + glob_cache[word]:
            end = i + len(elements)
            if end <= len(words) and all(_fits(e, words[i + k])
                                         for k, e in enumerate(elements[1:], start=1)) \
                    and (condition is None or _in_context(condition, words, i, end)):
                found.append((theme, kind, pattern, order, i, end))
    return found


def _counted_matches(found):
    """Per theme: drop matches overlapping an exclusion, then merge overlapping matches.

    Returns a list of (theme, pattern, other_patterns, start, end)."""
    by_theme = defaultdict(lambda: ([], []))
    for theme, kind, pattern, order, start, end in found:
        by_theme[theme][kind == "exclude"].append((start, end, order, pattern))
    kept = []
    for theme, (patterns, excludes) in by_theme.items():
        patterns = [m for m in patterns
                    if not any(m[0] < e_end and e_start < m[1] for e_start, e_end, _, _ in excludes)]
        patterns.sort(key=lambda m: (m[0], -(m[1] - m[0]), m[2]))
        groups = []
        for start, end, _, pattern in patterns:
            if groups and start < groups[-1][1]:
                groups[-1][2].append(pattern)  # overlaps the kept match: one hit, noted
            else:
                groups.append([start, end, [pattern]])
        for start, end, names in groups:
            others = "; ".join(sorted(set(names[1:]) - {names[0]}))
            kept.append((theme, names[0], others, start, end))
    return kept


def _scan(processed, codebook):
    """Yield (row, words, counted matches) for every sentence of the sentence table."""
    exact, globs = _index(codebook)
    glob_cache = {}
    table = processed.sentences
    for row in zip(table["doc_id"], table["sentence_id"], table["sentence"], table["words"]):
        words = row[3].split()
        yield row, words, _counted_matches(_raw_matches(words, exact, globs, glob_cache))


def theme_matches(processed, codebook, window=6):
    """Every counted theme match, as a keyword-in-context table.

    Parameters
    ----------
    processed : analysis.ProcessedCorpus
        From :func:`analysis.load_processed` (a corpus DataFrame is processed first).
    codebook : pandas.DataFrame
        From :func:`analysis.load_codebook`.
    window : int, default 6
        Words of context on each side (within the sentence).

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id``, ``sentence_id`` (as in :func:`analysis.sentence_table`), ``theme``,
        ``label``, ``pattern`` (the entry that counted), ``other_patterns`` (entries of the same
        theme that matched the same words and were not counted again), ``left``, ``matched``
        (the text as written in the source), ``right``, ``token_start``, ``token_end``.
        Sorted by document (corpus order), sentence, position, theme.
    """
    if not isinstance(window, (int, np.integer)) or window < 0:
        raise ParameterError(f"window={window!r}: use a whole number of words, 0 or more")
    processed = as_processed(processed)
    labels = codebook.groupby("theme", sort=False)["label"].first()
    rows = []
    for (doc_id, number, sentence, _), words, counted in _scan(processed, codebook):
        if not counted:
            continue
        spans = word_spans(sentence, rules=processed.rules)  # where the words are written
        if [w for w, _, _ in spans] != words:
            raise RuntimeError(f"sentence {number} of {doc_id}: its words in the sentence table "
                               f"differ from the words found in its text; rebuild the cache")
        for theme, pattern, others, start, end in counted:
            left_from = spans[max(0, start - window)][1]
            right_to = spans[min(len(spans), end + window) - 1][2]
            rows.append((doc_id, number, theme, labels[theme], pattern, others,
                         sentence[left_from:spans[start][1]].strip(),
                         sentence[spans[start][1]:spans[end - 1][2]],
                         sentence[spans[end - 1][2]:right_to].strip(), start, end))
    matches = pd.DataFrame(rows, columns=MATCH_COLUMNS)
    order = {doc: i for i, doc in enumerate(processed.corpus["doc_id"])}
    theme_order = {t: i for i, t in enumerate(labels.index)}
    return (matches.assign(_d=matches["doc_id"].map(order), _t=matches["theme"].map(theme_order))
            .sort_values(["_d", "sentence_id", "token_start", "_t"])
            .drop(columns=["_d", "_t"]).reset_index(drop=True))


def sentence_theme_counts(processed, codebook, matches=None):
    """Counts per sentence and theme, wide: ``doc_id``, ``sentence_id``, ``tokens``, then one
    column per theme (codebook order); one row per row of the sentence table, in its order."""
    processed = as_processed(processed)
    matches = theme_matches(processed, codebook) if matches is None else matches
    themes = list(dict.fromkeys(codebook["theme"]))
    wide = (matches.groupby(["doc_id", "sentence_id", "theme"]).size()
            .unstack("theme").reindex(columns=themes))
    table = processed.sentences[["doc_id", "sentence_id", "tokens"]].merge(
        wide.reset_index(), on=["doc_id", "sentence_id"], how="left")
    table[themes] = table[themes].fillna(0).astype(int)
    return table


def theme_counts(processed, codebook, matches=None):
    """Theme counts per document, tidy: one row per document x theme.

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``theme``, ``label``, ``count``, ``tokens`` (word tokens of the document,
        stop words included), ``rate_per_1k`` (count per 1,000 tokens), then the document's
        manifest columns (``outlet``, ``origin``, ``event_date``, ...). Documents in corpus
        order, themes in codebook order; themes with no match have count 0.
    """
    processed = as_processed(processed)
    corpus = processed.corpus
    per_sentence = sentence_theme_counts(processed, codebook, matches)
    themes = list(dict.fromkeys(codebook["theme"]))
    per_doc = per_sentence.groupby("doc_id", sort=False)[["tokens"] + themes].sum()
    tidy = (per_doc.reset_index()
            .melt(id_vars=["doc_id", "tokens"], value_vars=themes, var_name="theme",
                  value_name="count"))
    tidy["rate_per_1k"] = 1000 * tidy["count"] / tidy["tokens"]
    tidy["label"] = tidy["theme"].map(codebook.groupby("theme")["label"].first())
    docvars = corpus.drop(columns=["text"])
    tidy = tidy.merge(docvars, on="doc_id", how="left")
    doc_order = {d: i for i, d in enumerate(corpus["doc_id"])}
    theme_order = {t: i for i, t in enumerate(themes)}
    tidy = tidy.sort_values(by=["doc_id", "theme"], key=lambda s: s.map(
        doc_order if s.name == "doc_id" else theme_order)).reset_index(drop=True)
    first = ["doc_id", "theme", "label", "count", "tokens", "rate_per_1k"]
    return tidy[first + [c for c in tidy.columns if c not in first]]


def theme_rates(counts, by):
    """Pooled rates per value of ``by``: sum of counts / sum of tokens x 1,000.

    Parameters
    ----------
    counts : pandas.DataFrame
        From :func:`theme_counts`.
    by : str
        A column of ``counts`` (a manifest column, ``event_date``, ``year``, ...).

    Returns
    -------
    pandas.DataFrame
        ``by``, ``theme``, ``label``, ``count``, ``tokens``, ``rate_per_1k``, ``documents``.
    """
    if by not in counts.columns:
        raise ParameterError(f"{by!r} is not a column of the theme counts")
    grouped = counts.groupby([by, "theme", "label"], sort=False).agg(
        count=("count", "sum"), tokens=("tokens", "sum"), documents=("doc_id", "nunique"))
    grouped = grouped.reset_index()
    grouped["rate_per_1k"] = 1000 * grouped["count"] / grouped["tokens"]
    return grouped.sort_values(by, kind="stable").reset_index(drop=True)


def grouped_theme_rates(processed, codebook, group_by, n_boot=2000, seed=0, level=0.95,
                        sentence_counts=None):
    """Theme rates per group with bootstrap intervals over sentences
    (see :func:`analysis.rates.bootstrap_rates`).

    Returns
    -------
    pandas.DataFrame
        ``group``, ``theme``, ``label``, ``count``, ``tokens``, ``rate_per_1k``, ``low``,
        ``high``, ``documents``, ``sentences``; groups sorted, themes in codebook order.
    """
    processed = as_processed(processed)
    require_column(processed.corpus, group_by)
    table = sentence_theme_counts(processed, codebook) if sentence_counts is None else sentence_counts
    labels = codebook.groupby("theme", sort=False)["label"].first().to_dict()
    rates = bootstrap_rates(table, labels, processed.corpus, group_by, n_boot, seed, level)
    return rates.rename(columns={"category": "theme"})


def theme_coverage(counts):
    """Which documents mention each theme at all.

    Returns
    -------
    pandas.DataFrame
        ``theme``, ``label``, ``documents`` (mentioning it), ``share`` (of all documents),
        ``doc_ids`` (joined with "; "); themes in codebook order.
    """
    n_docs = counts["doc_id"].nunique()
    rows = []
    for (theme, label), part in counts.groupby(["theme", "label"], sort=False):
        hit = part.loc[part["count"] > 0, "doc_id"]
        rows.append({"theme": theme, "label": label, "documents": len(hit),
                     "share": len(hit) / n_docs, "doc_ids": "; ".join(hit)})
    return pd.DataFrame(rows)


def theme_overlaps(matches):
    """Pairs of themes that counted the same words (each counted once for each theme).

    Returns
    -------
    pandas.DataFrame
        ``theme_a``, ``theme_b``, ``overlaps`` (pairs of overlapping matches), ``examples``
        (up to three matched texts).
    """
    pairs, examples = Counter(), defaultdict(list)
    for _, part in matches.groupby(["doc_id", "sentence_id"], sort=False):
        spans = list(part[["theme", "token_start", "token_end", "matched"]].itertuples(index=False))
        for a, b in combinations(spans, 2):
            if a.theme != b.theme and a.token_start < b.token_end and b.token_start < a.token_end:
                key = tuple(sorted((a.theme, b.theme)))
                pairs[key] += 1
                text = a.matched if len(a.matched) >= len(b.matched) else b.matched
                if text not in examples[key] and len(examples[key]) < 3:
                    examples[key].append(text)
    rows = [{"theme_a": a, "theme_b": b, "overlaps": n, "examples": "; ".join(examples[(a, b)])}
            for (a, b), n in pairs.items()]
    table = pd.DataFrame(rows, columns=["theme_a", "theme_b", "overlaps", "examples"])
    return table.sort_values(["overlaps", "theme_a", "theme_b"],
                             ascending=[False, True, True]).reset_index(drop=True)


def uncovered_terms(processed, codebook, n=20):
    """The most frequent content words that no theme's pattern matched.

    Returns
    -------
    pandas.DataFrame
        ``feature`` (stem), ``term`` (form most often written), ``count``, ``documents``;
        the ``n`` largest counts, ties by term.
    """
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ParameterError(f"top_n={n!r}: use a whole number of at least 1")
    processed = as_processed(processed)
    stops = stop_words(processed.rules)
    counts, forms, docs = Counter(), defaultdict(Counter), defaultdict(set)
    for (doc_id, _, _, _), words, counted in _scan(processed, codebook):
        covered = {i for _, _, _, start, end in counted for i in range(start, end)}
        for i, word in enumerate(words):
            if i not in covered and word not in stops:
                feature = stem(word)
                counts[feature] += 1
                forms[feature][word] += 1
                docs[feature].add(doc_id)
    rows = [{"feature": f, "term": min(forms[f].items(), key=lambda kv: (-kv[1], kv[0]))[0]
             .replace("_", " "), "count": c, "documents": len(docs[f])}
            for f, c in counts.items()]
    table = pd.DataFrame(rows, columns=["feature", "term", "count", "documents"])
    return table.sort_values(["count", "term"], ascending=[False, True]).head(n).reset_index(drop=True)


def theme_rate_table(counts, corpus, codebook, group_by, max_listed=40):
    """The rates a theme heatmap shows: one row per document (up to ``max_listed``
    documents, labelled and ordered by event date) or per value of ``group_by``.

    Returns
    -------
    table : pandas.DataFrame
        Index: document labels or groups; columns: theme labels (codebook order); values:
        matches per 1,000 word tokens.
    what : str
        "document" or ``group_by``.
    """
    theme_labels = list(dict.fromkeys(codebook["label"]))
    if len(corpus) <= max_listed:
        labels = document_labels(corpus)
        order = corpus.assign(label=labels).sort_values(["event_date", "label"])
        rows = counts.assign(row=counts["doc_id"].map(dict(zip(corpus["doc_id"], labels))))
        wide = rows.pivot(index="row", columns="label", values="rate_per_1k").reindex(
            index=list(order["label"]), columns=theme_labels)
        return wide, "document"
    rates = theme_rates(counts, group_by)
    wide = rates.pivot(index=group_by, columns="label", values="rate_per_1k").reindex(
        columns=theme_labels)
    wide.index = wide.index.astype(str)
    return wide, group_by


def kwic_theme_or_most_frequent(theme, matches, codebook):
    """``theme`` checked against the codebook, or (None) the theme with most matches.

    Raises
    ------
    ParameterError
        ``theme`` is not a theme of the codebook.
    """
    keys = list(dict.fromkeys(codebook["theme"]))
    if theme is None:
        return matches["theme"].value_counts().idxmax() if len(matches) else keys[0]
    if theme not in keys:
        raise ParameterError(f"kwic_theme={theme!r} is not a theme of the codebook; use one of "
                             f"{', '.join(keys)}")
    return theme


def codebook_audit(processed, codebook, matches=None):
    """What every pattern of the codebook matched: the word forms with their counts, and how
    many occurrences its context condition kept out, so an over-broad glob ("import*" ->
    "important 11, imports 2") or a wrong sense shows at a glance.

    Returns
    -------
    pandas.DataFrame
        ``theme``, ``kind`` (pattern / exclude), ``pattern``, ``condition``, ``matches``
        (occurrences counted for the theme; for exclusions, occurrences they matched),
        ``forms`` (the word forms matched, most frequent first: "form count, ..."),
        ``kept_out`` (occurrences the pattern matched but its condition did not allow);
        codebook order. A pattern that matched nothing has 0 and an empty ``forms``.
    """
    processed = as_processed(processed)
    matches = theme_matches(processed, codebook) if matches is None else matches
    forms = (matches.assign(form=matches["matched"].str.lower())
             .groupby(["theme", "pattern"])["form"]
             .agg(lambda f: ", ".join(f"{w} {n}" for w, n in
                                      sorted(f.value_counts().items(), key=lambda kv: (-kv[1], kv[0])))))
    counted = matches.groupby(["theme", "pattern"]).size()
    # exclusions and unconditioned patterns, matched on their own, for what they matched
    loose = codebook.assign(kind="pattern", near=[()] * len(codebook), not_near=[()] * len(codebook))
    conditional = (codebook["condition"] != "") | (codebook["kind"] == "exclude")
    raw = theme_matches(processed, loose[conditional]) if conditional.any() else matches.iloc[0:0]
    raw_counts = raw.groupby(["theme", "pattern"]).size()
    raw_forms = (raw.assign(form=raw["matched"].str.lower()).groupby(["theme", "pattern"])["form"]
                 .agg(lambda f: ", ".join(f"{w} {n}" for w, n in
                                          sorted(f.value_counts().items(), key=lambda kv: (-kv[1], kv[0])))))
    rows = []
    for row in codebook.itertuples(index=False):
        key = (row.theme, row.pattern)
        if row.kind == "exclude":
            rows.append({"theme": row.theme, "kind": "exclude", "pattern": row.pattern,
                         "condition": row.condition, "matches": int(raw_counts.get(key, 0)),
                         "forms": raw_forms.get(key, ""), "kept_out": 0})
            continue
        n = int(counted.get(key, 0))
        rows.append({"theme": row.theme, "kind": "pattern", "pattern": row.pattern,
                     "condition": row.condition, "matches": n, "forms": forms.get(key, ""),
                     "kept_out": max(0, int(raw_counts.get(key, 0)) - n) if row.condition else 0})
    return pd.DataFrame(rows, columns=["theme", "kind", "pattern", "condition", "matches", "forms",
                                       "kept_out"])
