"""Topics over passages: one NMF (or LDA) model for the whole corpus, viewed by year or source.

With a handful of documents a topic model over documents is meaningless, so the units are
paragraphs (lines of the cleaned text) or windows of consecutive sentences. One model is fitted
to all units; per-document, per-year and per-source views aggregate the same topics (as
BERTopic's topics_over_time / topics_per_class do), so topics can be compared across groups.
"""
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from sklearn.decomposition import NMF, LatentDirichletAllocation
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics.pairwise import cosine_similarity

from ..errors import ParameterError
from ..text.matrix import unit_matrix
from ..text.processed import as_processed
from ..text.tokens import stop_words

UNITS = ("paragraph", "sentence_window")
METHODS = ("nmf", "lda")


def topic_units(processed, unit="paragraph", window=3, min_tokens=5):
    """Group the sentences of the sentence table into the passages topics are fitted on.

    Parameters
    ----------
    processed : analysis.ProcessedCorpus
    unit : {"paragraph", "sentence_window"}
        A paragraph is the sentences of one non-empty line of the cleaned text; a sentence
        window is ``window`` consecutive sentences of a document (non-overlapping; the last
        may be shorter).
    window : int
        Sentences per window.
    min_tokens : int
        Units with fewer word tokens (datelines, headings, speaker headers) are left out.

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``unit_id`` (1-based within the document), ``first_sentence``,
        ``last_sentence`` (its ``sentence_id`` range), ``text`` (its sentences joined by a
        space), ``tokens`` (word tokens), ``content_words`` (word tokens without stop words,
        joined by spaces), then the document's manifest columns.
    """
    if unit not in UNITS:
        raise ParameterError(f"unit={unit!r}: use one of {', '.join(UNITS)}")
    if unit == "sentence_window" and (not isinstance(window, (int, np.integer)) or window < 1):
        raise ParameterError(f"window={window!r}: use a whole number of sentences, at least 1")
    processed = as_processed(processed)
    corpus, table = processed.corpus, processed.sentences
    stops = stop_words(processed.rules)
    position = table.groupby("doc_id", sort=False).cumcount().to_numpy()
    key = table["paragraph"].to_numpy() if unit == "paragraph" else position // window
    # consecutive sentences of one document with the same key make one unit
    new_unit = np.ones(len(table), dtype=bool)
    new_unit[1:] = (table["doc_id"].to_numpy()[1:] != table["doc_id"].to_numpy()[:-1]) | (key[1:] != key[:-1])
    unit_index = np.cumsum(new_unit) - 1
    grouped = table.assign(_unit=unit_index).groupby("_unit", sort=True)
    units = grouped.agg(doc_id=("doc_id", "first"), first_sentence=("sentence_id", "first"),
                        last_sentence=("sentence_id", "last"), text=("sentence", " ".join),
                        tokens=("tokens", "sum"), words=("words", " ".join)).reset_index(drop=True)
    units.insert(1, "unit_id", units.groupby("doc_id", sort=False).cumcount() + 1)
    units["content_words"] = [" ".join(w for w in words.split() if w not in stops)
                              for words in units.pop("words")]
    if not isinstance(min_tokens, (int, np.integer)) or min_tokens < 1:
        raise ParameterError(f"min_tokens={min_tokens!r}: use a whole number of at least 1")
    units = units[units["tokens"] >= min_tokens].reset_index(drop=True)
    if units.empty:
        raise ParameterError(f"no {unit} has {min_tokens} or more word tokens; lower min_tokens")
    docvars = corpus.drop(columns=["text"])
    return units.merge(docvars, on="doc_id", how="left")


