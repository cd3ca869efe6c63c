"""Who is speaking: attribute each sentence to a speaker of ``speakers.toml`` (Xi, Putin),
another person or the narrator.

The rules are plain and auditable: every sentence records which rule attributed it, and every
word list is in ``speakers.toml``. For each paragraph, in order of precedence:

1. **header / transcript** — a transcript header names the speaker of what follows, on a line
   of its own ("President of Russia Vladimir Putin:") or at the start of the speech
   ("President of China Xi Jinping (retranslated): Dear friend, ..."). In a transcript (a
   document with several headers) a turn runs on until the next header. Labels that end in a
   colon ("Background:", "What we know:") are no one.
2. **quote** — a quotation, over one sentence or several, belongs to the speaker its
   attribution names, whether the attribution comes before it ('Putin said: "..."') or after
   it ('"... . ...," Putin said.'); every sentence of the quotation gets that speaker.
3. **subject** — a subject next to a reporting verb, outside quotation marks: "Xi said",
   "President Putin warmly welcomed", "Xi, in turn, said", "Yuri Ushakov, a Kremlin aide,
   said", '"...," said Putin', "according to Xi", "Putin called Xi a friend and said";
   joint subjects ("the two leaders", "Putin and Xi") are the narrator; a country is the
   narrator, an institution ("the Kremlin said") another speaker. The leftmost pair wins.
4. **pronoun** — "he said" stands for the nearest speaker named in the last
   ``pronoun_paragraphs`` paragraphs who is not named again in the sentence ("He thanked
   Putin": he is not Putin).
5. **paragraph** — in a paragraph whose first sentence a speaker says (a Chinese readout's
   paragraph of reported speech), an unattributed sentence continues that speaker.
6. **none** — the narrator.

Measured by notebook ``04_validation`` and ``tools/validate_rules.py`` against sentences
labelled by people who did not write the rules.
"""
import re
from functools import lru_cache

import pandas as pd

from ..errors import ParameterError, RuleError
from ..rules import SHIPPED
from ..text.corpus import require_column
from ..text.processed import as_processed
from ..text.tokens import stop_words

OTHER, NARRATOR = "other", "narrator"
_CAPITAL = r"[A-Z][\w'’.-]*"
_NAME = rf"{_CAPITAL}(?:\s+(?:of\s+(?:the\s+)?)?{_CAPITAL}){{0,5}}"
_QUOTE = '"'
_NOTE = re.compile(r"\s*\([^()]{0,40}\)\s*")


def _alternation(phrases):
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(phrases, key=len, reverse=True))


def _mention_pattern(mentions):
    parts = []
    for mention in sorted(mentions, key=len, reverse=True):
        escaped = re.escape(mention).replace(r"\ ", r"\s+")
        parts.append(escaped if mention[:1].isupper() else f"(?i:{escaped})")
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w])")


def _speakers_file(rules):
    data = rules.toml("speakers.toml")
    where = " + ".join(str(p) for p in rules.layers("speakers.toml"))
    for key in ("speakers", "rules", "headers", "carry"):
        if not isinstance(data.get(key), dict) or not data[key]:
            raise RuleError(f"{where}: needs a [{key}] table (see the shipped speakers.toml)")
    for key, spec in data["speakers"].items():
        if key in (OTHER, NARRATOR):
            raise RuleError(f"{where}: [speakers.{key}]: {key!r} is reserved; name the person")
        missing = [k for k in ("name", "mentions", "color") if k not in spec]
        if missing:
            raise RuleError(f"{where}: [speakers.{key}] lacks {', '.join(missing)}")
    for key in (OTHER, NARRATOR):
        if key not in data.get("display", {}):
            raise RuleError(f"{where}: needs [display.{key}] with name and color")
    needed = ["reporting_verbs", "between", "pronouns", "joint", "roles", "institutions",
              "not_persons", "titles", "labels"]
    missing = [k for k in needed if not isinstance(data["rules"].get(k), list)]
    if missing:
        raise RuleError(f"{where}: [rules] needs the list(s) {', '.join(missing)}")
    return data


