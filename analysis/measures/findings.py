"""What a run found, in a few sentences: findings read from the tables a notebook wrote.

Each finding quotes a number that is in a table of the notebook's figure folder, and names
that table (and the figure drawn from it, where there is one), so a reader can check it. The
findings are chosen by rules a reader can follow: the largest, the most typical, the weakest;
nothing here is a statistical test beyond what the table itself says (intervals, z-scores).

A finder is keyed by the name of the table it reads; a notebook's findings are those of the
tables it wrote, in :data:`FINDERS` order, at most ``max_findings``. A table that is missing,
empty or shaped otherwise (a user's own notebook) gives no finding, never an error.
"""
from pathlib import Path

import pandas as pd

FINDING_COLUMNS = ["finding", "number", "table", "figure"]


def _pct(x):
    return f"{100 * float(x):.0f}%"


def _num(x, digits=2):
    return f"{float(x):,.{digits}f}"


def _documents(t):
    dates = pd.to_datetime(t["event_date"], errors="coerce").dropna()
    span = f", {dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}" if len(dates) else ""
    yield (f"{len(t):,} documents from {t['outlet'].nunique()} outlet(s){span}.", f"{len(t):,}")
    if len(t) > 1 and "words" in t:
        longest, shortest = t.loc[t["words"].idxmax()], t.loc[t["words"].idxmin()]
        ratio = longest["words"] / max(shortest["words"], 1)
        yield (f"The longest document ({longest['doc_id']}, {longest['words']:,} words) is {ratio:.1f} times "
               f"the shortest ({shortest['doc_id']}, {shortest['words']:,}): compare rates, not counts.",
               f"{ratio:.1f}")


def _removed(t):
    if len(t):
        yield (f"Cleaning removed {len(t):,} piece(s) of page furniture or notices from {t['doc_id'].nunique():,} "
               "document(s), each listed with its rule.", f"{len(t):,}")


def _cleaning_steps(t):
    if len(t) and t["changes"].sum() > 0:
        top = t.loc[t["changes"].idxmax()]
        yield (f"Cleaning and normalisation made {int(t['changes'].sum()):,} changes; the most by the step "
               f"\u201c{top['step']}\u201d ({int(top['changes']):,} in {int(top['documents'])} document(s)).",
               f"{int(t['changes'].sum()):,}")


def _top_features(t):
    if len(t):
        top = t.sort_values("rank").iloc[0]
        yield (f"The most frequent content word is \u201c{top['surface']}\u201d ({int(top['value']):,} times).",
               f"{int(top['value']):,}")


def _theme_rates_by_group(t):
    for group, part in t.groupby("group", sort=True):
        top = part.loc[part["rate_per_1k"].idxmax()]
        yield (f"{group}: the most frequent theme is {top['label']}, {_num(top['rate_per_1k'], 1)} matches per "
               f"1,000 words (95% interval {_num(top['low'], 1)}\u2013{_num(top['high'], 1)}).",
               _num(top["rate_per_1k"], 1))
    if t["group"].nunique() > 1:
        spread = t.groupby("label").agg(high=("rate_per_1k", "max"), low=("rate_per_1k", "min"))
        label = (spread["high"] - spread["low"]).idxmax()
        part = t[t["label"] == label]
        most, least = part.loc[part["rate_per_1k"].idxmax()], part.loc[part["rate_per_1k"].idxmin()]
        apart = most["low"] > least["high"]
        yield (f"The widest gap between groups is on {label}: {most['group']} {_num(most['rate_per_1k'], 1)} against "
               f"{least['group']} {_num(least['rate_per_1k'], 1)} per 1,000 words, a gap of "
               f"{_num(most['rate_per_1k'] - least['rate_per_1k'], 1)}; the intervals "
               f"{'do not overlap' if apart else 'overlap, so these documents do not separate the two'}.",
               _num(most["rate_per_1k"] - least["rate_per_1k"], 1))


def _theme_coverage(t):
    if len(t):
        every = t[t["share"] >= 1]
        rare = t.loc[t["documents"].idxmin()]
        yield (f"{len(every)} of {len(t)} themes are in every document; {rare['label']} is in the fewest "
               f"({int(rare['documents'])} document(s), {_pct(rare['share'])}).", f"{len(every)} of {len(t)}")


def _uncovered(t):
    if len(t):
        top = t.iloc[0]
        yield (f"The most frequent word no theme covers is \u201c{top['term']}\u201d ({int(top['count']):,} times): "
               "a candidate for the codebook, or a word no theme should count.", f"{int(top['count']):,}")