@dataclass(frozen=True)
class TopicModel:
    """A fitted topic model and what it says about the units.

    Attributes
    ----------
    weights : pandas.DataFrame, n_units rows
        ``doc_id``, ``unit_id``, ``topic_1`` ... ``topic_k``: each unit's topic proportions
        (rows sum to 1; a unit with no weight at all gets 1/k each).
    scores : numpy.ndarray, shape (n_units, k)
        The model's unnormalised unit-topic weights (how strongly a unit loads on a topic).
    terms : pandas.DataFrame
        ``topic``, ``rank``, ``feature``, ``term``, ``weight``, ``frex``: each topic's top terms
        by FREX (frequency and exclusivity, see :func:`frex_scores`), with their weight.
    labels : dict
        Topic column -> label made of its top three FREX terms (a word frequent in every
        topic, such as "support", does not name one).
    components : numpy.ndarray, shape (k, n_features)
        Topic-term weights.
    """

    weights: pd.DataFrame
    scores: np.ndarray
    terms: pd.DataFrame
    labels: dict
    components: np.ndarray


def _fit(matrix, n_topics, method, random_state, init=None):
    """Fit and return (unit-topic weights, topic-term weights, converged)."""
    if method == "nmf":
        model = NMF(n_components=n_topics, init=init or "nndsvda", random_state=random_state,
                    max_iter=1000)
    else:
        model = LatentDirichletAllocation(n_components=n_topics, random_state=random_state,
                                          learning_method="batch", max_iter=50)
    with warnings.catch_warnings():
        # reported as a column instead of a warning in the middle of a report
        warnings.simplefilter("ignore", ConvergenceWarning)
        weights = model.fit_transform(matrix)
    return weights, model.components_, model.n_iter_ < model.max_iter


def _check(units, n_topics, method):
    if method not in METHODS:
        raise ParameterError(f"method={method!r}: use 'nmf' (on TF-IDF) or 'lda' (on counts)")
    if not isinstance(n_topics, (int, np.integer)) or n_topics < 1:
        raise ParameterError(f"n_topics={n_topics!r}: use a whole number of at least 1")
    if n_topics > len(units):
        raise ParameterError(f"n_topics={n_topics} is more than the {len(units)} units to fit on; "
                             f"use fewer topics or smaller units (unit='sentence_window')")


def _matrix(units, method, min_df, max_df, n_topics):
    weighting = "tfidf" if method == "nmf" else "count"
    names = pd.DataFrame({"doc_id": [f"{d}#{u}" for d, u in zip(units["doc_id"], units["unit_id"])]})
    dfm = unit_matrix((w.split() for w in units["content_words"]), names, weighting,
                      min_df=min_df, max_df=max_df)
    if dfm.shape[1] < n_topics:
        raise ParameterError(f"min_df={min_df!r}, max_df={max_df!r} leave {dfm.shape[1]} word(s), "
                             f"fewer than n_topics={n_topics}; lower min_df or raise max_df")
    return dfm


def fit_topics(units, n_topics=4, method="nmf", min_df=1, max_df=1.0, random_state=0, top_n=10):
    """Fit one topic model to all units.

    Parameters
    ----------
    units : pandas.DataFrame
        From :func:`topic_units`.
    n_topics : int
    method : {"nmf", "lda"}
        NMF on TF-IDF (initialised by NNDSVDa, deterministic) or LDA on counts.
    min_df, max_df : int or float
        Vocabulary pruning over units, as in scikit-learn.
    random_state : int
    top_n : int
        Terms kept per topic.

    Returns
    -------
    TopicModel

    Raises
    ------
    ParameterError
        ``n_topics`` larger than the number of units, unknown method, or ``min_df`` /
        ``max_df`` that leave no vocabulary.
    """
    _check(units, n_topics, method)
    dfm = _matrix(units, method, min_df, max_df, n_topics)
    doc_topic, components, _ = _fit(dfm.matrix, n_topics, method, random_state)
    totals = doc_topic.sum(axis=1, keepdims=True)
    proportions = np.where(totals > 0, doc_topic / np.where(totals > 0, totals, 1), 1 / n_topics)
    names = [f"topic_{k}" for k in range(1, n_topics + 1)]
    weights = pd.concat([units[["doc_id", "unit_id"]].reset_index(drop=True),
                         pd.DataFrame(proportions, columns=names)], axis=1)
    rows, labels = [], {}
    frex = frex_scores(components)
    surface = dfm.features["surface"].to_numpy()
    for k, name in enumerate(names):
        order = sorted(range(components.shape[1]), key=lambda i: (-frex[k, i], surface[i]))[:top_n]
        rows += [{"topic": name, "rank": r, "feature": dfm.features["feature"].iat[i],
                  "term": surface[i], "weight": components[k, i], "frex": frex[k, i]}
                 for r, i in enumerate(order, start=1)]
        labels[name] = f"{k + 1}: " + ", ".join(surface[i] for i in order[:3])
    return TopicModel(weights, doc_topic, pd.DataFrame(rows), labels, components)


