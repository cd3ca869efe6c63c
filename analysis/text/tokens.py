"""Turn text into tokens: normalised, lower-cased, compounds joined, stop words out, stemmed.

The pipeline, each step usable on its own (as in scikit-learn's ``build_analyzer``)::

    normalized_text -> word_tokens -> (stop words removed) -> stem -> tokenize

``tokenize`` is the analyser used for every count in the suite and can be passed to a
scikit-learn vectoriser as ``analyzer=analysis.tokenize``. Stems are for counting; use
:func:`surface_forms` to show a stem as the word most often written ("cooperation", not
"cooper").
"""
import threading
from collections import Counter, defaultdict
from functools import lru_cache

import numpy as np
import polars as pl
import regex
from nltk.stem.snowball import SnowballStemmer
from nltk.tokenize import MWETokenizer

from ..rules import SHIPPED
from .dialect import char_class, wide_rows
from .normalize import normalized_text, normalized_text_with_offsets, normalized_texts

# Words are runs of letters/digits/underscores with inner apostrophes ("people's"); hyphens
# and all other punctuation separate words. A compiled regular expression is much faster than
# NLTK's Treebank tokeniser and gives the same words for counting. It is compiled with the
# ``regex`` module, as NLTK's RegexpTokenizer does (so a word is a word by Unicode's rules,
# combining marks included), but called directly: NLTK's wrapper adds a timeout per call
# that costs more than the matching.
_WORDS = regex.compile(r"\w+(?:'\w+)*")
MWE_SEPARATOR = "_"


@lru_cache(maxsize=None)
def _phrases(rules=SHIPPED):
    """The expressions of ``mwe.txt``, each a tuple of two or more lower-case words."""
    phrases = (tuple(w.lower() for w in _WORDS.findall(line)) for line in rules.words("mwe.txt"))
    return tuple(p for p in phrases if len(p) > 1)


@lru_cache(maxsize=None)
def _mwe_tokenizer(rules=SHIPPED):
    tokenizer = MWETokenizer(list(_phrases(rules)), separator=MWE_SEPARATOR)
    # Words that can begin an expression: a sentence with none of them is left as it is.
    return tokenizer, frozenset(tokenizer._mwes)


@lru_cache(maxsize=None)
def stop_words(rules=SHIPPED):
    """The stop words in effect (``stopwords.txt``), lower case, as a frozenset."""
    return frozenset(w.lower() for w in rules.words("stopwords.txt"))


_STEMMER = SnowballStemmer("english")


def _stemmed(word):
    return word if MWE_SEPARATOR in word else _STEMMER.stem(word)


@lru_cache(maxsize=1 << 17)
def stem(word):
    """Snowball stem of a lower-case word; joined expressions ("world_war_ii") stay whole."""
    return _stemmed(word)


class _Stems:
    """:func:`stem` of many words at once, each distinct word stemmed once per process.

    The words stemmed so far are kept as a polars table (word, feature) and looked up by a
    join, which lets go of Python's lock; only words not seen before go to NLTK's stemmer in
    Python. (Looking each word up in :func:`stem`'s cache took as long as stemming the new
    ones, on a large vocabulary, and held the lock; the cache also held every word and stem
    as Python strings, evicting words it then stemmed again.) Safe to call from threads.
    """

    LIMIT = 1 << 21  # words kept (tens of MB at most): past it, the table begins again

    def __init__(self):
        self._lock = threading.Lock()
        self._known = pl.DataFrame(schema={"word": pl.String, "feature": pl.String})

    def __call__(self, words):
        """The stem of each of ``words`` (polars Series of distinct lower-case words), as a
        polars Series of strings in the same order."""
        found = pl.DataFrame({"word": words}).join(self._known, on="word", how="left",
                                                   maintain_order="left")
        features = found["feature"]
        missing = features.is_null().arg_true()
        if len(missing):
            new = found["word"].gather(missing)
            stems = pl.Series([_stemmed(w) for w in new.to_list()], dtype=pl.String)
            features = features.scatter(missing, stems)
            with self._lock:  # another thread may have added some of them meanwhile
                known = self._known if self._known.height + len(new) <= self.LIMIT else self._known.clear()
                added = pl.DataFrame({"word": new, "feature": stems}).unique("word").join(
                    known, on="word", how="anti")
                self._known = pl.concat([known, added], rechunk=True)
        return features


stems = _Stems()