def _top_terms_by_year(t):
    firsts = t[t["rank"] == 1].sort_values("year")
    if len(firsts):
        listed = "; ".join(f"{r['year']}: \u201c{r['term']}\u201d ({_num(r['score'])})" for _, r in firsts.tail(6).iterrows())
        shown = min(len(firsts), 6)
        yield (f"Top TF-IDF term of each of the last {shown} year(s) \u2014 {listed}.", str(shown))


def _year_log_odds(t):
    if len(t):
        a, b = t["year_a"].iloc[0], t["year_b"].iloc[0]
        up, down = t.loc[t["z"].idxmax()], t.loc[t["z"].idxmin()]
        for row, word in ((up, "rising"), (down, "falling")):
            yield (f"Most {word} term from {a} to {b}: \u201c{row['term']}\u201d ({int(row['count_a'])} \u2192 "
                   f"{int(row['count_b'])} uses, z = {_num(row['z'])}"
                   f"{'' if abs(row['z']) >= 1.96 else '; below the customary |z| = 1.96'}).", _num(row["z"]))


def _topic_stability(t):
    if len(t):
        worst = t.loc[t["min_cosine"].idxmin()]
        yield (f"Topics refitted {len(t)} times with other seeds: the least stable topic ({worst['worst_topic']}) "
               f"matched its refit at cosine {_num(worst['min_cosine'])}.", _num(worst["min_cosine"]))


def _similarity_pairs(t):
    if len(t):
        top = t.loc[t["similarity"].idxmax()]
        yield (f"The most similar pair of documents is {top['doc_a']} and {top['doc_b']} (cosine "
               f"{_num(top['similarity'])}{', the same event' if str(top['same']) == 'True' else ''}).",
               _num(top["similarity"]))


def _log_odds_by_group(t):
    for group, part in t.groupby("group", sort=True):
        top = part.loc[part["z"].idxmax()]
        if top["z"] > 0:
            yield (f"The term most typical of {group} against all others is \u201c{top['term']}\u201d "
                   f"(z = {_num(top['z'])}; {int(top['count_group'])} uses against {int(top['count_rest'])}"
                   f"{'' if top['z'] >= 1.96 else '; below the customary 1.96'}).",
                   _num(top["z"]))


def _alignment(t):
    if len(t):
        top = t.loc[t["share_unmatched"].idxmax()]
        yield (f"{top['doc_id']} has the largest share of sentences no other telling of its event matches: "
               f"{_pct(top['share_unmatched'])} ({int(top['unmatched'])} of {int(top['sentences'])}).",
               _pct(top["share_unmatched"]))


def _speakers(t):
    leaders = [c for c in t.columns if c not in ("group", "narrator", "other")]
    for _, row in t.iterrows():
        if leaders:
            who = max(leaders, key=lambda c: row[c])
            others = "".join(f", {c.capitalize()} in {_pct(row[c])}" for c in leaders if c != who)
            narrator = f"; the narrator speaks in {_pct(row['narrator'])}" if "narrator" in row else ""
            yield (f"In {row['group']} texts, {who.capitalize()} is quoted or reported in {_pct(row[who])} of "
                   f"sentences{others}{narrator}.", _pct(row[who]))


def _tone(t):
    if len(t):
        top = t.loc[t["rate_per_1k"].idxmax()]
        yield (f"Highest tone rate: {top['label']} in {top['group']}, {_num(top['rate_per_1k'], 1)} per 1,000 words.",
               _num(top["rate_per_1k"], 1))


def _theme_scores(t):
    f1 = t[t["measure"] == "f1"]
    overall = f1[f1["label"].astype(str).str.startswith("all")]
    if len(overall):
        row = overall.iloc[0]
        yield (f"Theme coding against the coders: F1 {_num(row['value'])} over all themes "
               f"(95% interval {_num(row['low'])}\u2013{_num(row['high'])}).", _num(row["value"]))
    themes = f1[~f1["label"].astype(str).str.startswith("all")].dropna(subset=["value"])
    if len(themes):
        worst = themes.loc[themes["value"].idxmin()]
        yield (f"The weakest theme is {worst['label']} (F1 {_num(worst['value'])}): read its disagreements "
               "before trusting its rates.", _num(worst["value"]))


def _speaker_scores(t):
    overall = t[t["speaker"] == "all"]
    if len(overall):
        row = overall.iloc[0]
        yield (f"Speakers: {int(row['correct'])} of {int(row['coded'])} coded sentences attributed as the coders did "
               f"({_pct(row['recall'])}).", _pct(row["recall"]))