@lru_cache(maxsize=None)
def speaker_table(rules=SHIPPED):
    """The speakers of ``speakers.toml``: one row per named speaker, then ``other`` and
    ``narrator``: ``speaker`` (id), ``name``, ``short`` (shown in column labels), ``color``.
    Their order is the order of every speaker table and figure."""
    data = _speakers_file(rules)
    rows = [{"speaker": key, "name": spec["name"], "short": spec.get("short", spec["name"]),
             "color": spec["color"]} for key, spec in data["speakers"].items()]
    rows += [{"speaker": key, "name": data["display"][key]["name"],
              "short": data["display"][key]["name"], "color": data["display"][key]["color"]}
             for key in (OTHER, NARRATOR)]
    return pd.DataFrame(rows, columns=["speaker", "name", "short", "color"])


def speaker_order(rules=SHIPPED):
    """Speaker ids in display order: the named speakers of ``speakers.toml``, other, narrator."""
    return list(speaker_table(rules)["speaker"])


@lru_cache(maxsize=None)
def speaker_rules(rules=SHIPPED):
    """The rules of ``speakers.toml``, compiled.

    Returns
    -------
    dict
        ``speakers`` (id -> (display name, compiled mention pattern)), ``subject`` (compiled
        pattern of subject-verb pairs), word sets and numbers of ``[rules]``, ``[headers]``
        and ``[carry]``.
    """
    data = _speakers_file(rules)
    found = data["rules"]
    speakers = {key: (spec["name"], _mention_pattern(spec["mentions"]))
                for key, spec in data["speakers"].items()}
    mentions = [m for spec in data["speakers"].values() for m in spec["mentions"]]
    # verbs that report speech only with what was said: "declared that", "announced:"
    verbs = _alternation(found["reporting_verbs"]) + "|(?:" + _alternation(
        found.get("reporting_verbs_with_that", [])) + r")(?=\s+(?:that\b|:|\"))"
    between = _alternation(found["between"])
    roles = _alternation(found["roles"])
    institutions = _alternation(found["institutions"])
    named = rf"(?:{_NAME}|(?i:{_alternation(m for m in mentions if not m[:1].isupper())}))"
    subject = (
        rf"(?P<role>{_NAME}['’]s\s+(?:[a-z-]+\s+){{0,3}}?(?i:{roles})(?:\s+(?P<role_name>{_NAME}))?)"
        rf"|(?P<joint>\b(?i:{_alternation(found['joint'])})\b|{named}\s+and\s+{named}"
        rf"|{named}\s+and\s+(?i:his|her|their)\s+(?:[\w-]+\s+){{0,2}}counterparts?(?:\s+{named})?)"
        rf"|(?P<institution>(?:(?i:the)\s+)?(?:{_CAPITAL}['’]s\s+|{_CAPITAL}\s+){{0,2}}(?i:{institutions})\b)"
        rf"|(?P<bare_role>(?i:the|a|an)\s+(?:[\w-]+\s+){{0,3}}?(?i:{roles})\b)"
        rf"|(?P<pronoun>\b(?i:{_alternation(found['pronouns'])})\b)"
        rf"|(?P<name>{named})"
    )
    # between subject and verb: an aside in commas, auxiliaries and adverbs in -ly
    link = rf"(?:,\s+[^,\"]{{1,80}}?,)?\s+(?:(?i:{between})\s+){{0,2}}(?:[a-z]+ly\s+){{0,2}}"
    pairs = (
        rf"(?:(?P<s1>{subject.replace('?P<', '?P<a_')}){link}(?i:{verbs})\b)"
        rf"|(?:[\"“”,]\s*(?i:{verbs})\s+(?P<s2>{subject.replace('?P<', '?P<b_')}))"
        rf"|(?:\b(?i:according\s+to)\s+(?P<s3>{subject.replace('?P<', '?P<c_')}))"
    )
    # a verb coordinated with another ("Putin called Xi a friend and said"): tried only when
    # no direct pair is found
    # (inside a lookahead, so a failed subject early in the sentence does not hide a later one)
    coordinated = (
        rf"(?=(?P<clause>(?P<s4>{subject.replace('?P<', '?P<d_')})\s+(?!(?i:and)\b)[^.;:]{{1,80}}?"
        rf"(?:\s+and\s+|,\s+)(?:(?i:{between})\s+){{0,2}}(?:[a-z]+ly\s+){{0,2}}(?i:{verbs})\b))"
    )
    headers, carry = data["headers"], data["carry"]
    return {"speakers": speakers, "subject": re.compile(pairs),
            "coordinated": re.compile(coordinated),
            "function_words": stop_words(rules),
            "not_persons": frozenset(found["not_persons"]),
            "titles": frozenset(w.lower() for w in found["titles"] + found["roles"]),
            "roles": frozenset(w.lower() for w in found["roles"]),
            "labels": frozenset(w.lower() for w in found["labels"]),
            "max_words": int(headers["max_words"]),
            "min_transcript_headers": int(headers.get("min_transcript_headers", 2)),
            "pronoun_paragraphs": int(carry["pronoun_paragraphs"])}


