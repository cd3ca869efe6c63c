"""Right on texts the rules were not written from: furniture, speakers, word senses, codebook
conditions, topics, and the validation workflow (coding sheets, agreement, scores)."""
import random
import sys

import numpy as np
import pandas as pd
import pytest

import analysis
from analysis import ParameterError
from analysis.measures import speakers, themes, tone, topics, validation
from analysis.runner.cli import main
from analysis.text.boilerplate import furniture, is_prose
from analysis.text.cleaning import clean_with_removals
from conftest import ROOT, SEEDS, document

sys.path.insert(0, str(ROOT))
from tools.validate_rules import measure  # noqa: E402

PAGE = """Skip to main content
World | Europe | Asia | Business | Opinion
Subscribe | Sign in
Putin and Xi meet in Moscow as trade climbs to a record
By Jane Roe in Moscow
Thu 16 May 2024 09.12 BST
Share this article
Xi Jinping and Vladimir Putin at the Kremlin. Photo: Ivan Petrov/AP
Vladimir Putin welcomed Xi Jinping to the Kremlin on Thursday for talks on trade and energy.
Advertisement
"Our cooperation has reached a new level. We will keep building it," Putin said.
Read more: Why Chinese banks are wary of Russian payments
Xi said the two countries would deepen their partnership in the years ahead.
This video has failed to load.
Sign up for our daily newsletter
Related stories
Russia and China hold naval drills
What is the Power of Siberia 2 pipeline?
We use cookies to improve your experience. By continuing to browse you agree to our use of cookies.
About us | Contact | Privacy policy
© 2024 The Evening Chronicle. All rights reserved."""

ARTICLE = [
    "Putin and Xi meet in Moscow as trade climbs to a record",
    "Vladimir Putin welcomed Xi Jinping to the Kremlin on Thursday for talks on trade and energy.",
    '"Our cooperation has reached a new level. We will keep building it," Putin said.',
    "Xi said the two countries would deepen their partnership in the years ahead.",
]


def test_page_furniture_is_removed_and_every_removed_line_is_listed():
    text, _, removed = clean_with_removals(PAGE)
    assert text.splitlines() == ARTICLE
    kept = set(ARTICLE)
    removed_lines = [r["text"] for r in removed]
    # every line of the page is either kept or listed as removed, each with its rule
    assert {line for line in PAGE.splitlines() if line not in kept} == set(removed_lines)
    assert all(r["rule"] and r["step"] == "page_chrome" for r in removed)
    rules = {r["text"]: r["rule"] for r in removed}
    assert rules["World | Europe | Asia | Business | Opinion"] == "menu"
    assert rules["Xi Jinping and Vladimir Putin at the Kremlin. Photo: Ivan Petrov/AP"] == "caption_credit"
    assert rules["Russia and China hold naval drills"] == "related_link"


def _prose(rng, words):
    n = rng.randint(10, 45)
    sentence = " ".join(rng.choice(words) for _ in range(n)).capitalize()
    return sentence + rng.choice([".", "!", "?", '."', ".)"])


FURNITURE = ["Advertisement", "Read more", "Share this article", "Home | News | World", "Print",
             "Photo: A. Name/AP", "By Jane Roe", "June 15, 2022, 13:20", "Related stories",
             "Sign up for our newsletter", "Tags: China, Russia", "© 2024 Outlet. All rights reserved."]


