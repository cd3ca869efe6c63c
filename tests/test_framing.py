"""Framing by source: keyness by group, same-event coverage and alignment, speakers, tone."""
import pandas as pd
import pytest

import analysis
from analysis import ParameterError
from analysis.measures import events, speakers, themes, tone
from analysis.measures.keyness import log_odds_by_group
from analysis.measures.speakers import attribute_sentences
from analysis.text.sentences import sentence_spans
from conftest import ROOT, SEEDS, document, synthetic_documents, write_corpus
from analysis.runner.execute import run_notebooks

LABELS = ROOT / "seeds" / "coding" / "seed_coded.csv"  # the seeds' coded sheet (speakers and themes)
EVENT = "2025-01-21"
CN, KREMLIN = "2025-01-21_cn_mfa", "2025-01-21_ru_kremlin"


@pytest.fixture(scope="module")
def alignment(seed_corpus):
    return events.sentence_alignment(seed_corpus, events.shared_events(seed_corpus))


# -- distinctive vocabulary ---------------------------------------------------------------

def test_western_report_is_distinguished_by_trump_and_the_united_states(seed_corpus):
    table = log_odds_by_group(analysis.document_feature_matrix(seed_corpus), "origin")
    west = table[table["group"] == "West"].head(15)
    assert {"trump", "united states"} <= set(west["term"])
    trump = west.set_index("term").loc["trump"]
    assert trump["z"] > 0 and trump["count_rest"] == 0 and trump["count_group"] >= 3


# -- same event, different tellers ---------------------------------------------------------

def test_shared_events_are_those_told_twice_and_unknown_events_are_named(seed_corpus):
    shared = events.shared_events(seed_corpus)
    assert list(shared["event"]) == ["2025-01-21", "2026-02-04"]  # 2025-02-24 has one teller
    assert list(events.shared_events(seed_corpus, ["2026-02-04"])["documents"]) == [3]
    with pytest.raises(ParameterError, match="1999-01-01"):
        events.shared_events(seed_corpus, ["1999-01-01"])


def test_taiwan_only_in_the_chinese_readout_of_the_january_call(seed_corpus):
    counts = themes.theme_counts(seed_corpus, analysis.load_codebook())
    coverage = events.event_theme_coverage(counts, seed_corpus, events.shared_events(seed_corpus))
    assert list(coverage.columns[:5]) == ["event", "doc_id", "theme", "label", "count"]
    taiwan = coverage[(coverage["event"] == EVENT) & (coverage["theme"] == "taiwan")].set_index("doc_id")
    assert taiwan.at[CN, "count"] > 0 and taiwan.at[CN, "only_here"]
    assert taiwan.at[KREMLIN, "count"] == 0
    energy = coverage[(coverage["event"] == EVENT) & (coverage["theme"] == "energy")].set_index("doc_id")
    assert energy.at[KREMLIN, "count"] > energy.at[CN, "count"]


def test_gas_pipeline_and_trade_figures_only_in_the_kremlin_readout(alignment):
    unmatched = events.unmatched_sentences(alignment, 0.2)
    kremlin = unmatched[unmatched["doc_id"] == KREMLIN]["sentence"]
    assert kremlin.str.contains("Power of Siberia gas pipeline").any()
    assert kremlin.str.contains(r"\$220 billion").any()
    assert kremlin.str.contains(r"\$245 billion").any()
    chinese = alignment[alignment["doc_id"] == CN]["sentence"]
    assert not chinese.str.contains("gas|pipeline|billion").any()  # truly absent there
    west = unmatched[unmatched["doc_id"] == "2026-02-04_west_media"]["sentence"]
    assert west.str.contains("New START").any()
    assert set(unmatched.columns) >= {"event", "doc_id", "sentence", "best_match_doc_id", "best_similarity"}
    assert (unmatched["best_similarity"] < 0.2).all()