def _who(text, rules):
    """Speaker id(s) of the named speakers mentioned in ``text``."""
    return [key for key, (_, pattern) in rules["speakers"].items() if pattern.search(text)]


def _person_name(text, rules):
    """The name of the person ``text`` names, without titles ("Kremlin spokesman Dmitry
    Peskov" -> "Dmitry Peskov"), or "" when it names no person (a country, a role)."""
    words = [w.rstrip(".,").replace("’", "'") for w in text.split()]
    name = []
    for word in reversed(words):
        bare = word.removesuffix("'s")
        if not bare[:1].isupper() or bare in rules["not_persons"] or bare.lower() in rules["titles"] \
                or (bare.lower() in rules["function_words"] and not name):
            break
        name.insert(0, bare)
    if not name or " ".join(name).lower() in rules["labels"]:
        return ""
    return " ".join(name)


def _resolve(match, rules):
    """(speaker, name) for a subject-verb match; None when the subject is no speaker;
    ("pronoun", "") for he/she."""
    groups = {k[2:]: v for k, v in match.groupdict().items() if v and k[1] == "_"}
    if "role" in groups:  # "Putin's aide (Yuri Ushakov)": the name only when given
        return OTHER, _person_name(groups.get("role_name") or "", rules)
    if "joint" in groups:
        return NARRATOR, ""
    if "institution" in groups:  # "the Kremlin", "China's foreign ministry"
        return OTHER, ""
    if "bare_role" in groups:  # "the spokeswoman", "a Kremlin aide"
        return OTHER, ""
    if "pronoun" in groups:
        return "pronoun", ""
    text = groups["name"]
    leaders = _who(text, rules)
    if len(leaders) == 1:
        return leaders[0], rules["speakers"][leaders[0]][0]
    if len(leaders) > 1:
        return NARRATOR, ""
    name = _person_name(text, rules)
    if name:
        return OTHER, name
    words = [w.strip(".,").lower() for w in text.split()]
    if words and words[-1] in rules["roles"]:
        return OTHER, ""  # "Officials said", "Analysts say"
    return None  # a country or capital: the narrator's summary, no speaker


def _header_name(name, previous_line, rules):
    """(speaker, name) if ``name`` (the text before a header's colon) names a speaker."""
    name = name.strip()
    if re.fullmatch(r"\(.*\)", name):  # "(retranslated):" names the line before
        name = previous_line or ""
    name = _NOTE.sub(" ", name).strip()
    if not name or len(name.split()) > rules["max_words"] or re.search(r"[.!?\"]", name.rstrip(".")):
        return None
    if name.lower().rstrip(".") in rules["labels"]:
        return None
    leaders = _who(name, rules)
    if len(leaders) == 1:
        return leaders[0], rules["speakers"][leaders[0]][0]
    person = _person_name(name, rules)
    if person and len(person.split()) >= 2 and not any(w[:1].islower() for w in name.split()
                                                       if w.lower() not in ("of", "the", "and")):
        return OTHER, person
    return None


def _headers(lines, rules):
    """Per paragraph: (speaker, name, rest) of its header, or None. ``rest`` is the speech
    after an inline header ("" for a header on a line of its own)."""
    found = []
    for index, line in enumerate(lines):
        header = None
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if re.fullmatch(r"\(.*\):", following):  # the name line of "name / (note):"
            who = _header_name(line, None, rules)
            header = (*who, "") if who else None
        elif line.endswith(":") and len(line.split()) <= rules["max_words"] + 3:
            who = _header_name(line[:-1], lines[index - 1] if index else None, rules)
            header = (*who, "") if who else None
        else:
            head, colon, rest = line.partition(": ")
            if colon and rest:
                who = _header_name(head, None, rules)
                header = (*who, rest) if who else None
        found.append(header)
    return found