def frex_scores(components, weight=0.5):
    """FREX of every word in every topic (Roberts, Stewart & Airoldi 2016; Bischof & Airoldi
    2012): the weighted harmonic mean of the word's rank in the topic by frequency and by
    exclusivity (its share of the word's weight over all topics), both as empirical CDFs.

    Parameters
    ----------
    components : numpy.ndarray, shape (k, n_features)
        Topic-term weights.
    weight : float
        Weight of exclusivity (0.5: both count alike).

    Returns
    -------
    numpy.ndarray, shape (k, n_features)
        Between 0 and 1; high for words both frequent in the topic and rare in the others.
    """
    beta = components / np.maximum(components.sum(axis=1, keepdims=True), 1e-300)
    exclusive = beta / np.maximum(beta.sum(axis=0, keepdims=True), 1e-300)

    def ecdf(matrix):
        ranks = matrix.argsort(axis=1).argsort(axis=1) + 1
        return ranks / matrix.shape[1]

    frequency, exclusivity = ecdf(beta), ecdf(exclusive)
    return 1 / (weight / exclusivity + (1 - weight) / frequency)


def topic_prevalence(model, units, by):
    """Mean topic proportion per value of ``by``, each unit weighted by its tokens.

    Returns
    -------
    pandas.DataFrame
        ``by``, ``topic``, ``label``, ``prevalence`` (0-1, sums to 1 over topics), ``units``.
    """
    if by not in units.columns:
        raise ParameterError(f"{by!r} is not a column of the units (a manifest column)")
    names = list(model.labels)
    table = model.weights.assign(_by=units[by].astype(str).to_numpy(),
                                 _w=units["tokens"].to_numpy())
    rows = []
    for value, part in table.groupby("_by", sort=True):
        mean = np.average(part[names].to_numpy(), axis=0, weights=part["_w"].to_numpy())
        rows += [{by: value, "topic": name, "label": model.labels[name], "prevalence": mean[k],
                  "units": len(part)} for k, name in enumerate(names)]
    return pd.DataFrame(rows)


def top_units(model, units, n=3):
    """The ``n`` units that load most on each topic (by the model's unnormalised weight, so a
    long passage about the topic ranks above a short one that happens to be all topic).

    Returns
    -------
    pandas.DataFrame
        ``topic``, ``label``, ``rank``, ``doc_id``, ``unit_id``, ``score``, ``proportion``,
        ``text``.
    """
    rows = []
    for k, (name, label) in enumerate(model.labels.items()):
        order = sorted(range(len(units)), key=lambda i: (-model.scores[i, k], units.at[i, "doc_id"],
                                                         units.at[i, "unit_id"]))[:n]
        rows += [{"topic": name, "label": label, "rank": rank, "doc_id": units.at[i, "doc_id"],
                  "unit_id": units.at[i, "unit_id"], "score": model.scores[i, k],
                  "proportion": model.weights.at[i, name], "text": units.at[i, "text"]}
                 for rank, i in enumerate(order, start=1)]
    return pd.DataFrame(rows)


