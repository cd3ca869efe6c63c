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

from ..errors import ParameterError, RuleError
from ..rules import SHIPPED
from ..text.corpus import require_column
from ..text.processed import as_processed

OTHER, NARRATOR = "other", "narrator"
_NAME = r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,4}"


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
    for key in ("speakers", "rules", "headers"):
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
    return data


@lru_cache(maxsize=None)
def speaker_table(rules=SHIPPED):
    """The speakers of ``speakers.toml``: one row per named speaker, then ``other`` and
    ``narrator``: ``speaker`` (id), ``name``, ``short`` (shown in column labels), ``color``. Their order is the order
    of every speaker table and figure."""
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
        pattern of subject-verb pairs), ``not_persons``, ``titles`` (sets), ``max_words``.
    """
    data = _speakers_file(rules)
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


def attribute_sentences(text, sentences, rules=SHIPPED):
    """Attribute every sentence of one document.

    Parameters
    ----------
    text : str
        The document's cleaned text.
    sentences : pandas.DataFrame
        Its rows of the sentence table (``sentence_id``, ``paragraph``, ``sentence``).

    Returns
    -------
    list of dict
        Per sentence, in order: ``sentence_id``, ``paragraph``, ``sentence``, ``speaker``
        (a speaker id, other or narrator), ``name`` (display name; for ``other`` the person's
        name when known), ``rule`` (transcript, header, subject, pronoun, quote, paragraph,
        none).
    """
    rules = speaker_rules(rules)
    rows = []
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    transcript = None  # (speaker, name) of the current transcript turn
    last_named = None  # for pronouns
    known_names = []
    for sentence_id, paragraph, sentence in zip(sentences["sentence_id"], sentences["paragraph"],
                                               sentences["sentence"]):
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
            if speaker != NARRATOR and rule != "paragraph":
                last_named = (speaker, name)
        still_open = _open_quote(sentence) != (same_paragraph and previous["open_quote"])
        rows.append({"sentence_id": sentence_id, "paragraph": paragraph, "sentence": sentence,
                     "speaker": speaker, "name": name, "rule": rule, "open_quote": still_open})
    for row in rows:
        del row["open_quote"]
    return rows


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
