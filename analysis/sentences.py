"""Split text into sentences with NLTK's Punkt, taught this domain's abbreviations.

Punkt is used with fixed parameters instead of a downloaded model, so nothing needs
``nltk_data``: the abbreviations that must not end a sentence ("Feb. 18", "Mr. Putin",
"the U.S. side") are read from ``abbreviations.txt``. Line breaks are paragraph breaks in
these texts (a transcript's speaker header stands on its own line), so no sentence crosses one.
"""
from functools import lru_cache

import pandas as pd
from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

from .resources import read_word_list


@lru_cache(maxsize=None)
def _punkt():
    params = PunktParameters()
    params.abbrev_types = {a.lower().rstrip(".") for a in read_word_list("abbreviations.txt")}
    return PunktSentenceTokenizer(params)


def sentences(text):
    """The sentences of ``text``, in order, stripped.

    Parameters
    ----------
    text : str
        Cleaned text; each line is a paragraph.

    Returns
    -------
    list of str
    """
    return [sentence for _, sentence in paragraph_sentences(text)]


def paragraph_sentences(text):
    """The sentences of ``text`` with the number of the paragraph (line) each is in.

    Returns
    -------
    list of (int, str)
        1-based paragraph number (non-empty lines only) and sentence, in order.
    """
    punkt = _punkt()
    found = []
    number = 0
    for paragraph in text.splitlines():
        paragraph = paragraph.strip()
        if paragraph:
            number += 1
            found.extend((number, s.strip()) for s in punkt.tokenize(paragraph) if s.strip())
    return found


def sentence_table(corpus):
    """One row per sentence of every document.

    Parameters
    ----------
    corpus : pandas.DataFrame
        As returned by :func:`analysis.load_corpus` (uses ``doc_id`` and ``text``).

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id``, ``sentence_id`` (1-based within the document), ``sentence``;
        documents in corpus order.
    """
    rows = [
        (doc_id, number, sentence)
        for doc_id, text in zip(corpus["doc_id"], corpus["text"])
        for number, sentence in enumerate(sentences(text), start=1)
    ]
    return pd.DataFrame(rows, columns=["doc_id", "sentence_id", "sentence"])