def test_a_paragraph_of_real_prose_is_never_removed():
    """Prose (at least ten words, ending like a sentence) survives whatever furniture,
    headlines and short lines surround it: 400 generated pages."""
    rng = random.Random(7)
    vocabulary = [w for s in analysis.sentence_table(analysis.load_corpus(SEEDS))["sentence"]
                  for w in s.split()] + ["Advertisement", "Read", "more", "Photo:", "©", "|", "Share"]
    for _ in range(400):
        lines, prose = [], []
        for _ in range(rng.randint(1, 25)):
            kind = rng.random()
            if kind < 0.45:
                line = _prose(rng, vocabulary)
                if is_prose(line):
                    prose.append(line)
            elif kind < 0.75:
                line = rng.choice(FURNITURE)
            else:
                line = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(1, 9)))
            lines.append(line)
        found = furniture(lines)
        removed = {lines[i] for i in found}
        survived = [line for i, line in enumerate(lines) if i not in found]
        lost = [p for p in prose if p not in survived]
        assert not lost, f"prose removed: {lost[:1]} (rules {[found[i] for i, l in enumerate(lines) if l in lost][:1]})"
        assert removed or not set(lines) & set(FURNITURE[:5])


def test_outlet_furniture_repeated_across_its_documents_is_removed(make_corpus):
    footer = "Daily Gazette, your morning read"  # inside the article, where position says nothing
    prose = "Trade with China grew by a tenth this year, officials said on Monday."
    docs = [document(f"d{i}", f"{prose}\n{footer}\n{prose}", outlet="Daily Gazette") for i in range(3)]
    docs.append(document("e", f"{prose}\n{footer}\n{prose}", outlet="Other Paper"))
    corpus = analysis.load_corpus(make_corpus(docs))
    assert all(footer not in t for t in corpus["text"][:3])
    assert footer in corpus["text"].iloc[3]  # one document of its outlet: nothing to compare


def _speakers(text):
    spans = analysis.text.sentences.sentence_spans(text)
    rows = pd.DataFrame({"sentence_id": range(1, len(spans) + 1), "paragraph": [p for p, _, _ in spans],
                         "sentence": [text[a:b] for _, a, b in spans], "start": [a for _, a, _ in spans],
                         "end": [b for _, _, b in spans]})
    return [(r["speaker"], r["rule"]) for r in speakers.attribute_sentences(text, rows)]


def test_inline_transcript_headers_and_turns():
    text = ("Russian-Chinese talks\n"
            "President of Russia Vladimir Putin: Mr Chairman, dear friend. I am glad to see you.\n"
            "Our trade grew by a third.\n"
            "President of China Xi Jinping (retranslated): Dear friend. Thank you.\n"
            "Background: The treaty was signed in 2001.")
    got = _speakers(text)
    assert [s for s, _ in got] == ["narrator", "putin", "putin", "putin", "xi", "xi", "xi"]
    assert got[1][1] == "transcript"


def test_a_single_inline_label_is_no_one():
    got = _speakers("Background: The treaty was signed in 2001. It runs for twenty years.\n"
                    "What we know: Trade grew last year.")
    assert [s for s, _ in got] == ["narrator"] * 3


def test_a_quotation_goes_to_the_speaker_named_at_its_end():
    text = ('"We are ready. Trade will grow. This is our choice," Putin said.\n'
            '"It was substantive," said Helen Park, an analyst. "Both sides gained."\n'
            '"Beijing holds the cards."')
    got = _speakers(text)
    assert [s for s, _ in got] == ["putin", "putin", "putin", "other", "other", "other"]
    assert {r for _, r in got} == {"quote"}


def test_asides_pronouns_and_their_bounds():
    text = ("Yuri Ushakov, a Kremlin aide, said the talks were warm. Xi, in turn, said that ties were strong.\n"
            "He thanked Putin for the invitation.\n"
            "The talks lasted two hours.\nThe weather was cold.\nThe guests left at night.\n"
            "He added that more would follow.")
    got = _speakers(text)
    assert [s for s, _ in got] == ["other", "xi", "xi", "narrator", "narrator", "narrator", "narrator"]
    assert got[2][1] == "pronoun"  # "he" is not Putin, whom the sentence names
    assert got[-1] == ("narrator", "narrator") or got[-1][0] == "narrator"  # too far back