@pytest.mark.parametrize("doc_id, sentence, other, counterpart", [
    (CN, "In 2024, the two countries celebrated the 75th anniversary", KREMLIN,
     "We widely celebrated the 75th anniversary of our diplomatic relations."),
    (CN, "This year marks the 80th anniversary", KREMLIN, "This year, we are celebrating the 80th anniversary"),
    ("2026-02-04_cn_state_media", "Putin wished Xi and the Chinese people", "2026-02-04_ru_realist",
     "Putin congratulated Xi and the Chinese people on the New Year"),
    ("2026-02-04_cn_state_media", "Russia will actively support China's hosting", "2026-02-04_ru_realist",
     "Putin also expressed support for China's chairmanship of Asia-Pacific Economic Cooperation."),
])
def test_alignment_pairs_known_counterparts(alignment, doc_id, sentence, other, counterpart):
    row = alignment[(alignment["doc_id"] == doc_id) & alignment["sentence"].str.startswith(sentence)
                    & (alignment["other_doc_id"] == other)]
    assert len(row) == 1
    assert row["match_sentence"].iloc[0].startswith(counterpart)
    assert row["similarity"].iloc[0] >= 0.2


def test_alignment_rejects_an_impossible_threshold(alignment):
    with pytest.raises(ParameterError, match="align_threshold=1.5"):
        events.unmatched_sentences(alignment, 1.5)


# -- who is speaking ------------------------------------------------------------------------

def test_attribution_accuracy_on_hand_labelled_sentences(seed_corpus, record_property):
    labelled = pd.read_csv(LABELS, keep_default_na=False)
    assert len(labelled) >= 60 and set(labelled["speaker"]) == set(speakers.speaker_order())
    accuracy = speakers.attribution_accuracy(speakers.speaker_sentences(seed_corpus), labelled)
    record_property("summary", ("speaker attribution vs seeds/coding/seed_coded.csv (in-sample)",
                                accuracy.to_string(index=False, float_format=lambda x: f"{x:.1%}")))
    overall = accuracy.set_index("speaker").loc["all"]
    assert overall["labelled"] == len(labelled)
    assert overall["accuracy"] >= 0.85
    assert (accuracy.set_index("speaker").loc[["xi", "putin"], "accuracy"] >= 0.85).all()


def test_labels_of_a_changed_text_are_refused(seed_corpus):
    labelled = pd.read_csv(LABELS, keep_default_na=False)
    labelled.loc[0, "sentence"] = "Something else entirely."
    with pytest.raises(ParameterError, match="relabel"):
        speakers.attribution_accuracy(speakers.speaker_sentences(seed_corpus), labelled)


def _speakers(text):
    spans = sentence_spans(text)
    rows = pd.DataFrame({"sentence_id": range(1, len(spans) + 1), "paragraph": [p for p, _, _ in spans],
                         "sentence": [text[a:b] for _, a, b in spans]})
    return [(r["speaker"], r["name"], r["rule"]) for r in attribute_sentences(text, rows)]


def test_transcript_headers_set_the_speaker_until_the_next_header():
    text = ("Talks with the Prime Minister\nPresident of Russia Vladimir Putin:\nGood afternoon.\n"
            "We discussed grain. Xi said nothing of it.\nPresident of the People's Republic of China Xi Jinping\n"
            "(retranslated):\nThank you, friend.\nMinister Anna Berg:\nA short note.")
    got = _speakers(text)
    assert [s for s, _, _ in got] == ["narrator", "narrator", "putin", "putin", "putin", "narrator",
                                      "narrator", "xi", "narrator", "other"]
    assert got[-1][1] == "Anna Berg" and got[3][2] == "transcript"


def test_reporting_verbs_pronouns_joint_subjects_and_paragraphs():
    text = ("Putin and Xi agreed to meet again. The Chinese leader stressed unity.\n"
            "Xi noted progress. He added that trade grew. Exports rose by a tenth. Xi is one of the guests.\n"
            "The talks lasted an hour.\n"
            '"We stand together," said Putin. According to Xi, the year was good.\n'
            "Spokeswoman Maria Lind said the visit went well. Lind added that more would follow.")
    got = _speakers(text)
    assert [s for s, _, _ in got] == ["narrator", "xi", "xi", "xi", "xi", "narrator", "narrator",
                                      "putin", "xi", "other", "other"]
    # a paragraph a speaker opens runs on in their voice, unless a sentence speaks about them
    assert [r for _, _, r in got[:7]] == ["subject", "subject", "subject", "pronoun", "paragraph",
                                          "none", "none"]
    assert got[-1][1] == "Maria Lind"  # surname expanded to the name given earlier


def test_a_quotation_left_open_continues_its_speaker():
    text = 'Putin said: "We will act. This is firm." The weather was cold.'
    got = _speakers('Putin said, "We will act.\nThe weather was cold.')  # paragraph ends the quote
    assert got[1][0] == "narrator"
    assert [s for s, _, _ in _speakers(text)][:2] == ["putin", "putin"]