def _quote_regions(text):
    """(start, end) of each quotation in one paragraph (an unclosed one runs to its end)."""
    marks = [m.start() for m in re.finditer(_QUOTE, text)]
    regions = [(marks[i], marks[i + 1] + 1) for i in range(0, len(marks) - 1, 2)]
    if len(marks) % 2:
        regions.append((marks[-1], len(text)))
    return regions


def _masked(text, regions, offset=0):
    """``text`` with the inside of quotations blanked (the marks stay), so no verb inside a
    quotation attributes it."""
    chars = list(text)
    for start, end in regions:
        for i in range(max(start - offset + 1, 0), min(end - offset - 1, len(chars))):
            chars[i] = " "
    return "".join(chars)


def _attribution(text, rules):
    """The first subject-verb pair of ``text`` that names a speaker: (speaker, name) or None;
    a pronoun comes back as ("pronoun", ""). Direct pairs first, then coordinated verbs ("Putin
    called Xi a friend and said"); a joint subject ("Xi and his counterpart Putin held talks
    and agreed") is the narrator's."""
    for match in rules["subject"].finditer(text):
        found = _resolve(match, rules)
        if found is not None:
            return found
    for match in rules["coordinated"].finditer(text):
        found = _resolve(match, rules)
        if found is not None:
            return found
    return None


def _full_name(name, known):
    """Expand a surname to a full name seen earlier in the document ("Lin" -> "Lin Jian")."""
    if " " in name:
        return name
    for full in reversed(known):
        parts = full.split()
        if name in parts and len(parts) > 1:
            return full
    return name


class _Document:
    """What attribution remembers while it reads one document."""

    def __init__(self, rules):
        self.rules = rules
        self.recent = []  # (speaker, name, paragraph) of speakers named, newest last
        self.known_names = []

    def named(self, speaker, name, paragraph):
        if speaker == NARRATOR:
            return
        if speaker == OTHER and name:
            name = _full_name(name, self.known_names)
            self.known_names.append(name)
        self.recent.append((speaker, name, paragraph))
        return name

    def pronoun(self, sentence, paragraph):
        """The speaker a he/she in ``sentence`` stands for."""
        excluded = set(_who(sentence, self.rules))
        for speaker, name, seen in reversed(self.recent):
            if paragraph - seen > self.rules["pronoun_paragraphs"]:
                break
            if speaker not in excluded:
                return speaker, name
        return NARRATOR, ""


def attribute_sentences(text, sentences, rules=SHIPPED):
    """Attribute every sentence of one document.

    Parameters
    ----------
    text : str
        The document's cleaned text.
    sentences : pandas.DataFrame
        Its rows of the sentence table (``sentence_id``, ``paragraph``, ``start``, ``end``,
        ``sentence``); without ``start``/``end`` they are found in the text.

    Returns
    -------
    list of dict
        Per sentence, in order: ``sentence_id``, ``paragraph``, ``sentence``, ``speaker``
        (a speaker id, other or narrator), ``name`` (display name; for ``other`` the person's
        name when known), ``rule`` (header, transcript, quote, subject, pronoun, paragraph,
        none).
    """
    compiled = speaker_rules(rules)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    line_starts = _line_starts(text)
    headers = _headers(lines, compiled)
    transcript = sum(h is not None for h in headers) >= compiled["min_transcript_headers"]
    memory = _Document(compiled)
    table = pd.DataFrame(sentences)
    if "start" not in table:
        table = _with_spans(text, table)
    rows = []
    turn = None  # (speaker, name) of the current transcript turn
    for paragraph, part in table.groupby("paragraph", sort=True):
        line = lines[paragraph - 1]
        header = headers[paragraph - 1]
        offset = line_starts[paragraph - 1]
        records = list(zip(part["sentence_id"], part["sentence"], part["start"] - offset,
                           part["end"] - offset))
        if header is not None:
            speaker, name, rest = header
            name = memory.named(speaker, name, paragraph) or name
            turn = (speaker, name) if transcript or not rest else None
            for sentence_id, sentence, start, end in records:
                rule = "header" if not rest else "transcript"
                who = (NARRATOR, "") if not rest else (speaker, name)
                rows.append(_row(sentence_id, paragraph, sentence, *who, rule))
            continue
        if turn is not None and transcript:
            for sentence_id, sentence, _, _ in records:
                rows.append(_row(sentence_id, paragraph, sentence, *turn, "transcript"))
            continue
        turn = None
        rows += _paragraph(records, paragraph, line, memory, compiled, rows[-1] if rows else None)
    return rows