def test_tone_senses_of_may_need_and_will(make_corpus):
    text = ("Trade may grow. The leaders met in May. They will meet on May 9 again.\n"
            "Xi noted the need for dialogue. Russia and China need to work together.\n"
            "Both sides showed political will. May's parade was large.")
    processed = analysis.load_processed(make_corpus([document("a", text)]), use_cache=False)
    words = tone.sentence_tone_words(processed)
    counted = words[words["counted"]].groupby("word").size().to_dict()
    other = words[~words["counted"]].groupby("word")["sense"].first().to_dict()
    assert counted == {"may": 1, "need": 1, "will": 1}
    assert other["may"] == "the month May" and "noun" in other["need"] and "noun" in other["will"]
    listed = tone.tone_words(processed, "origin").set_index(["category", "word"])
    assert listed.at[("modal", "may"), "count"] == 1 and listed.at[("modal", "may"), "not_counted"] == 3


CONDITIONAL = """
[themes.memory]
label = "War memory"
definition = "WWII memory."
patterns = [{pattern = "anniversar*", near = ["war", "victory"], within = 6}, "fascism"]

[themes.bodies]
label = "Bodies"
definition = "Multilateral bodies."
patterns = ["UN Security Council", {pattern = "Security Council", not_near = ["Russia", "national"], within = 3}]
"""


def test_context_conditions_count_a_word_only_in_its_sense(tmp_path, make_corpus):
    path = tmp_path / "cb.toml"
    path.write_text(CONDITIONAL, encoding="utf-8")
    codebook = analysis.load_codebook(path)
    text = ("They marked the 80th anniversary of the victory in the war.\n"
            "They marked the 20th anniversary of the treaty.\n"
            "The UN Security Council met. Shoigu heads Russia's Security Council.")
    processed = analysis.load_processed(make_corpus([document("a", text)]), use_cache=False)
    matches = themes.theme_matches(processed, codebook)
    assert list(zip(matches["sentence_id"], matches["theme"])) == [(1, "memory"), (3, "bodies")]
    audit = themes.codebook_audit(processed, codebook, matches).set_index("pattern")
    assert audit.at["anniversar*", "forms"] == "anniversary 1" and audit.at["anniversar*", "kept_out"] == 1
    assert audit.at["Security Council", "kept_out"] == 1
    assert "near war, victory" in audit.at["anniversar*", "condition"]


@pytest.mark.parametrize("body, message", [
    ('patterns = ["* 1"]', "would match every word"),
    ('patterns = [{pattern = "war"}]', "give near or not_near"),
    ('patterns = [{pattern = "war", near = "peace"}]', "near must be a list"),
    ('patterns = [{pattern = "war", near = ["peace"], within = 0}]', "within must be a whole number"),
    ('patterns = [{pattern = "war", around = ["peace"]}]', "unknown key(s) around"),
])
def test_malformed_conditions_are_named(tmp_path, body, message):
    path = tmp_path / "cb.toml"
    path.write_text(f'[themes.x]\nlabel = "X"\ndefinition = "d"\n{body}\n', encoding="utf-8")
    with pytest.raises(analysis.CodebookError, match=message.replace("(", r"\(").replace(")", r"\)")):
        analysis.load_codebook(path)


def test_shipped_codebook_counts_import_forms_not_importance(seeds_codebook_audit):
    forms = seeds_codebook_audit.set_index("pattern")
    assert "import*" not in forms.index  # the glob that matched "important" is gone
    assert forms.at["anniversar*", "kept_out"] > 0  # diplomatic anniversaries are not WWII memory


@pytest.fixture(scope="module")
def seeds_codebook_audit():
    processed = analysis.load_processed(SEEDS, use_cache=False)
    return themes.codebook_audit(processed, analysis.load_codebook())


def test_frex_labels_prefer_exclusive_words():
    # word 0 is the most frequent word of both topics; word 1 is nearly as frequent in topic 0
    # and used nowhere else
    components = np.array([[30.0, 20.0, 2.0, 1.0, 1.0], [30.0, 0.0, 0.0, 5.0, 5.0]])
    frex = topics.frex_scores(components)
    assert frex[0, 1] > frex[0, 0] and components[0].argmax() == 0


