"""Who is speaking: attribute each sentence to Xi, Putin, another person or the narrator.

The rules are plain and auditable (every sentence says which rule attributed it); the word
lists live in ``data/speakers.toml``. In order of precedence:

1. **transcript** — after a header line ("President of Russia Vladimir Putin:"), every sentence
   is that speaker's until the next header;
2. **subject** — a subject next to a reporting verb: "Xi said", "President Putin noted that",
   '"...," said Putin', "According to Xi"; a pronoun ("he added") stands for the last named
   speaker of the document; joint subjects ("the two presidents", "Putin and Xi") are the
   narrator; the leftmost such pair in the sentence wins;
3. **quote** — a quotation left open in the previous sentence of the paragraph continues;
4. **paragraph** — an unattributed sentence continues the speaker of the sentence before it in
   the same paragraph (Chinese readouts give each leader a paragraph of reported speech);
5. **none** — the narrator.

Measured against hand labels in ``tests/data/speaker_labels.csv`` (see
:func:`attribution_accuracy`).
"""
import re
import tomllib
from functools import lru_cache

import pandas as pd

from .errors import ParameterError
from .resources import data_path
from .sentences import paragraph_sentences

SPEAKERS = ("xi", "putin", "other", "narrator")
_NAME = r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,4}"


def _alternation(phrases):
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(phrases, key=len, reverse=True))


def _mention_pattern(mentions):
    parts = []
    for mention in sorted(mentions, key=len, reverse=True):
        escaped = re.escape(mention).replace(r"\ ", r"\s+")
        parts.append(escaped if mention[:1].isupper() else f"(?i:{escaped})")
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w])")


@lru_cache(maxsize=None)
def speaker_rules():
    """The rules of ``data/speakers.toml``, compiled.

    Returns
    -------
    dict
        ``speakers`` (id -> (display name, compiled mention pattern)), ``subject`` (compiled
        pattern of subject-verb pairs), ``not_persons``, ``titles`` (sets), ``max_words``.
    """
    data = tomllib.loads(data_path("speakers.toml").read_text(encoding="utf-8"))
    rules = data["rules"]
    speakers = {key: (spec["name"], _mention_pattern(spec["mentions"]))
                for key, spec in data["speakers"].items()}
    mentions = [m for spec in data["speakers"].values() for m in spec["mentions"]]
    verbs = _alternation(rules["reporting_verbs"])
    between = _alternation(rules["between"])
    roles = _alternation(rules["roles"])
    named = rf"(?:{_NAME}|(?i:{_alternation(m for m in mentions if not m[:1].isupper())}))"
    subject = (
        rf"(?P<role>{_NAME}['’]s\s+(?:[a-z-]+\s+){{0,3}}?(?i:{roles})(?:\s+(?P<role_name>{_NAME}))?)"
        rf"|(?P<bare_role>(?i:the|a|an)\s+(?:[\w-]+\s+){{0,3}}?(?i:{roles})\b)"
        rf"|(?P<joint>(?i:{_alternation(rules['joint'])})|{named}\s+and\s+{named})"
        rf"|(?P<pronoun>\b(?i:{_alternation(rules['pronouns'])}))"
        rf"|(?P<name>{named})"
    )
    pairs = (
        rf"(?:(?P<s1>{subject.replace('?P<', '?P<a_')})(?:,\s+who\s+[^,]{{1,80}},)?\s+"
        rf"(?:(?i:{between})\s+){{0,2}}(?i:{verbs})\b)"
        rf"|(?:[\"“”,]\s*(?i:{verbs})\s+(?P<s2>{subject.replace('?P<', '?P<b_')}))"
        rf"|(?:\b(?i:according\s+to)\s+(?P<s3>{subject.replace('?P<', '?P<c_')}))"
    )
    return {"speakers": speakers, "subject": re.compile(pairs),
            "not_persons": frozenset(rules["not_persons"]), "titles": frozenset(w.lower() for w in rules["titles"] + rules["roles"]),
            "max_words": int(data["headers"]["max_words"])}


def _who(text, rules):
    """Speaker id(s) of the leaders named in ``text``."""
    return [key for key, (_, pattern) in rules["speakers"].items() if pattern.search(text)]


def _person_name(text, rules):
    """A named person's name without titles, or "" when ``text`` is not a person."""
    words = text.replace("’", "'").split()
    if any(w.rstrip(".").removesuffix("'s") in rules["not_persons"] for w in words[:1]):
        return ""
    if any(w.rstrip(".") in rules["not_persons"] for w in words):
        return ""
    while words and words[0].rstrip(".").lower() in rules["titles"]:
        words = words[1:]
    return " ".join(words).rstrip(".")


def _resolve(match, rules):
    """(speaker, name) for a subject-verb match; None when the subject is not a speaker;
    ("pronoun", "") for he/she."""
    groups = {k[2:]: v for k, v in match.groupdict().items() if v and k[1] == "_"}
    if "role" in groups:  # "Putin's aide (Yuri Ushakov)": the name only when given
        return "other", _person_name(groups.get("role_name") or "", rules)
    if "bare_role" in groups:  # "the spokeswoman"
        return "other", ""
    if "joint" in groups:
        return "narrator", ""
    if "pronoun" in groups:
        return "pronoun", ""
    text = groups["name"]
    leaders = _who(text, rules)
    if len(leaders) == 1:
        return leaders[0], rules["speakers"][leaders[0]][0]
    if len(leaders) > 1:
        return "narrator", ""
    name = _person_name(text, rules)
    return ("other", name) if name else None