def _paragraph(records, paragraph, line, memory, rules, previous_row=None):
    """Attribute the sentences of one paragraph that is not a transcript turn;
    ``previous_row`` is the document's row before it (a quotation that opens a paragraph
    continues the quotation that ended the paragraph before)."""
    regions = _quote_regions(line)
    said = [None] * len(records)  # ((speaker, name), rule) per sentence
    quoted = None  # the speaker of the last attributed quotation before
    here = None  # ... in this paragraph
    if previous_row is not None and previous_row["rule"] in ("quote", "subject") \
            and previous_row["speaker"] != NARRATOR and previous_row["paragraph"] == paragraph - 1:
        quoted = (previous_row["speaker"], previous_row["name"])
    # quotations: the attribution before or after the quotation names its speaker; a quotation
    # without one continues the quotation before it ('"...," she added. "..."')
    for number, (start, end) in enumerate(regions):
        inside = [i for i, (_, _, a, b) in enumerate(records) if a < end and b > start]
        if not inside:
            continue
        first, last = inside[0], inside[-1]
        tail = line[end - 1:records[last][3]]          # from the closing mark to the sentence end
        head = line[records[first][2]:start + 1]       # from the sentence start to the opening mark
        who = _attribution(_masked(tail, regions, end - 1), rules) if end <= len(line) else None
        if who is None:
            who = _attribution(_masked(head, regions, records[first][2]), rules)
        if who is not None and who[0] == "pronoun":
            who = memory.pronoun(line[records[first][2]:records[last][3]], paragraph)
        if who is None and here is not None:
            who = here  # '"...," she added. "..."'
        elif who is None and quoted is not None and start == 0:
            who = quoted  # a paragraph that opens with a quotation continues the last one
        if who is None:
            continue
        if who[0] != NARRATOR:
            quoted = here = who
        for i in inside:
            said[i] = (who, "quote")
    rows = []
    opener = None  # the speaker of the paragraph's first sentence, when a rule found one
    for i, (sentence_id, sentence, start, end) in enumerate(records):
        if said[i] is None:
            who = _attribution(_masked(sentence, regions, start), rules)
            if who is not None:
                said[i] = (memory.pronoun(sentence, paragraph), "pronoun") if who[0] == "pronoun" \
                    else (who, "subject")
        if said[i] is None:
            previous = rows[-1] if rows else None
            # reported speech runs on in a named speaker's paragraph, unless the sentence
            # speaks about that speaker ("Putin is one of 20 leaders ...")
            if previous and opener and previous["speaker"] == opener[0] \
                    and opener[0] in rules["speakers"] and opener[0] not in _who(sentence, rules):
                said[i] = (opener, "paragraph")
            else:
                said[i] = ((NARRATOR, ""), "none")
        (speaker, name), rule = said[i]
        if rule in ("subject", "quote", "pronoun"):
            name = memory.named(speaker, name, paragraph) or name
        if i == 0:
            opener = (speaker, name) if rule in ("subject", "pronoun", "quote") else None
        rows.append(_row(sentence_id, paragraph, sentence, speaker, name, rule))
        if i == 0 or rule != "paragraph":
            # a leader named as the subject of a sentence is who a later "he" may mean
            for leader in _who(_masked(sentence, regions, start)[:60], rules):
                if rule == "none":
                    memory.named(leader, rules["speakers"][leader][0], paragraph)
    return rows


def _row(sentence_id, paragraph, sentence, speaker, name, rule):
    return {"sentence_id": sentence_id, "paragraph": paragraph, "sentence": sentence,
            "speaker": speaker, "name": name, "rule": rule}