def test_stability_verdict_is_unstable_when_any_topic_is_lost():
    stable = pd.DataFrame({"run": [1, 2], "seed": [1, 2], "mean_cosine": [0.95, 0.96],
                           "min_cosine": [0.9, 0.92], "worst_topic": ["topic_2", "topic_1"],
                           "converged": [True, True]})
    assert topics.stability_verdict(stable, 0.8).startswith("Topics are stable")
    one_lost = stable.assign(min_cosine=[0.9, 0.14])
    text = topics.stability_verdict(one_lost, 0.8, {"topic_1": "1: gas, oil"})
    assert "unstable" in text and "1: gas, oil" in text and "0.14" in text
    unconverged = stable.assign(converged=[True, False])
    assert "1 of 2 refits stopped" in topics.stability_verdict(unconverged, 0.8)


# -- the validation workflow -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def seeds_processed():
    return analysis.load_processed(SEEDS, use_cache=False)


def test_coding_sheet_is_stratified_and_the_same_for_a_seed(seeds_processed):
    codebook = analysis.load_codebook()
    sheet = validation.coding_sheet(seeds_processed, codebook, n=30, seed=3)
    again = validation.coding_sheet(seeds_processed, codebook, n=30, seed=3)
    other = validation.coding_sheet(seeds_processed, codebook, n=30, seed=4)
    assert sheet.equals(again) and not sheet.equals(other) and len(sheet) == 30
    strata = sheet.groupby(["group", "year"]).size()
    assert len(strata) == 5 and strata.min() >= 1  # every group x year is drawn from
    assert list(sheet.columns[:7]) == validation.SHEET_COLUMNS
    assert set(codebook["theme"]) <= set(sheet.columns) and {"speaker", "coder"} <= set(sheet.columns)
    table = seeds_processed.sentences.set_index(["doc_id", "sentence_id"])["sentence"]
    assert all(table[(d, i)] == s for d, i, s in zip(sheet["doc_id"], sheet["sentence_id"], sheet["sentence"]))
    everything = validation.coding_sheet(seeds_processed, codebook, n=10 ** 6)
    assert len(everything) == len(seeds_processed.sentences)


def _coded(sheet, coder, themes_yes, speaker):
    coded = sheet.copy()
    for theme in [c for c in coded.columns if c not in validation.SHEET_COLUMNS + validation.CODER_COLUMNS]:
        coded[theme] = [int(theme in themes_yes(i)) for i in range(len(coded))]
    coded["speaker"] = [speaker(i) for i in range(len(coded))]
    coded["coder"] = coder
    return coded


def test_agreement_scores_and_disagreements_from_two_coders(seeds_processed, tmp_path):
    codebook = analysis.load_codebook()
    sheet = validation.coding_sheet(seeds_processed, codebook, n=40, seed=1)
    suite = validation.suite_codes(seeds_processed, codebook, zip(sheet["doc_id"], sheet["sentence_id"]))
    # coder a agrees with the suite everywhere; coder b differs on two sentences' energy code
    a = _coded(sheet, "a", lambda i: {t for t in codebook["theme"] if suite.iloc[i][t]},
               lambda i: suite.iloc[i]["speaker"])
    b = a.copy().assign(coder="b")
    b.loc[:1, "energy"] = 1 - b.loc[:1, "energy"]
    a.to_csv(tmp_path / "a.csv", index=False)
    b.to_csv(tmp_path / "b.csv", index=False)
    coded = validation.read_coded_sheets([tmp_path / "a.csv", tmp_path / "b.csv"], codebook,
                                         speakers.speaker_order())
    report = validation.validation_report(seeds_processed, codebook, coded, n_boot=200)
    agreement = report["agreement"].set_index("item")
    assert agreement.at["speaker", "alpha"] == pytest.approx(1.0)
    assert agreement.at["energy", "alpha"] < 1.0 and agreement.at["trade_economy", "sentences"] == 40
    overall = report["themes"].set_index("theme").loc["all (micro)"]
    assert overall["precision"] == pytest.approx(1.0) and overall["recall"] == pytest.approx(1.0)
    assert report["speakers"].set_index("speaker").at["all", "recall"] == pytest.approx(1.0)
    assert report["disagreements"].empty  # the two tied energy codes have no consensus: left out
    confusion = report["confusion"]
    assert int(np.trace(confusion.to_numpy())) == confusion.to_numpy().sum() == 40


