"""Same event, different tellers: what each document of an event mentions, and which of its
sentences have no counterpart in the others.

An event is the manifest's ``event`` column (by default the event date). Only events told by
two or more documents are compared.
"""
import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer

from ..errors import ParameterError
from ..text.processed import as_processed
from ..text.tokens import features_of_words
from .describe import document_labels
from .similarity import runs


def shared_events(corpus, events=None, min_documents=2):
    """Events told by at least ``min_documents`` documents.

    Parameters
    ----------
    events : list of str, optional
        Keep only these events (as written in the ``event`` column); None: all.

    Returns
    -------
    pandas.DataFrame
        ``event``, ``documents``, ``doc_ids`` (joined with "; "), ``outlets``; sorted by
        event.

    Raises
    ------
    ParameterError
        A requested event is not in the corpus.
    """
    labels = corpus["event"].astype(str)
    if events is not None:
        if isinstance(events, str):
            events = [events]
        unknown = [str(e) for e in events if str(e) not in set(labels)]
        if unknown:
            raise ParameterError(f"events={events!r}: {', '.join(unknown)} not in the corpus; "
                                 f"its events are {', '.join(sorted(set(labels))[:20])}")
        corpus = corpus[labels.isin([str(e) for e in events])]
        labels = labels[corpus.index]
    rows = []
    for event, part in corpus.groupby(labels, sort=True):
        if len(part) >= min_documents:
            rows.append({"event": event, "documents": len(part), "doc_ids": "; ".join(part["doc_id"]),
                         "outlets": "; ".join(part["outlet"].astype(str))})
    return pd.DataFrame(rows, columns=["event", "documents", "doc_ids", "outlets"])


def _event_of(corpus):
    return corpus.set_index("doc_id")["event"].astype(str)


def event_theme_coverage(counts, corpus, events):
    """Theme counts of each document of the shared events.

    Parameters
    ----------
    counts : pandas.DataFrame
        From :func:`analysis.theme_counts`.
    events : pandas.DataFrame
        From :func:`shared_events`.

    Returns
    -------
    pandas.DataFrame
        ``event``, ``doc_id``, ``theme``, ``label``, ``count``, ``tellers`` (documents of the
        event that mention the theme), ``only_here`` (True when this document is the only one
        of its event to mention the theme), ``tokens`` (the document's word tokens) and
        ``rate_per_1k`` (count per 1,000 of them: a longer telling does not look more
        intense). Events sorted, documents and themes in corpus and codebook order.
    """
    event_of = _event_of(corpus)
    table = counts[["doc_id", "theme", "label", "count", "tokens", "rate_per_1k"]].assign(
        event=counts["doc_id"].map(event_of))
    table = table[table["event"].isin(set(events["event"]))]
    mentions = table[table["count"] > 0].groupby(["event", "theme"])["doc_id"].nunique()
    table = table.assign(tellers=[int(mentions.get((e, t), 0)) for e, t in zip(table["event"], table["theme"])])
    table["only_here"] = (table["count"] > 0) & (table["tellers"] == 1)
    columns = ["event", "doc_id", "theme", "label", "count", "tellers", "only_here", "tokens", "rate_per_1k"]
    return table[columns].sort_values("event", kind="stable").reset_index(drop=True)


