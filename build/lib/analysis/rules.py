"""The rule files every step reads, shipped in ``analysis/data/`` and adaptable per corpus.

Every rule the suite applies (stop words, spelling, aliases, multi-word expressions, removal
rules, abbreviations, speakers, tone words, the codebook) lives in a plain file a reader can
check and a user can edit without touching code. A corpus folder may carry a ``rules/`` folder
(or the runner is given ``--rules DIR``) holding files with the same names:

- a file there **replaces** the shipped file of the same name;
- a file whose first line is ``#extend`` **adds to** it instead: rows of a table and words of a
  list are appended; TOML tables are merged (a theme, speaker or category of the same key is
  replaced, new ones are added; lists under ``[rules]`` are appended to).

:class:`RuleSet` says which files are in effect; the cache key and ``run.json`` record them.
"""
import hashlib
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import RuleError

DATA_DIR = Path(__file__).parent / "data"
RULES_FOLDER = "rules"  # the folder inside a corpus that holds its own rule files
EXTEND = "#extend"


def data_path(name):
    """Path of the data file ``name`` shipped with the package."""
    return DATA_DIR / name


def _read_lines(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read().splitlines()
    except UnicodeDecodeError as exc:
        raise RuleError(f"{path} is not UTF-8 (byte {exc.start}): save it as UTF-8") from exc
    except OSError as exc:
        raise RuleError(f"{path} cannot be read: {exc.strerror}") from exc


def _extends(path):
    lines = _read_lines(path)
    return bool(lines) and lines[0].strip().lower().replace(" ", "") == EXTEND


def _content_lines(path):
    for number, line in enumerate(_read_lines(path), start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            yield number, line.rstrip("\r")


def _merge(base, extra):
    """``extra`` merged into ``base``: tables merged key by key, lists appended, values replaced."""
    merged = dict(base)
    for key, value in extra.items():
        old = merged.get(key)
        if isinstance(old, dict) and isinstance(value, dict) and not _is_entry(old):
            merged[key] = _merge(old, value)
        elif isinstance(old, list) and isinstance(value, list):
            merged[key] = old + [v for v in value if v not in old]
        else:
            merged[key] = value
    return merged


def _is_entry(table):
    """A table that stands for one thing (a theme, a speaker, a tone category): replaced whole."""
    return any(key in table for key in ("label", "name", "words", "patterns", "mentions"))


@dataclass(frozen=True)
class RuleSet:
    """The rule files in effect: a user's folder (optional) over the shipped ones.

    Attributes
    ----------
    folder : pathlib.Path or None
        A folder of the user's rule files; None: the shipped rules only.
    contents : str
        SHA-256 of that folder's files when the set was made (see :func:`rules_for`): rule
        sets of the same folder with other contents are different, so nothing compiled from
        the old files is reused.
    """

    folder: Path = None
    contents: str = ""

    def layers(self, name):
        """The files of rule file ``name`` in effect, shipped first: ``[shipped]``,
        ``[user's]`` (replaces) or ``[shipped, user's]`` (extends)."""
        shipped = DATA_DIR / name
        if self.folder is not None:
            mine = Path(self.folder) / name
            if mine.is_file():
                return [shipped, mine] if _extends(mine) and shipped.is_file() else [mine]
        if not shipped.is_file():
            raise RuleError(f"no rule file {name!r} in {DATA_DIR}")
        return [shipped]

    def files(self):
        """Every rule file in effect, as (name, path) sorted by name then layer."""
        names = {p.name for p in DATA_DIR.iterdir() if p.is_file()}
        if self.folder is not None and Path(self.folder).is_dir():
            names |= {p.name for p in Path(self.folder).iterdir()
                      if p.is_file() and not p.name.startswith(".")}
        return [(name, path) for name in sorted(names) for path in self.layers(name)]

    def describe(self):
        """Rule file name -> "shipped", "yours (replaces the shipped one)" or "shipped + yours"."""
        shown = {}
        for name, _ in self.files():
            layers = self.layers(name)
            shown[name] = ("shipped" if layers[-1].parent == DATA_DIR
                           else "shipped + yours" if len(layers) == 2 else "yours (replaces the shipped one)")
        return shown

    def table(self, name):
        """Rows of a tab-separated rule file (see :func:`read_table`), all layers."""
        return _table(self, name)

    def words(self, name):
        """Entries of a one-per-line list file, all layers, in order."""
        return _words(self, name)

    def toml(self, name):
        """A TOML rule file as a dict, layers merged."""
        return _toml(self, name)


SHIPPED = RuleSet()


def rules_for(corpus_dir=None, rules_dir=None):
    """The rule set for a corpus: ``rules_dir`` if given, else the corpus's own ``rules/``
    folder if it has one, else the shipped rules.

    Raises
    ------
    RuleError
        ``rules_dir`` is not a folder.
    """
    if rules_dir is not None:
        folder = Path(rules_dir)
        if not folder.is_dir():
            raise RuleError(f"rules_dir={str(rules_dir)!r} is not a folder: give a folder of rule "
                            f"files named like those in {DATA_DIR}")
        return _user_rules(folder)
    if corpus_dir is not None and (Path(corpus_dir) / RULES_FOLDER).is_dir():
        return _user_rules(Path(corpus_dir) / RULES_FOLDER)
    return SHIPPED


def _user_rules(folder):
    folder = folder.resolve()
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        digest.update(path.name.encode("utf-8", "surrogatepass") + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError as exc:
            raise RuleError(f"{path} cannot be read: {exc.strerror}") from exc
    return RuleSet(folder, digest.hexdigest())


def read_table(path):
    """Rows of one tab-separated rule file as a tuple of dicts.

    Lines starting with ``#`` are comments; the first other line names the columns. Each row
    also carries ``_where`` ("<file>, line <n>") for error messages.

    Raises
    ------
    RuleError
        A row has a different number of fields than the header (names file and line).
    """
    lines = _content_lines(path)
    try:
        _, header = next(lines)
    except StopIteration:
        return ()
    columns = header.split("\t")
    rows = []
    for number, line in lines:
        fields = line.split("\t")
        if len(fields) != len(columns):
            raise RuleError(f"{path}, line {number}: expected {len(columns)} tab-separated fields "
                            f"({', '.join(columns)}), found {len(fields)}")
        rows.append({**dict(zip(columns, fields)), "_where": f"{path}, line {number}"})
    return tuple(rows)


@lru_cache(maxsize=None)
def _table(rules, name):
    layers = rules.layers(name)
    rows = []
    for path in layers:
        found = read_table(path)
        if rows and found and set(found[0]) != set(rows[0]):
            raise RuleError(f"{path}: its columns ({', '.join(c for c in found[0] if c != '_where')}) "
                            f"differ from the shipped {name} ({', '.join(c for c in rows[0] if c != '_where')})")
        rows += found
    return tuple(rows)


@lru_cache(maxsize=None)
def _words(rules, name):
    return tuple(dict.fromkeys(line.strip() for path in rules.layers(name)
                               for _, line in _content_lines(path)))


@lru_cache(maxsize=None)
def _toml(rules, name):
    merged = {}
    for path in rules.layers(name):
        try:
            text = "\n".join(_read_lines(path))
            merged = _merge(merged, tomllib.loads(text))
        except tomllib.TOMLDecodeError as exc:
            raise RuleError(f"{path} is not valid TOML: {exc}") from exc
    return merged


def read_rules(name, rules=SHIPPED):
    """Rows of the tab-separated rule file ``name`` in effect (see :meth:`RuleSet.table`)."""
    return rules.table(name)


def read_word_list(name, rules=SHIPPED):
    """Entries of the list file ``name`` in effect (see :meth:`RuleSet.words`)."""
    return rules.words(name)


def data_files(rules=SHIPPED):
    """Every rule file in effect, sorted by name (for hashing and run manifests)."""
    return [path for _, path in rules.files()]