def test_countries_and_roles_are_not_named_persons():
    got = _speakers("Moscow and Beijing reaffirmed their ties.\nChina said it was ready.\n"
                    '"Fine," said the spokesman.\nPutin\'s aide Yuri Ushakov noted the delay.')
    assert [s for s, _, _ in got] == ["narrator", "narrator", "other", "other"]
    assert got[2][1] == "" and got[3][1] == "Yuri Ushakov"


def test_themes_by_speaker_counts_sentences_per_source(seed_corpus):
    codebook = analysis.load_codebook()
    labels = codebook.groupby("theme", sort=False)["label"].first().to_dict()
    table = speakers.themes_by_speaker(themes.sentence_theme_counts(seed_corpus, codebook),
                                       speakers.speaker_sentences(seed_corpus), seed_corpus,
                                       "origin", labels)
    row = table.set_index(["group", "speaker", "theme"]).loc[("China", "putin", "taiwan")]
    # the Chinese readout has Putin say Taiwan is part of China (one sentence, two matches)
    assert row["with_theme"] == 1 and row["count"] == 2
    assert (table["share"] <= 1).all() and (table["with_theme"] <= table["sentences"]).all()


# -- tone --------------------------------------------------------------------------------------

def test_tone_counts_words_of_each_list(tmp_path):
    folder = write_corpus(tmp_path / "tone", [
        document("a", "We must and will act firmly. It may rain.", origin="North"),
        document("b", "Perhaps the talks went well.", origin="South")])
    corpus = analysis.load_corpus(folder)
    counts = tone.sentence_tone_counts(corpus)
    assert counts[["modal", "intensifier", "hedge"]].sum().to_dict() == {"modal": 3, "intensifier": 1, "hedge": 2}
    rates = tone.tone_rates(corpus, "origin", n_boot=200, seed=1).set_index(["group", "category"])
    north = rates.loc[("North", "modal")]
    assert north["count"] == 3 and north["rate_per_1k"] == pytest.approx(1000 * 3 / 9)
    assert north["low"] <= north["rate_per_1k"] <= north["high"]


# -- the notebook -----------------------------------------------------------------------------

@pytest.mark.notebooks
def test_framing_notebook_with_group_by_source_type(tmp_path):
    [result] = run_notebooks(SEEDS, tmp_path, only=["03"],
                             parameters={"group_by": "source_type", "n_boot": 100}, log=lambda *_: None)
    assert result["ok"], result["error"]
    figures = tmp_path / "figures" / "03_framing_by_source"
    log_odds = pd.read_csv(figures / "log_odds_by_group.csv")
    assert list(log_odds.columns[:5]) == ["group", "term", "count_group", "count_rest", "z"]
    assert set(log_odds["group"]) == {"official_readout", "state_media", "media"}
    assert list(pd.read_csv(figures / "event_theme_coverage.csv").columns[:5]) == [
        "event", "doc_id", "theme", "label", "count"]
    said = pd.read_csv(figures / "speaker_sentences.csv", keep_default_na=False)
    assert {"doc_id", "sentence_id", "sentence", "speaker", "name"} <= set(said.columns)
    assert set(said["speaker"]) <= set(speakers.speaker_order())
    for name in ["log_odds_by_group", "event_theme_coverage", "sentence_alignment", "speakers_by_group",
                 "themes_by_speaker", "tone_rates"]:
        assert (figures / f"{name}.png").stat().st_size > 0
    shown = open(result["report"], encoding="utf-8").read()
    assert "Only in Kremlin" in shown


@pytest.mark.notebooks
def test_framing_notebook_on_one_group_with_no_event_told_twice(tmp_path):
    docs = synthetic_documents(8, years=[1961, 1962], groups=["Bureau"], seed=4)
    corpus = write_corpus(tmp_path / "bureau", docs)
    [result] = run_notebooks(corpus, tmp_path / "out", only=["03"], parameters={"n_boot": 50},
                             log=lambda *_: None)
    assert result["ok"], result["error"]
    shown = open(result["report"], encoding="utf-8").read()
    assert "Only one value of `origin`" in shown
    assert "No event is told by two or more documents" in shown
    assert "No sentence is attributed to a named speaker" in shown
    unmatched = pd.read_csv(tmp_path / "out" / "figures" / "03_framing_by_source" / "unmatched_sentences.csv")
    assert unmatched.empty and "best_similarity" in unmatched.columns
