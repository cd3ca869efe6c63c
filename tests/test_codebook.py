import pytest

import analysis
from analysis import CodebookError
from analysis.measures.codebook import pattern_tokens


def _write(tmp_path, text):
    path = tmp_path / "codebook.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_codebook_has_at_least_14_defined_themes():
    codebook = analysis.load_codebook()
    table = analysis.theme_table(codebook)
    assert len(table) >= 14
    assert table["definition"].str.len().min() > 20
    for theme in ["friendship", "strategic_partnership", "trade_economy", "energy", "nuclear_arms",
                  "multilateral", "global_governance", "ww2_memory", "ukraine", "us_west", "taiwan",
                  "sovereignty_security", "culture_people", "other_regions"]:
        assert theme in set(table["theme"])


def test_patterns_are_normalised_like_the_texts():
    assert pattern_tokens("UN") == pattern_tokens("U.N.") == ("united_nations",)
    assert pattern_tokens("Asia-Pacific Economic Cooperation") == ("apec",)
    assert pattern_tokens("strategic coordinat*") == ("strategic", "coordinat*")
    assert pattern_tokens("Second World War") == ("world_war_ii",)
    assert pattern_tokens("neighbourliness") == ("neighborliness",)


@pytest.mark.parametrize("body,message", [
    ('[themes.a]\nlabel = "A"\ndefinition = "d"\npatterns = ["x"]\ncolour = "red"\n',
     r"theme 'a' has unknown key\(s\) colour"),
    ('[themes.a]\nlabel = "A"\ndefinition = "d"\npatterns = []\n',
     "theme 'a' is empty or incomplete: needs patterns"),
    ('[themes.a]\nlabel = "A"\ndefinition = "d"\npatterns = ["trade", "(econom"]\n',
     r"theme 'a', patterns entry '\(econom': use words"),
    ('[themes.a]\nlabel = "A"\ndefinition = "d"\npatterns = ["trade", "Trade"]\n',
     "theme 'a', patterns entry 'Trade' repeats an earlier entry"),
    ('[themes.a]\nlabel = "A"\ndefinition = "d"\npatterns = ["x"]\n'
     '[themes.a]\nlabel = "B"\ndefinition = "d"\npatterns = ["y"]\n',
     "is not valid TOML.*declared twice"),
    ('[themes.a]\nlabel = "A"\ndefinition = "d"\npatterns = ["x"]\n'
     '[themes.b]\nlabel = "A"\ndefinition = "d"\npatterns = ["y"]\n',
     "themes 'a' and 'b' have the same label 'A'"),
    ('[themes.a]\nlabel = "A"\ndefinition = "d"\npatterns = ["x"]\nexclude = ["2024"]\n',
     "theme 'a', exclude entry '2024' leaves no token"),
    ('[themes.a]\nlabel = "A"\ndefinition = "d"\npatterns = "trade"\n',
     "theme 'a', patterns must be a list of patterns"),
    ('[topics.a]\nlabel = "A"\n', "unknown top-level key"),
])
def test_malformed_codebook_names_theme_and_entry(tmp_path, body, message):
    with pytest.raises(CodebookError, match=message):
        analysis.load_codebook(_write(tmp_path, body))


def test_missing_codebook_file(tmp_path):
    with pytest.raises(CodebookError, match="does not exist"):
        analysis.load_codebook(tmp_path / "nope.toml")