def _is_number(word):
    return word.replace("_", "").isdigit()


@lru_cache(maxsize=1 << 16)
def _counted(word):
    """The word as counted (lower case, no possessive "'s"), or "" if it is not counted."""
    word = word.lower()
    if word.endswith("'s"):
        word = word[:-2]
    return "" if _is_number(word) else word


def word_tokens(text, remove_stopwords=False, normalize=True, rules=SHIPPED):
    """Lower-case word tokens of ``text``, spelling and names normalised, compounds joined.

    Possessive "'s" is dropped and tokens made only of digits are left out (years and sums
    would otherwise be the most "distinctive" words of every document).

    Parameters
    ----------
    text : str
    remove_stopwords : bool, default False
    normalize : bool, default True
        Apply :func:`analysis.text.normalize.normalized_text` first.
    rules : analysis.rules.RuleSet
        Whose spelling, aliases, expressions and stop words apply (default: the shipped ones).

    Returns
    -------
    list of str
    """
    if normalize:
        text = normalized_text(text, rules=rules)
    words = [w for w in map(_counted, _WORDS.findall(text)) if w]
    mwe, starts = _mwe_tokenizer(rules)
    if not starts.isdisjoint(words):
        words = mwe.tokenize(words)
    if remove_stopwords:
        stops = stop_words(rules)
        words = [w for w in words if w not in stops]
    return words


@lru_cache(maxsize=None)
def _word_pattern():
    """:data:`_WORDS` for polars: the ``regex`` module's ``\\w`` written out (Rust's differs)."""
    word = char_class(r"\w", module="regex")
    return f"{word}+(?:'{word}+)*"


def sentence_words(texts, rules=SHIPPED):
    """:func:`word_tokens` of every text (stop words kept), in polars, as one long table.

    Normalisation (:func:`analysis.text.normalize.normalized_texts`), the word pattern and the
    lists of expressions run over the whole column at once; Python sees each distinct word
    once (lower case, possessive, numbers) and only the texts where an expression may begin
    (NLTK's MWETokenizer).

    Parameters
    ----------
    texts : list of str or polars.Series

    Returns
    -------
    polars.DataFrame
        ``text`` (u32: position of the text in ``texts``) and ``word``, one row per token, in
        text order.
    """
    normalized = normalized_texts(texts, rules)
    table = pl.DataFrame({"text": pl.arange(0, len(normalized), dtype=pl.UInt32, eager=True),
                          "word": normalized.str.extract_all(_word_pattern())}).explode("word", empty_as_null=True)
    table = table.filter(pl.col("word").is_not_null())
    # _counted of each distinct word: in the column engine when it is ASCII (lower case is
    # Python's there), in Python otherwise
    written = table["word"].unique()
    lowered = written.str.to_lowercase().str.strip_suffix("'s")
    counted = pl.select(pl.when(lowered.str.contains(_ASCII_NUMBER)).then(pl.lit("")).otherwise(lowered)).to_series()
    wide = wide_rows(written)
    if len(wide):
        counted = counted.scatter(wide, pl.Series([_counted(w) for w in written.gather(wide).to_list()],
                                                  dtype=pl.String))
    table = table.with_columns(pl.col("word").replace_strict(written, counted)).filter(pl.col("word") != "")
    return _joined_expressions(table, rules)


# An ASCII word _is_number leaves out: digits and underscores, at least one digit.
_ASCII_NUMBER = "^[0-9_]*[0-9][0-9_]*$"


@lru_cache(maxsize=None)
def _expressions(rules=SHIPPED):
    """The expressions of ``mwe.txt`` by number of words: {n: set of "w1 w2 ..."}."""
    by_length = {}
    for phrase in _phrases(rules):
        by_length.setdefault(len(phrase), set()).add(" ".join(phrase))
    return by_length