def sentence_alignment(processed, events, min_tokens=4, max_tellers=12):
    """For each sentence of a shared event, its most similar sentence in each other document
    of the same event.

    Similarity is the cosine of TF-IDF vectors over the project's tokens (normalised, stemmed,
    stop words out), with IDF over all sentences of the shared events. Sentences with fewer
    than ``min_tokens`` word tokens (datelines, greetings, headers) are left out: they have
    too few words to be matched or missed.

    Returns
    -------
    pandas.DataFrame
        ``event``, ``doc_id``, ``sentence_id``, ``sentence``, ``other_doc_id``,
        ``match_sentence_id``, ``match_sentence``, ``similarity`` (0-1); one row per sentence
        and other document, or, for an event told by more than ``max_tellers`` documents,
        one row per sentence with its best match in any of them (the table would otherwise
        grow with the square of the tellers).
    """
    if not isinstance(min_tokens, (int, np.integer)) or min_tokens < 1:
        raise ParameterError(f"min_tokens={min_tokens!r}: use a whole number of at least 1")
    columns = ["event", "doc_id", "sentence_id", "sentence", "other_doc_id", "match_sentence_id",
               "match_sentence", "similarity"]
    processed = as_processed(processed)
    event_of = _event_of(processed.corpus)
    kept = processed.corpus.loc[processed.corpus["event"].astype(str).isin(set(events["event"])),
                                "doc_id"]
    table = processed.sentences
    table = table[table["doc_id"].isin(set(kept)) & (table["tokens"] >= min_tokens)]
    table = table[["doc_id", "sentence_id", "sentence", "words"]].reset_index(drop=True)
    if table.empty:
        return pd.DataFrame(columns=columns)
    table["event"] = table["doc_id"].map(event_of)
    features = [features_of_words(w.split(), processed.rules) for w in table["words"]]
    # sentences with no counted token get an all-zero row (similarity 0), not an error
    vectors = TfidfVectorizer(analyzer=lambda f: f).fit_transform(features) \
        if any(features) else None
    rows = []
    for event, part in table.groupby("event", sort=True):
        docs = list(dict.fromkeys(part["doc_id"]))
        for doc in docs:
            mine = part[part["doc_id"] == doc]
            # each other teller, or, for a crowded event, all of them at once (the best match)
            others = [o for o in docs if o != doc] if len(docs) <= max_tellers else [None]
            for other in others:
                theirs = part[part["doc_id"] != doc] if other is None else part[part["doc_id"] == other]
                if vectors is None:
                    sim = np.zeros((len(mine), len(theirs)))
                else:
                    sim = (vectors[mine.index] @ vectors[theirs.index].T).toarray()
                best = sim.argmax(axis=1)  # ties: the earlier sentence
                for k, (_, row) in enumerate(mine.iterrows()):
                    match = theirs.iloc[best[k]]
                    rows.append({"event": event, "doc_id": doc, "sentence_id": row["sentence_id"],
                                 "sentence": row["sentence"], "other_doc_id": match["doc_id"],
                                 "match_sentence_id": match["sentence_id"],
                                 "match_sentence": match["sentence"],
                                 "similarity": float(sim[k, best[k]])})
    return pd.DataFrame(rows, columns=columns)


def unmatched_sentences(alignment, threshold=0.2):
    """Sentences with no counterpart above ``threshold`` in any other document of the event:
    what only this teller says.

    Returns
    -------
    pandas.DataFrame
        ``event``, ``doc_id``, ``sentence_id``, ``sentence``, ``best_match_doc_id``,
        ``best_similarity``, ``best_match_sentence``; in event, document and sentence order.
    """
    if not isinstance(threshold, (int, float)) or not 0 <= threshold <= 1:
        raise ParameterError(f"align_threshold={threshold!r}: use a cosine similarity between "
                             f"0 and 1 (0.2-0.3 is a reasonable start)")
    columns = ["event", "doc_id", "sentence_id", "sentence", "best_match_doc_id",
               "best_similarity", "best_match_sentence"]
    if alignment.empty:
        return pd.DataFrame(columns=columns)
    best = (alignment.sort_values(["similarity", "other_doc_id"], ascending=[False, True], kind="stable")
            .drop_duplicates(["event", "doc_id", "sentence_id"]))
    best = best[best["similarity"] < threshold]
    order = {d: i for i, d in enumerate(dict.fromkeys(alignment["doc_id"]))}
    best = best.assign(_d=best["doc_id"].map(order)).sort_values(["event", "_d", "sentence_id"])
    best = best.rename(columns={"other_doc_id": "best_match_doc_id", "similarity": "best_similarity",
                                "match_sentence": "best_match_sentence"})
    return best[columns].reset_index(drop=True)