def topic_stability(units, n_topics=4, method="nmf", min_df=1, max_df=1.0, random_state=0,
                    n_runs=5):
    """How well topics found from other random starts match the reference fit.

    Each run is fitted from a random start (seeds ``random_state + 1`` ...); its topics are
    paired one-to-one with the reference topics (Hungarian matching on the cosine of topic-term
    vectors).

    Returns
    -------
    pandas.DataFrame
        ``run``, ``seed``, ``mean_cosine`` (mean over topics of the matched cosine, 1 = same
        topics), ``min_cosine`` (the worst-matched topic), ``worst_topic`` (which reference
        topic that is), ``converged`` (the refit reached its tolerance within the iteration
        limit).
    """
    if not isinstance(n_runs, (int, np.integer)) or n_runs < 1:
        raise ParameterError(f"n_runs={n_runs!r}: use a whole number of at least 1")
    _check(units, n_topics, method)
    dfm = _matrix(units, method, min_df, max_df, n_topics)
    _, reference, _ = _fit(dfm.matrix, n_topics, method, random_state)
    rows = []
    for run in range(1, n_runs + 1):
        seed = random_state + run
        _, other, converged = _fit(dfm.matrix, n_topics, method, seed, init="random")
        similarity = cosine_similarity(reference, other)
        pairs = linear_sum_assignment(-similarity)
        matched = similarity[pairs]
        rows.append({"run": run, "seed": seed, "mean_cosine": float(matched.mean()),
                     "min_cosine": float(matched.min()),
                     "worst_topic": f"topic_{int(pairs[0][np.argmin(matched)]) + 1}",
                     "converged": bool(converged)})
    return pd.DataFrame(rows)


def topic_term_table(model):
    """Each topic's top terms in one cell, with its label: index ``topic``."""
    return model.terms.groupby("topic", sort=False)["term"].agg(", ".join).to_frame("top terms").assign(
        label=lambda t: t.index.map(model.labels))


def stability_verdict(stability, stable_at=0.8, labels=None):
    """A sentence or two (Markdown) on what :func:`topic_stability` found: "unstable" as soon
    as any topic's best match in any refit falls under ``stable_at``, or a refit did not
    converge; the worst topic is named."""
    n_runs = len(stability)
    mean_cos = stability["mean_cosine"].mean()
    worst = stability.loc[stability["min_cosine"].idxmin()]
    worst_label = (labels or {}).get(worst["worst_topic"], worst["worst_topic"])
    unconverged = int((~stability["converged"].astype(bool)).sum())
    if worst["min_cosine"] < stable_at or unconverged:
        text = (f"**Warning: topics are unstable.** In {n_runs} refits from random starts, topic "
                f"{worst_label} comes back at a cosine of only {worst['min_cosine']:.2f} (run "
                f"{int(worst['run'])}; {stable_at} would count as the same topic); the mean over all "
                f"topics is {mean_cos:.2f}. Read the topics as one of several possible splits of "
                "these texts; try fewer topics, or more text.")
        if unconverged:
            text += (f" {unconverged} of {n_runs} refits stopped at the iteration limit before "
                     "converging (column `converged`), so they are not settled answers either.")
    else:
        text = (f"Topics are stable: in {n_runs} refits from random starts every topic comes back "
                f"at a cosine of at least {worst['min_cosine']:.2f} (mean {mean_cos:.2f}), and every "
                "refit converged.")
    return text


def unit_weights(model, units):
    """Each passage with its text and topic proportions: ``doc_id``, ``unit_id``, ``tokens``,
    ``text``, ``topic_1`` ... ``topic_k``."""
    return pd.concat([units[["doc_id", "unit_id", "tokens", "text"]].reset_index(drop=True),
                      model.weights.drop(columns=["doc_id", "unit_id"])], axis=1)