def test_consensus_is_the_strict_majority_in_order_of_first_appearance():
    rows = [  # coder, doc, sentence, item, value
        ("a", "d2", 1, "t", 1), ("b", "d2", 1, "t", 1), ("c", "d2", 1, "t", 0),   # 2 of 3 say 1
        ("a", "d1", 4, "speaker", "xi"), ("b", "d1", 4, "speaker", "putin"),     # a tie: left out
        ("a", "d1", 4, "t", 0),                                                  # one coder
        ("a", "d1", 5, "speaker", "xi"), ("b", "d1", 5, "speaker", "putin"),
        ("c", "d1", 5, "speaker", "putin"), ("d", "d1", 5, "speaker", "other"),  # 2 of 4
        ("a", "d1", 6, "t", 1), ("b", "d1", 6, "t", 0), ("c", "d1", 6, "t", 1), ("d", "d1", 6, "t", 0)]
    coded = pd.DataFrame([{"coder": c, "doc_id": d, "sentence_id": s, "sentence": f"{d} #{s}", "item": i,
                           "value": v} for c, d, s, i, v in rows])
    agreed = validation.consensus(coded)
    assert list(agreed.columns) == ["doc_id", "sentence_id", "sentence", "item", "value", "coders", "agree"]
    assert agreed.drop(columns="sentence").values.tolist() == [
        ["d2", 1, "t", 1, 3, 2], ["d1", 4, "t", 0, 1, 1], ["d1", 5, "speaker", "putin", 4, 2]]
    assert agreed["sentence"].tolist() == ["d2 #1", "d1 #4", "d1 #5"]
    # the only speaker codes are tied: what is agreed is all 0/1, and comes out as numbers
    themes_only = validation.consensus(coded[coded["sentence_id"] != 5])
    assert themes_only["value"].tolist() == [1, 0] and themes_only["value"].dtype.kind == "i"
    assert validation.consensus(coded.iloc[[3, 4]]).empty


def test_scores_match_hand_counts():
    gold = pd.DataFrame({"t": [1, 1, 0, 0, 1, np.nan]})
    said = pd.DataFrame({"t": [1, 0, 1, 0, 1, 1]})
    row = validation.theme_scores(gold, said, ["t"], n_boot=100).set_index("theme").loc["t"]
    assert (row["both"], row["coded_yes"], row["suite_yes"], row["sentences"]) == (2, 3, 3, 5)
    assert row["precision"] == pytest.approx(2 / 3) and row["recall"] == pytest.approx(2 / 3)
    assert row["precision_low"] <= row["precision"] <= row["precision_high"]
    scores = validation.speaker_scores(pd.Series(["xi", "xi", "putin", ""]), pd.Series(["xi", "putin", "putin", "xi"]),
                                       ["xi", "putin", "other", "narrator"], n_boot=100).set_index("speaker")
    assert scores.at["all", "recall"] == pytest.approx(2 / 3) and scores.at["xi", "recall"] == pytest.approx(0.5)
    assert scores.at["putin", "precision"] == pytest.approx(0.5)


