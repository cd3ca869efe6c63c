"""Split text into sentences: NLTK Punkt's rules with fixed parameters, compiled for speed.

Punkt is used with fixed parameters instead of a downloaded model, so nothing needs
``nltk_data``: the abbreviations that must not end a sentence ("Feb. 18", "Mr. Putin",
"the U.S. side") are read from ``abbreviations.txt``. Line breaks are paragraph breaks in
these texts (a transcript's speaker header stands on its own line), so no sentence crosses one.

With fixed parameters (no learned collocations, sentence starters or orthographic counts)
Punkt's decision at a candidate break reduces to a few tests on the word before it and the
token after it. :func:`paragraph_sentences` makes those tests directly with Python's ``re``
module; NLTK's own class runs the same rules about five times slower, through a
regular-expression wrapper and one object per word. The test suite checks that both give the
same sentences on the seed corpus and on generated text full of abbreviations, initials,
numbers, quotes and ellipses (``tests/test_processed.py``).
"""
import re
from functools import lru_cache

import pandas as pd
from nltk.tokenize.punkt import PunktLanguageVars, PunktParameters, PunktSentenceTokenizer, PunktToken

from ..rules import SHIPPED

_LANG = PunktLanguageVars()
# NLTK's own patterns, compiled with ``re`` instead of NLTK's wrapper around ``regex``.
_CANDIDATE = re.compile(_LANG._period_context_fmt % {
    "NonWord": _LANG._re_non_word_chars, "SentEndChars": _LANG._re_sent_end_chars},
    re.UNICODE | re.VERBOSE)
_WORD = re.compile(_LANG._word_tokenize_fmt % {
    "NonWord": _LANG._re_non_word_chars, "MultiChar": _LANG._re_multi_char_punct,
    "WordStart": _LANG._re_word_start}, re.UNICODE | re.VERBOSE)
_REALIGN = re.compile(_LANG.re_boundary_realignment.pattern, re.MULTILINE)
_ELLIPSIS = re.compile(PunktToken._RE_ELLIPSIS.pattern)
_NUMERIC = re.compile(PunktToken._RE_NUMERIC.pattern)
_INITIAL = re.compile(PunktToken._RE_INITIAL.pattern, re.UNICODE)
_PUNCTUATION = frozenset(PunktSentenceTokenizer.PUNCTUATION)
_SENT_END = frozenset(_LANG.sent_end_chars)


@lru_cache(maxsize=None)
def abbreviations(rules=SHIPPED):
    """Abbreviations that do not end a sentence (``abbreviations.txt``), as Punkt stores
    them: lower case, without the final period."""
    return frozenset(a.lower().rstrip(".") for a in rules.words("abbreviations.txt"))


def punkt_tokenizer(rules=SHIPPED):
    """NLTK's :class:`~nltk.tokenize.punkt.PunktSentenceTokenizer` with the same parameters
    (the reference :func:`paragraph_sentences` is tested against)."""
    params = PunktParameters()
    params.abbrev_types = set(abbreviations(rules))
    return PunktSentenceTokenizer(params)


def _is_break(token, following, known):
    """Punkt's first and second pass for ``token`` followed by ``following``, with no
    learned statistics: does a sentence end after ``token``?"""
    if token in _SENT_END:
        breaks, abbreviation = True, False
    elif _ELLIPSIS.match(token):
        breaks, abbreviation = False, True
    elif token.endswith(".") and not token.endswith(".."):
        base = token[:-1].lower()
        abbreviation = base in known or base.split("-")[-1] in known
        breaks = not abbreviation
    else:
        return False
    if not token.endswith("."):
        return breaks
    kind = _NUMERIC.sub("##number##", token.lower())
    if len(kind) > 1 and kind[-1] == ".":
        kind = kind[:-1]
    initial = _INITIAL.match(token)
    if initial or kind == "##number##":
        # Orthographic heuristic with no counts: a punctuation mark or a lower-case word
        # does not start a sentence; anything else is "unknown".
        if following in _PUNCTUATION or following[0].islower():
            return False
        if initial and following[0].isupper():
            return False
    return breaks