def _header(line, previous_line, rules):
    """(speaker, name) if ``line`` is a transcript header, else None."""
    line = line.strip()
    if not line.endswith(":") or len(line.split()) > rules["max_words"]:
        return None
    name = line[:-1].strip()
    if re.fullmatch(r"\(.*\)", name):  # "(retranslated):" names the line before
        name = previous_line or ""
    if not name or re.search(r"[.!?]", name.rstrip(".")):
        return None
    leaders = _who(name, rules)
    if len(leaders) == 1:
        return leaders[0], rules["speakers"][leaders[0]][0]
    person = _person_name(name, rules)
    return ("other", person) if person and person[:1].isupper() else None


def _open_quote(sentence):
    straight = sentence.count('"') % 2 == 1
    curly = sentence.count("“") > sentence.count("”")
    return straight or curly


def _full_name(name, known):
    """Expand a surname to a full name seen earlier in the document ("Lin" -> "Lin Jian")."""
    if " " in name:
        return name
    for full in reversed(known):
        parts = full.split()
        if name in parts and len(parts) > 1:
            return full
    return name


def attribute_sentences(text):
    """Attribute every sentence of one document.

    Returns
    -------
    list of dict
        Per sentence, in order: ``sentence_id`` (1-based), ``paragraph``, ``sentence``,
        ``speaker`` (xi / putin / other / narrator), ``name`` (display name; for ``other``
        the person's name when known), ``rule`` (transcript, header, subject, pronoun, quote,
        paragraph, none).
    """
    rules = speaker_rules()
    rows = []
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    transcript = None  # (speaker, name) of the current transcript turn
    last_named = None  # for pronouns
    known_names = []
    for sentence_id, (paragraph, sentence) in enumerate(paragraph_sentences(text), start=1):
        line = lines[paragraph - 1]
        header = None
        if sentence == line:  # a header stands alone on its line
            following = lines[paragraph] if paragraph < len(lines) else ""
            if re.fullmatch(r"\(.*\):", following):  # the name line of "name / (note):"
                header = _header(following, line, rules)
            else:
                header = _header(line, lines[paragraph - 2] if paragraph > 1 else None, rules)
        previous = rows[-1] if rows else None
        same_paragraph = previous is not None and previous["paragraph"] == paragraph
        if header:
            transcript, last_named = header, header
            speaker, name, rule = "narrator", "", "header"
        elif transcript:
            (speaker, name), rule = transcript, "transcript"
        else:
            speaker = None
            for match in rules["subject"].finditer(sentence):
                found = _resolve(match, rules)
                if found is None:
                    continue
                speaker, name = found
                rule = "subject"
                if speaker == "pronoun":
                    speaker, name = last_named or ("narrator", "")
                    rule = "pronoun"
                break
            if speaker is None and same_paragraph and previous["open_quote"]:
                speaker, name, rule = previous["speaker"], previous["name"], "quote"
            elif speaker is None and same_paragraph and previous["rule"] != "none":
                speaker, name, rule = previous["speaker"], previous["name"], "paragraph"
            elif speaker is None:
                speaker, name, rule = "narrator", "", "none"
            if speaker == "other" and name:
                name = _full_name(name, known_names)
                known_names.append(name)
            if speaker in ("xi", "putin", "other") and rule != "paragraph":
                last_named = (speaker, name)
        still_open = _open_quote(sentence) != (same_paragraph and previous["open_quote"])
        rows.append({"sentence_id": sentence_id, "paragraph": paragraph, "sentence": sentence,
                     "speaker": speaker, "name": name, "rule": rule, "open_quote": still_open})
    for row in rows:
        del row["open_quote"]
    return rows


def speaker_sentences(corpus):
    """Every sentence of the corpus with its speaker.

    Parameters
    ----------
    corpus : pandas.DataFrame
        As returned by :func:`analysis.load_corpus`.

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``sentence_id`` (as in :func:`analysis.sentence_table`), ``paragraph``,
        ``sentence``, ``speaker`` (xi / putin / other / narrator), ``name``, ``rule`` (which
        rule attributed it, for auditing).
    """
    frames = [pd.DataFrame(attribute_sentences(text)).assign(doc_id=doc_id)
              for doc_id, text in zip(corpus["doc_id"], corpus["text"])]
    columns = ["doc_id", "sentence_id", "paragraph", "sentence", "speaker", "name", "rule"]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]


def attribution_accuracy(attributed, labelled):
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
    for speaker in [s for s in SPEAKERS if s in set(joined["speaker_label"])]:
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


def themes_by_speaker(sentence_counts, attributed, corpus, group_by, labels):
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
        Groups sorted, speakers in the order xi, putin, other, narrator; themes as given.
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
    order = {s: i for i, s in enumerate(SPEAKERS)}
    return result.sort_values(["group", "speaker"], key=lambda s: s.map(order) if s.name == "speaker" else s,
                              kind="stable").reset_index(drop=True)
