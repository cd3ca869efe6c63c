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

import numpy as np
import pandas as pd
import polars as pl
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
        found += [(number, start, end) for start, end in _paragraph_spans(paragraph, offset, known)]
    return found


def _paragraph_spans(paragraph, offset, known):
    """(start, end) of each stripped sentence of a stripped ``paragraph`` that begins at
    ``offset`` in its text, by Punkt's rules."""
    for a, b in _spans(paragraph, known):
        piece = paragraph[a:b]
        sentence = piece.strip()
        if sentence:
            start = offset + a + len(piece) - len(piece.lstrip())
            yield start, start + len(sentence)


# Where a paragraph's sentences can be read off in polars without Punkt's per-candidate tests
# (see batch_sentence_spans). Line ends other than "\n", and the characters Python counts as
# whitespace but Rust does not (\x1c-\x1f), send a whole text to Punkt's own path.
_OTHER_LINE_ENDS = "[\r\x0b\x0c\x1c-\x1f\x85\u2028\u2029]"
# Not simple: a candidate followed by punctuation other than a straight double quote, or by
# a quote that is not followed by a space (or the paragraph's end); after a candidate (and
# its quote) and spaces, a quote or bracket that Punkt would move to the sentence before,
# or a double quote that does not open a word; whitespace other than a space. (Punkt ends
# 'said." Next' after the quote, and starts '"Next' with it: the pieces between candidates.)
_NOT_SIMPLE = ("[.?!][);}\\]*:@'({\\[\u2018\u2019\u201c\u201d\xab\xbb!?]|[.?!]\"[^ ]"
               "|[.?!]\"? +(?:[')\\]}\u2018\u2019\u201c\u201d\xab\xbb]|\"[^A-Za-z]|\"$)|[^\\S ]")
_ENDING_TOKEN = "[^ ]+[.?!]\"? "  # a token that ends in . ? or ! (and maybe a quote) before a space: a candidate
# A token Punkt always breaks after (in quotes or not): a word of Latin letters ending in ? or !;
# one of two letters or more, or hyphenated words, ending in "." and not an abbreviation (nor
# its last part); or a word closed by a quote or bracket before its . ? or ! (Punkt reads the
# mark as a token of its own, which always ends a sentence).
_PLAIN_WORD = ("^\"?(?:[A-Za-z]+[?!]|[A-Za-z]{2,}[.]|[A-Za-z]+(?:-[A-Za-z]+)+[.]"
               "|[(]?[A-Za-z0-9%-]*[A-Za-z0-9%][\")][.?!])\"? $")
_PIECE = ".*?[.?!]\"? +|.+"  # a sentence and the spaces after it, in a simple paragraph


def batch_sentence_spans(texts, rules=SHIPPED):
    """:func:`sentence_spans` of every text, as columns: what Punkt decides, found in polars
    where the decision is plain, and by Punkt's rules (:func:`_spans`) where it is not.

    A paragraph is *simple* when each of its candidate breaks (a ``.``, ``?`` or ``!`` before a
    space, maybe with a straight double quote between) ends a token Punkt always breaks after
    (:data:`_PLAIN_WORD`: Latin letters, two or more before a ``.``, or hyphenated words, not a
    known abbreviation; or a word closed by a quote or bracket before its mark), no
    candidate is followed by other punctuation or by a quote or bracket that Punkt would move
    to the sentence before, and it has no whitespace but spaces. Punkt breaks after every such
    candidate (after its quote), so the sentences are the pieces between them. Every other
    paragraph goes through :func:`_spans`. The test suite checks that both give the same
    spans (seeds, generated text, random strings of the characters that matter, and of
    quotes, brackets and hyphens among plain words).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Sentences per text (int64, one per text), and one row per sentence in text order:
        paragraph number, start, end (int64, shape (n_sentences, 3)), as :func:`sentence_spans`.
    """
    texts = texts if isinstance(texts, pl.Series) else pl.Series(list(texts), dtype=pl.String)
    known = abbreviations(rules)
    line = pl.col("line")
    bare = pl.element().str.strip_chars('" ')  # a candidate token without its quotes
    base = bare.str.slice(0, bare.str.len_chars() - 1).str.to_lowercase()  # and its "."
    lines = (pl.DataFrame({"text": texts}).with_row_index("document")
             .filter(~pl.col("text").str.contains(_OTHER_LINE_ENDS))
             .select("document", line=pl.col("text").str.split("\n"))
             .with_columns(line_start=line.list.eval(pl.element().str.len_chars() + 1).list.eval(
                 pl.element().cum_sum() - pl.element()))
             .explode("line", "line_start", empty_as_null=True)
             .with_columns(paragraph=line.str.strip_chars())
             .filter(pl.col("paragraph") != "")
             .with_columns(number=pl.int_range(1, pl.len() + 1, dtype=pl.Int64).over("document"),
                           offset=pl.col("line_start") + line.str.len_chars()
                           - line.str.strip_chars_start().str.len_chars(),
                           simple=~pl.col("paragraph").str.contains(_NOT_SIMPLE)
                           & pl.col("paragraph").str.extract_all(_ENDING_TOKEN).list.eval(
                               pl.element().str.contains(_PLAIN_WORD)
                               & ~(bare.str.ends_with(".")
                                   & (base.is_in(sorted(known))
                                      | base.str.replace("^.*-", "").is_in(sorted(known))))).list.all())
             .drop("line"))
    simple = lines.filter("simple").select(
        "document", "number", "offset", piece=pl.col("paragraph").str.extract_all(_PIECE)).explode("piece", empty_as_null=True)
    simple = simple.with_columns(
        start=pl.col("offset") + (pl.col("piece").str.len_chars().cum_sum()
                                  - pl.col("piece").str.len_chars()).over("document", "number"),
        length=pl.col("piece").str.strip_chars_end(" ").str.len_chars()).select(
        "document", "number", "start", end=pl.col("start") + pl.col("length"))
    rows = [simple]
    hard = lines.filter(~pl.col("simple"))
    found = [(document, number, start, end)
             for document, number, offset, paragraph in hard.select(
                 "document", "number", "offset", "paragraph").iter_rows()
             for start, end in _paragraph_spans(paragraph, offset, known)]
    if found:
        rows.append(pl.DataFrame(found, schema=simple.schema, orient="row"))
    others = texts.str.contains(_OTHER_LINE_ENDS).arg_true().to_list()
    for document in others:  # texts with other line ends: Punkt's path, whole
        spans = sentence_spans(texts[document], rules)
        if spans:
            number, start, end = zip(*spans)
            rows.append(pl.DataFrame({"document": [document] * len(spans), "number": number, "start": start,
                                      "end": end}, schema=simple.schema))
    table = pl.concat(rows).sort("document", "start")
    per_text = np.bincount(table["document"].to_numpy(), minlength=len(texts)).astype(np.int64)
    return per_text, table.select("number", "start", "end").to_numpy().astype(np.int64).reshape(-1, 3)


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