def _contains_break(context, known):
    """Punkt's ``text_contains_sentbreak`` for one candidate's context."""
    words = []
    for line in context.split("\n"):
        if line.strip():
            words += _WORD.findall(line)
    return any(_is_break(words[i], words[i + 1], known) for i in range(len(words) - 1))


def _last_whitespace(text):
    # max over string.whitespace, written out: a generator costs more than the six searches
    found = max(text.rfind(" "), text.rfind("\t"), text.rfind("\n"), text.rfind("\r"),
                text.rfind("\x0b"), text.rfind("\x0c"))
    return found if found > 0 else 0


def _candidates(text):
    """Punkt's ``_match_potential_end_contexts``: (match, context) per candidate break."""
    previous_start = previous_stop = 0
    previous = None
    for match in _CANDIDATE.finditer(text):
        before = text[previous_stop:match.start()]
        index = _last_whitespace(before)
        start = index + previous_stop + 1 if index else previous_start
        if previous is not None and previous_stop <= start:
            yield previous, text[previous_start:previous_stop] + previous.group() + previous.group("after_tok")
        previous, previous_start, previous_stop = match, start, match.start()
    if previous is not None:
        yield previous, text[previous_start:previous_stop] + previous.group() + previous.group("after_tok")


def _spans(text, known):
    """Sentence spans of one paragraph, as Punkt's ``span_tokenize`` gives them."""
    slices, last = [], 0
    for match, context in _candidates(text):
        if _contains_break(context, known):
            slices.append((last, match.end()))
            last = match.start("next_tok") if match.group("next_tok") else match.end()
    slices.append((last, len(text.rstrip())))
    spans, realign = [], 0
    for i, (start, stop) in enumerate(slices):
        start += realign
        if i + 1 == len(slices):
            if text[start:stop]:
                spans.append((start, stop))
            continue
        following = slices[i + 1][0]
        found = _REALIGN.match(text[following:slices[i + 1][1]])
        if found:
            spans.append((start, following + len(found.group(0).rstrip())))
            realign = found.end()
        else:
            realign = 0
            if text[start:stop]:
                spans.append((start, stop))
    return spans


def sentences(text, rules=SHIPPED):
    """The sentences of ``text``, in order, stripped.

    Parameters
    ----------
    text : str
        Cleaned text; each line is a paragraph.
    rules : analysis.rules.RuleSet
        Whose ``abbreviations.txt`` applies (default: the shipped one).

    Returns
    -------
    list of str
    """
    return [sentence for _, sentence in paragraph_sentences(text, rules)]


def sentence_spans(text, rules=SHIPPED):
    """Where each sentence of ``text`` is: paragraph number and character span.

    Returns
    -------
    list of (int, int, int)
        1-based paragraph number (non-empty lines only), start and end offset in ``text``
        (``text[start:end]`` is the stripped sentence), in order.
    """
    known = abbreviations(rules)
    found, number, position = [], 0, 0
    for line in text.splitlines(keepends=True):
        line_start, position = position, position + len(line)
        paragraph = line.strip()
        if not paragraph:
            continue
        number += 1
        offset = line_start + len(line) - len(line.lstrip())
        for a, b in _spans(paragraph, known):
            piece = paragraph[a:b]
            sentence = piece.strip()
            if sentence:
                start = offset + a + len(piece) - len(piece.lstrip())
                found.append((number, start, start + len(sentence)))
    return found


def paragraph_sentences(text, rules=SHIPPED):
    """The sentences of ``text`` with the number of the paragraph (line) each is in.

    Returns
    -------
    list of (int, str)
        1-based paragraph number (non-empty lines only) and sentence, in order.
    """
    return [(number, text[start:end]) for number, start, end in sentence_spans(text, rules)]


def sentence_table(corpus, rules=SHIPPED):
    """One row per sentence of every document (without tokens; the processed corpus's
    :attr:`~analysis.ProcessedCorpus.sentences` is the table every measure reads).

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
        for number, sentence in enumerate(sentences(text, rules), start=1)
    ]
    return pd.DataFrame(rows, columns=["doc_id", "sentence_id", "sentence"])