def _line_starts(text):
    """Character offset of each non-empty line's stripped text in ``text``."""
    starts, position = [], 0
    for line in text.splitlines(keepends=True):
        if line.strip():
            starts.append(position + len(line) - len(line.lstrip()))
        position += len(line)
    return starts


def _with_spans(text, table):
    from ..text.sentences import sentence_spans

    spans = sentence_spans(text)
    return table.assign(start=[a for _, a, _ in spans], end=[b for _, _, b in spans])


def speaker_sentences(processed):
    """Every sentence of the corpus with its speaker.

    Parameters
    ----------
    processed : analysis.ProcessedCorpus
        From :func:`analysis.load_processed`; its ``rules`` give ``speakers.toml``.

    Returns
    -------
    pandas.DataFrame
        One row per row of the sentence table, in its order: ``doc_id``, ``sentence_id``,
        ``paragraph``, ``sentence``, ``speaker`` (a speaker id of ``speakers.toml``, other or
        narrator), ``name``, ``rule`` (which rule attributed it, for auditing).
    """
    processed = as_processed(processed)
    frames = [pd.DataFrame(attribute_sentences(text, rows, processed.rules)).assign(doc_id=doc_id)
              for doc_id, text, rows in processed.document_sentences() if len(rows)]
    columns = ["doc_id", "sentence_id", "paragraph", "sentence", "speaker", "name", "rule"]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]


def attribution_accuracy(attributed, labelled, rules=SHIPPED):
    """Share of hand-labelled sentences the rules attribute to the same speaker.

    Parameters
    ----------
    attributed : pandas.DataFrame
        From :func:`speaker_sentences`.
    labelled : pandas.DataFrame
        ``doc_id``, ``sentence_id``, ``speaker`` (the hand label), optionally ``sentence``
        (checked against the corpus, so labels of an edited text are not silently reused).

    Returns
    -------
    pandas.DataFrame
        One row per labelled speaker and a last row ``all``: ``speaker``, ``labelled``,
        ``correct``, ``accuracy`` (correct / labelled, i.e. recall), ``attributed`` (sentences
        the rules gave this speaker among the labelled ones), ``precision``. Empty when no
        labelled sentence is in the corpus.

    Raises
    ------
    ParameterError
        A labelled sentence's text differs from the corpus's.
    """
    missing = {"doc_id", "sentence_id", "speaker"} - set(labelled.columns)
    if missing:
        raise ParameterError(f"speaker labels lack column(s) {', '.join(sorted(missing))}")
    joined = labelled.merge(attributed, on=["doc_id", "sentence_id"], suffixes=("_label", ""))
    if "sentence_label" in joined.columns:
        changed = joined[joined["sentence_label"] != joined["sentence"]]
        if len(changed):
            first = changed.iloc[0]
            raise ParameterError(
                f"speaker labels: sentence {first['sentence_id']} of {first['doc_id']} reads "
                f"{first['sentence_label'][:60]!r} in the labels but {first['sentence'][:60]!r} "
                f"in the corpus; relabel after changing texts or sentence splitting")
    columns = ["speaker", "labelled", "correct", "accuracy", "attributed", "precision"]
    if joined.empty:
        return pd.DataFrame(columns=columns)
    hit = joined["speaker_label"] == joined["speaker"]
    rows = []
    known = speaker_order(rules)
    present = set(joined["speaker_label"])
    for speaker in [s for s in known if s in present] + sorted(present - set(known)):
        truth = joined["speaker_label"] == speaker
        said = joined["speaker"] == speaker
        rows.append({"speaker": speaker, "labelled": int(truth.sum()),
                     "correct": int((truth & hit).sum()),
                     "accuracy": float((truth & hit).sum() / truth.sum()),
                     "attributed": int(said.sum()),
                     "precision": float((truth & hit).sum() / said.sum()) if said.any() else float("nan")})
    rows.append({"speaker": "all", "labelled": len(joined), "correct": int(hit.sum()),
                 "accuracy": float(hit.mean()), "attributed": len(joined),
                 "precision": float(hit.mean())})
    return pd.DataFrame(rows, columns=columns)


