"""Tables kept in the cache folder between processes (analysis.text.memo)."""
import os

from analysis.text import dialect, memo
from analysis.text.corpus import _language_classes


def test_a_kept_result_is_read_back_and_anything_doubtful_is_computed_again(tmp_path, monkeypatch):
    monkeypatch.setenv("ANALYSIS_CACHE_DIR", str(tmp_path / "cache"))
    calls = []

    @memo.kept
    def table(pattern):
        calls.append(pattern)
        return ("made of " + pattern, None)

    assert table("a") == ("made of a", None) and table("a") == ("made of a", None)
    assert table("b") == ("made of b", None) and table(pattern="b") == ("made of b", None)
    assert calls == ["a", "b"]  # the second "a" and "b" came from their files
    tables = tmp_path / "cache" / memo.TABLES
    files = sorted(tables.glob("*.json"))
    assert len(files) == 2

    for file in files:  # damaged files: computed again, and written again
        file.write_text('{"key": ', encoding="utf-8")
    assert table("a") == ("made of a", None) and table("a") == ("made of a", None)
    assert calls == ["a", "b", "a"]

    os.chmod(tables, 0o777)  # a folder others may write to is not read
    assert table("a") == ("made of a", None)
    assert calls == ["a", "b", "a", "a"]
    os.chmod(tables, 0o700)

    assert table("a") == ("made of a", None) and len(calls) == 4  # its file is sound again
    monkeypatch.setattr(memo.pl, "__version__", "0.0.1")  # made under another polars
    assert table("a") == ("made of a", None)
    assert len(calls) == 5

    for variable in ("ANALYSIS_CACHE_DIR", "XDG_CACHE_HOME", "HOME"):  # no home folder at all
        monkeypatch.delenv(variable, raising=False)

    def nowhere():
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(memo.Path, "home", staticmethod(nowhere))
    assert table("d") == ("made of d", None) and calls[-1] == "d"

    blocked = tmp_path / "a file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("ANALYSIS_CACHE_DIR", str(blocked / "cache"))  # cannot be made: no error
    assert table("c") == ("made of c", None) and table("c") == ("made of c", None)
    assert calls[-2:] == ["c", "c"]


def test_unicode_tables_read_back_from_disk_equal_those_computed(tmp_path, monkeypatch):
    """Python's whitespace (with \\x1c-\\x1f, \\x85, \\u2028) and word characters, and the
    language check's classes, come back from their files exactly as computed."""
    monkeypatch.setenv("ANALYSIS_CACHE_DIR", str(tmp_path))
    computed = {
        "spaces": dialect.characters.__wrapped__.__wrapped__(r"\s"),
        "words": dialect.characters.__wrapped__.__wrapped__(r"\w", "regex"),
        "rust": dialect.rust_characters.__wrapped__.__wrapped__(r"\w"),
        "language": _language_classes.__wrapped__.__wrapped__(),
    }
    assert "\x1c" in computed["spaces"] and "\u2028" in computed["spaces"]
    for _ in range(2):  # written, then read
        assert dialect.characters.__wrapped__(r"\s") == computed["spaces"]
        assert dialect.characters.__wrapped__(r"\w", "regex") == computed["words"]
        assert dialect.rust_characters.__wrapped__(r"\w") == computed["rust"]
        assert _language_classes.__wrapped__() == computed["language"]
    assert len(list((tmp_path / memo.TABLES).glob("*.json"))) >= 4  # (and the classes the language check reads)
