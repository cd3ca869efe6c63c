"""What every notebook does first, in one call: load the processed corpus (cached), show its
warnings, check the grouping column, read the codebook, make the figure folder, and spare the
garbage collector what stays loaded."""
import gc
from pathlib import Path
from types import SimpleNamespace

from IPython.display import Markdown, display

from ..figures.saving import figure_folder
from ..measures.codebook import load_codebook
from ..text.cache import load_processed
from ..text.corpus import require_column
from .render import table_html, warnings_markdown


def settle_heap():
    """Exempt every object alive now from the cyclic garbage collector's scans (``gc.freeze``),
    once per process.

    What a notebook holds once its corpus is loaded (the imported libraries, the processed
    corpus) lives as long as the kernel; a full collection re-scans all of it, again and again
    as the figures' objects come and go. Frozen, it is scanned no more, which saves a tenth of
    a notebook's own time. Objects are still freed by reference counting; only cycles made
    before this call and dropped later are kept, and a second call freezes nothing more.

    Returns
    -------
    bool
        Whether this call froze the heap (False after the first call in a process).
    """
    if gc.get_freeze_count():
        return False
    gc.freeze()
    return True


def readable_tables():
    """Show DataFrames in this kernel as :func:`analysis.runner.render.table_html` makes them:
    percentages and two decimals, whole sentences, every cell escaped (in JupyterLab and in the
    rendered reports alike)."""
    import pandas as pd
    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None:
        shell.display_formatter.formatters["text/html"].for_type(pd.DataFrame, table_html)


def open_corpus(notebook, corpus_dir, out_dir, rules_dir=None, group_by=None, codebook_path=False):
    """The corpus a notebook works on.

    Parameters
    ----------
    notebook : str
        The notebook's name (its figures go to ``out_dir/figures/<notebook>/``).
    group_by : str, optional
        Checked to be a document variable.
    codebook_path : str, None or False
        False: no codebook; None: the codebook of the rules in effect; else a TOML file.

    Returns
    -------
    types.SimpleNamespace
        ``processed``, ``corpus`` (its documents), ``codebook`` (or None), ``figures`` (folder).
    """
    readable_tables()
    processed = load_processed(corpus_dir, rules_dir=rules_dir)
    if processed.warnings:
        display(Markdown(warnings_markdown(processed.warnings)))
    if group_by is not None:
        require_column(processed.corpus, group_by)
    codebook = None if codebook_path is False else load_codebook(codebook_path, processed.rules)
    if Path(out_dir).name == "scratch":  # run by hand (JupyterLab), not by the runner
        display(Markdown(f"Figures and tables of this session go to `{Path(out_dir).resolve() / 'figures' / notebook}` "
                         "(a scratch folder git ignores); `make report` writes the shared ones."))
    settle_heap()
    return SimpleNamespace(processed=processed, corpus=processed.corpus, codebook=codebook,
                           figures=figure_folder(out_dir, notebook))