def test_one_coder_and_uncoded_themes_get_notes(seeds_processed, tmp_path):
    codebook = analysis.load_codebook()
    sheet = validation.coding_sheet(seeds_processed, codebook, n=10, seed=2)
    only = sheet[["doc_id", "sentence_id", "sentence", "energy"]].assign(energy=0, coder="solo")
    only.to_csv(tmp_path / "solo.csv", index=False)
    coded = validation.read_coded_sheets([tmp_path / "solo.csv"], codebook, speakers.speaker_order())
    report = validation.validation_report(seeds_processed, codebook, coded, n_boot=50)
    assert "one coder" in report["agreement"].set_index("item").at["energy", "note"]
    themes_table = report["themes"].set_index("theme")
    assert "never coded" in themes_table.at["energy", "note"] and themes_table.at["taiwan", "note"] == "not coded"
    assert report["speakers"].empty or report["speakers"]["coded"].sum() == 0


@pytest.mark.parametrize("change, message", [
    (lambda s: s.assign(energy="maybe"), r"line 2, column energy: 'maybe'"),
    (lambda s: s.assign(speaker="lavrov"), r"line 2, column speaker: 'lavrov'"),
    (lambda s: s.assign(sentence_id="x"), r"line 2: sentence_id 'x'"),
    (lambda s: s.assign(colour=1), r"colour are neither sheet columns nor themes"),
    (lambda s: s.drop(columns="sentence"), r"column\(s\) sentence missing"),
])
def test_bad_sheets_name_file_line_and_column(seeds_processed, tmp_path, change, message):
    codebook = analysis.load_codebook()
    sheet = validation.coding_sheet(seeds_processed, codebook, n=3, seed=0).fillna("")
    change(sheet).to_csv(tmp_path / "bad.csv", index=False)
    with pytest.raises(ParameterError, match=message):
        validation.read_coded_sheets([tmp_path / "bad.csv"], codebook, speakers.speaker_order())


def test_a_sheet_of_changed_texts_is_refused(seeds_processed, tmp_path):
    codebook = analysis.load_codebook()
    sheet = validation.coding_sheet(seeds_processed, codebook, n=3, seed=0)
    sheet.loc[0, "sentence"] = "Something else entirely."
    sheet.assign(energy=0).to_csv(tmp_path / "old.csv", index=False)
    coded = validation.read_coded_sheets([tmp_path / "old.csv"], codebook, speakers.speaker_order())
    with pytest.raises(ParameterError, match="draw and code a new sheet"):
        validation.validation_report(seeds_processed, codebook, coded)


def test_sample_command_writes_a_sheet_outside_the_corpus(tmp_path, capsys):
    assert main(["sample", "--corpus", str(SEEDS), "--n", "12", "--out", str(tmp_path / "s.csv")]) == 0
    sheet = pd.read_csv(tmp_path / "s.csv")
    assert len(sheet) == 12 and "12 sentences" in capsys.readouterr().out
    assert main(["sample", "--corpus", str(SEEDS), "--out", str(SEEDS / "coding" / "new.csv")]) == 2
    assert not (SEEDS / "coding" / "new.csv").exists()


# -- measured on hand-labelled documents the rules were not written from ----------------------------

def test_rules_on_the_labelled_documents(record_property):
    """Guards against regressions; prints the in-sample (dev, dev2) and out-of-sample (heldout)
    figures that the README reports."""
    rows = [measure(ROOT / "validation" / name)[0] for name in ("dev", "dev2", "heldout")]
    table = pd.DataFrame(rows).set_index("set")
    record_property("summary", ("rules on hand-labelled documents (dev, dev2: in-sample; heldout: out-of-sample)",
                                table[["speaker_accuracy", "theme_f1", "furniture_share", "lost", "may_as_modal"]]
                                .to_string(float_format=lambda x: f"{x:.3f}")))
    held = table.loc["heldout"]
    assert held["speaker_accuracy"] >= 0.88 and held["theme_f1"] >= 0.80
    assert held["furniture_share"] <= 0.08 and held["lost"] <= 2
    assert (table["may_as_modal"] <= 1).all()