def alignment_summary(alignment, threshold=0.2):
    """Per document of a shared event: sentences compared and how many have a counterpart.

    Returns
    -------
    pandas.DataFrame
        ``event``, ``doc_id``, ``sentences``, ``matched``, ``unmatched``, ``share_unmatched``.
    """
    columns = ["event", "doc_id", "sentences", "matched", "unmatched", "share_unmatched"]
    if alignment.empty:
        return pd.DataFrame(columns=columns)
    best = alignment.groupby(["event", "doc_id", "sentence_id"], sort=False)["similarity"].max()
    table = (best >= threshold).groupby(level=["event", "doc_id"], sort=False).agg(["size", "sum"])
    table = table.rename(columns={"size": "sentences", "sum": "matched"}).reset_index()
    table["unmatched"] = table["sentences"] - table["matched"]
    table["share_unmatched"] = table["unmatched"] / table["sentences"]
    return table[columns]


def teller_labels(corpus):
    """A label per document for event tables: its document label, prefixed by its event when
    the event is not just its date. Returns a dict doc_id -> label."""
    labels = dict(zip(corpus["doc_id"], document_labels(corpus)))
    events = corpus.set_index("doc_id")["event"].astype(str)
    dates = corpus.set_index("doc_id")["event_date"].dt.strftime("%Y-%m-%d")
    return {d: labels[d] if events[d] == dates[d] else f"{events[d]} · {labels[d]}"
            for d in corpus["doc_id"]}


def event_coverage_table(coverage, corpus, theme_labels, shown_events):
    """What the event coverage heatmap shows: theme matches per 1,000 word tokens of each
    teller of each shown event (rates, so a longer telling does not look more intense).

    Parameters
    ----------
    coverage : pandas.DataFrame
        From :func:`event_theme_coverage`.
    theme_labels : list of str
        Row order.
    shown_events : list of str

    Returns
    -------
    table : pandas.DataFrame
        Index theme labels, columns teller labels (documents grouped by event, then label).
    boundaries : list of int
        Column positions after which a new event starts (where to draw a line).
    """
    part = coverage[coverage["event"].isin(shown_events)]
    events = corpus.set_index("doc_id")["event"].astype(str)
    labels = dict(zip(corpus["doc_id"], document_labels(corpus)))
    wide = part.pivot_table(index="label", columns="doc_id", values="rate_per_1k", sort=False)
    wide = wide.reindex(index=list(theme_labels),
                        columns=[d for d in corpus["doc_id"] if d in set(part["doc_id"])])
    wide = wide[sorted(wide.columns, key=lambda d: (events[d], labels[d]))]
    boundaries = [last for _, last in runs([events[d] for d in wide.columns])][:-1]
    tellers = teller_labels(corpus)
    wide.columns = [tellers[d] for d in wide.columns]
    return wide, boundaries


def only_here_table(coverage, corpus):
    """Themes that only one teller of an event mentions: index (event, document), column
    "only this teller mentions" (labels joined by "; ")."""
    labels = dict(zip(corpus["doc_id"], document_labels(corpus)))
    only = coverage[coverage["only_here"]].assign(document=lambda t: t["doc_id"].map(labels))
    return only.groupby(["event", "document"])["label"].agg("; ".join).to_frame(
        "only this teller mentions")


def alignment_shares(summary, corpus):
    """The shares a stacked bar of aligned sentences shows, one row per teller: "has a
    counterpart" and "only in this document"."""
    tellers = teller_labels(corpus)
    shares = summary.assign(document=summary["doc_id"].map(tellers)).set_index("document")
    return pd.DataFrame({"has a counterpart": 1 - shares["share_unmatched"],
                         "only in this document": shares["share_unmatched"]})