def _agreement(t):
    measured = t.dropna(subset=["alpha"]) if "alpha" in t else t.iloc[0:0]
    if len(measured):
        low = measured.loc[measured["alpha"].idxmin()]
        yield (f"Coders agree least on {low['item']} (Krippendorff's alpha {_num(low['alpha'])}).", _num(low["alpha"]))
    elif len(t):
        yield (f"Agreement between coders cannot be measured: all {len(t)} items were coded by one coder only "
               "(add a second coder's sheet).", str(len(t)))


def _disagreements(t):
    yield (f"{len(t):,} disagreement(s) between the suite and the coders, each listed with its sentence.",
           f"{len(t):,}")


def _kwic(t):
    yield (f"The query is used {len(t):,} time(s) in {t['doc_id'].nunique() if len(t) else 0:,} document(s).",
           f"{len(t):,}")


def _term_rates(t):
    if len(t) and t["rate_per_1k"].max() > 0:
        top = t.loc[t["rate_per_1k"].idxmax()]
        yield (f"The query is used most in {top['group']}: {_num(top['rate_per_1k'])} per 1,000 words "
               f"(95% interval {_num(top['low'])}\u2013{_num(top['high'])}).", _num(top["rate_per_1k"]))


def _collocations(t):
    if len(t):
        top = t.iloc[0]
        yield (f"The strongest collocation is \u201c{top['collocation']}\u201d ({int(top['count']):,} times, "
               f"G2 = {_num(top['G2'], 1)}).", _num(top["G2"], 1))


def _term_chart(t):
    for side, sign in (("group_a", 1), ("group_b", -1)):
        part = t[t["z"] * sign > 0]
        if len(part):
            top = part.loc[(part["z"] * sign).idxmax()]
            own, other = (top["count_a"], top["count_b"]) if sign > 0 else (top["count_b"], top["count_a"])
            yield (f"Term most typical of {top[side]} against {top['group_b' if sign > 0 else 'group_a']}: "
                   f"\u201c{top['term']}\u201d (z = {_num(top['z'])}; {int(own):,} uses against "
                   f"{int(other):,}).", _num(top["z"]))


# table file -> finder; the order is the order findings are listed in
FINDERS = {
    "documents.csv": _documents, "removed_text.csv": _removed, "cleaning_steps.csv": _cleaning_steps,
    "top_features.csv": _top_features,
    "theme_rates_by_group.csv": _theme_rates_by_group, "theme_coverage.csv": _theme_coverage,
    "uncovered_terms.csv": _uncovered, "top_terms_by_year.csv": _top_terms_by_year,
    "year_log_odds.csv": _year_log_odds, "topic_stability.csv": _topic_stability,
    "similarity_pairs.csv": _similarity_pairs, "log_odds_by_group.csv": _log_odds_by_group,
    "speakers_by_group.csv": _speakers, "alignment_summary.csv": _alignment, "tone_rates.csv": _tone,
    "theme_scores.csv": _theme_scores, "speaker_scores.csv": _speaker_scores,
    "coder_agreement.csv": _agreement, "disagreements.csv": _disagreements, "kwic.csv": _kwic,
    "term_rates.csv": _term_rates, "collocations.csv": _collocations, "term_chart.csv": _term_chart,
}


def findings_table(folder, max_findings=10):
    """The findings of the tables in ``folder`` (a notebook's figure folder).

    Returns
    -------
    pandas.DataFrame
        ``finding`` (a sentence), ``number`` (the number it quotes, as shown), ``table`` (the
        CSV it was read from) and ``figure`` (the PNG drawn from that table, or ""); at most
        ``max_findings`` rows, in :data:`FINDERS` order.
    """
    folder = Path(folder)
    rows = []
    for name, finder in FINDERS.items():
        path = folder / name
        if not path.is_file():
            continue
        try:
            table = pd.read_csv(path, keep_default_na=False, na_values=[""])
            found = list(finder(table))
        except (KeyError, ValueError, TypeError, IndexError, pd.errors.ParserError):
            continue  # a table of another shape (a user's notebook): no finding from it
        figure = path.with_suffix(".png").name if path.with_suffix(".png").is_file() else ""
        rows += [{"finding": text, "number": number, "table": name, "figure": figure} for text, number in found]
    return pd.DataFrame(rows[:max_findings], columns=FINDING_COLUMNS)