def _joined_expressions(table, rules=SHIPPED):
    """NLTK's MWETokenizer over every text of the long ``table`` at once: at each word where an
    expression may begin, the longest expression that starts there (within its text) is found
    by polars; the matches are then taken left to right, as the tokenizer does, each joined
    into one token ("united_nations") in place of its words."""
    _, starts = _mwe_tokenizer(rules)
    by_length = _expressions(rules)
    if not by_length or table.height == 0:
        return table
    words, texts = table["word"], table["text"]
    at = words.is_in(sorted(starts)).arg_true()
    if len(at) == 0:
        return table
    last = table.height - 1
    at = at.to_numpy().astype(np.int64)
    length = np.ones(len(at), dtype=np.int64)
    expression = np.full(len(at), None, dtype=object)
    for n in sorted(by_length):  # longer matches overwrite shorter ones
        ends = np.minimum(at + (n - 1), last)
        parts = pl.DataFrame({f"w{d}": words.gather(np.minimum(at + d, last)) for d in range(n)})
        found = parts.select(pl.concat_str(pl.all(), separator=" ").is_in(sorted(by_length[n])))
        found = found.to_series().to_numpy() & (texts.gather(ends) == texts.gather(at)).to_numpy() \
            & (at + (n - 1) <= last)
        if found.any():
            length[found] = n
            expression[found] = parts.filter(pl.Series(found)).select(
                pl.concat_str(pl.all(), separator=MWE_SEPARATOR)).to_series().to_list()
    matched = np.flatnonzero(length > 1)
    if len(matched) == 0:
        return table
    keep = np.ones(table.height, dtype=bool)
    joined, places, covered = [], [], -1
    for start, n, token in zip(at[matched].tolist(), length[matched].tolist(), expression[matched]):
        if start < covered:
            continue  # inside the expression taken before it
        covered = start + n
        joined.append(token)
        places.append(start)
        keep[start + 1:covered] = False
    replaced = words.clone().scatter(places, pl.Series(joined, dtype=pl.String))
    return table.with_columns(word=replaced).filter(pl.Series(keep))


def word_spans(text, remove_stopwords=False, rules=SHIPPED):
    """:func:`word_tokens` with where each token is written in ``text``.

    Slower than :func:`word_tokens` (it tracks offsets through normalisation); use it where
    a match must be shown as the source wrote it (keyword in context).

    Returns
    -------
    list of (str, int, int)
        Token, start and end offset in ``text``: ``text[start:end]`` is the token as written
        ("U.N." for ``united_nations``, "Power of Siberia" for ``power_of_siberia``).
    """
    normalized, starts, ends = normalized_text_with_offsets(text, rules)
    found = []
    for begin, end in (match.span() for match in _WORDS.finditer(normalized)):
        word = _counted(normalized[begin:end])
        if word:
            found.append((word, starts[begin], ends[end - 1]))
    words = [w for w, _, _ in found]
    spans, i = [], 0
    for token in _mwe_tokenizer(rules)[0].tokenize(words):
        j = i + 1
        while MWE_SEPARATOR.join(words[i:j]) != token:
            j += 1
        spans.append((token, found[i][1], found[j - 1][2]))
        i = j
    if remove_stopwords:
        stops = stop_words(rules)
        spans = [span for span in spans if span[0] not in stops]
    return spans


def tokenize(text, rules=SHIPPED):
    """The features counted for ``text``: normalised, stop words out, stemmed, compounds joined.

    Returns
    -------
    list of str
        One feature per counted word, in text order.
    """
    return [stem(w) for w in word_tokens(text, remove_stopwords=True, rules=rules)]


def features_of_words(words, rules=SHIPPED):
    """The features counted for word tokens already made by :func:`word_tokens` (stop words
    out, stemmed): what :func:`tokenize` gives for the text they came from."""
    stops = stop_words(rules)
    return [stem(w) for w in words if w not in stops]


def surface_forms(texts, rules=SHIPPED):
    """For each feature, the word form most often written in ``texts`` (ties: alphabetical).

    Parameters
    ----------
    texts : iterable of str

    Returns
    -------
    dict
        Feature (stem) -> display form, with "_" of joined expressions shown as spaces.
    """
    return surface_forms_of_words(word_tokens(t, remove_stopwords=True, rules=rules) for t in texts)


def surface_forms_of_words(word_lists):
    """As :func:`surface_forms`, from lists of words already made by :func:`word_tokens`."""
    counts = Counter()
    for words in word_lists:
        counts.update(words)
    return surface_forms_of_counts(counts)


def surface_forms_of_counts(counts):
    """As :func:`surface_forms`, from word -> number of times written (a Counter)."""
    seen = defaultdict(Counter)
    for word, n in counts.items():
        seen[stem(word)][word] += n
    return {
        feature: min(forms.items(), key=lambda kv: (-kv[1], kv[0]))[0].replace(MWE_SEPARATOR, " ")
        for feature, forms in seen.items()
    }