def themes_by_speaker(sentence_counts, attributed, corpus, group_by, labels, rules=SHIPPED):
    """Which themes each group of sources puts in each speaker's mouth.

    Parameters
    ----------
    sentence_counts : pandas.DataFrame
        From :func:`analysis.themes.sentence_theme_counts` (one column per theme).
    attributed : pandas.DataFrame
        From :func:`speaker_sentences`.
    group_by : str
        Document variable that groups the sources (origin, source_type, outlet, ...).
    labels : dict
        Theme -> label, in display order.

    Returns
    -------
    pandas.DataFrame
        ``group``, ``speaker``, ``theme``, ``label``, ``sentences`` (the speaker's sentences
        in the group), ``with_theme`` (of those, how many mention the theme), ``share``
        (with_theme / sentences), ``count`` (theme matches), ``tokens``, ``rate_per_1k``.
        Groups sorted, speakers in the order of :func:`speaker_order`; themes as given.
    """
    themes = list(labels)
    groups = corpus.set_index("doc_id")[group_by].astype(str)
    table = sentence_counts.merge(attributed[["doc_id", "sentence_id", "speaker"]],
                                  on=["doc_id", "sentence_id"], how="inner")
    table["group"] = table["doc_id"].map(groups)
    rows = []
    for (group, speaker), part in table.groupby(["group", "speaker"], sort=True):
        tokens = int(part["tokens"].sum())
        for theme in themes:
            count = int(part[theme].sum())
            with_theme = int((part[theme] > 0).sum())
            rows.append({"group": group, "speaker": speaker, "theme": theme,
                         "label": labels[theme], "sentences": len(part), "with_theme": with_theme,
                         "share": with_theme / len(part), "count": count, "tokens": tokens,
                         "rate_per_1k": 1000 * count / tokens if tokens else float("nan")})
    columns = ["group", "speaker", "theme", "label", "sentences", "with_theme", "share", "count",
               "tokens", "rate_per_1k"]
    result = pd.DataFrame(rows, columns=columns)
    order = {s: i for i, s in enumerate(speaker_order(rules))}
    return result.sort_values(["group", "speaker"], key=lambda s: s.map(order) if s.name == "speaker" else s,
                              kind="stable").reset_index(drop=True)


def speaker_shares(attributed, corpus, group_by, rules=SHIPPED):
    """Share of each group's sentences attributed to each speaker (rows sum to 1).

    Returns
    -------
    pandas.DataFrame
        Index: the groups of ``group_by`` (sorted); columns: the speakers of ``speakers.toml``
        that occur, in :func:`speaker_order`.
    """
    require_column(corpus, group_by)
    groups = corpus.set_index("doc_id")[group_by].astype(str)
    shares = (attributed.assign(group=attributed["doc_id"].map(groups))
              .groupby("group")["speaker"].value_counts(normalize=True).unstack(fill_value=0))
    present = set(attributed["speaker"])
    return shares.reindex(columns=[s for s in speaker_order(rules) if s in present])


def leader_theme_table(by_speaker, theme_labels, shown_groups, rules=SHIPPED):
    """What the "themes in each leader's mouth" heatmap shows: per theme (rows, in the order
    of ``theme_labels``) the share of each named speaker's sentences in each group that
    mention it; columns "<Name> · <group> (<sentences>)", speakers in
    :func:`speaker_order`, then groups. Only named speakers (not other or narrator)."""
    table = speaker_table(rules).set_index("speaker")
    named = [s for s in speaker_order(rules) if s not in (OTHER, NARRATOR)]
    leaders = by_speaker[by_speaker["speaker"].isin(named) & by_speaker["group"].isin(shown_groups)]
    short = table["short"].to_dict()
    wide = leaders.assign(column=lambda t: t["speaker"].map(short) + " · " + t["group"]
                          + " (" + t["sentences"].astype(str) + ")")
    rank = {s: i for i, s in enumerate(named)}
    order = list(dict.fromkeys(wide.assign(_s=wide["speaker"].map(rank))
                               .sort_values(["_s", "group"])["column"]))
    wide = wide.pivot_table(index="label", columns="column", values="share", sort=False)
    return wide.reindex(index=list(theme_labels), columns=order), leaders


def named_possessive(rules=SHIPPED):
    """The named speakers' short names as possessives: "Xi's and Putin's"."""
    table = speaker_table(rules)
    names = [f"{n}'s" for s, n in zip(table["speaker"], table["short"]) if s not in (OTHER, NARRATOR)]
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)
