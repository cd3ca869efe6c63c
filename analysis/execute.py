"""Execute the notebooks with papermill, keeping the last good outputs if one fails.

Each notebook runs into a staging folder (``OUT/.staging/<name>/``). Only when it finishes
are its figures moved to ``OUT/figures/<name>/`` (replacing the previous ones as a whole)
and the executed notebook to ``OUT/reports/<name>.ipynb``. A failed notebook is kept at
``OUT/reports/failed/<name>.ipynb`` for debugging, and the previous outputs stay in place.
"""
import ast
import json
import os
import shutil
import time
from pathlib import Path

import nbformat
import papermill

from .corpus import load_corpus
from .errors import ParameterError

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
RUNNER_PARAMETERS = ("corpus_dir", "out_dir")


def parse_value(text):
    """A ``-p`` value as Python: JSON or a Python literal if it parses, else the string.

    ``5`` -> 5, ``0.8`` -> 0.8, ``["2025", "2026"]`` -> list, ``true``/``True`` -> True,
    ``origin`` -> "origin".
    """
    for parse in (json.loads, ast.literal_eval):
        try:
            return parse(text)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            continue
    return text


def notebook_paths(notebooks_dir=NOTEBOOKS, only=None):
    """The notebooks to run, sorted by name; ``only`` selects by stem ("00_corpus_overview")
    or by prefix ("00").

    Raises
    ------
    ParameterError
        A name in ``only`` matches no notebook.
    """
    available = sorted(p for p in Path(notebooks_dir).glob("*.ipynb")
                       if not p.name.startswith((".", "_")))
    if not only:
        return available
    chosen = []
    for name in only:
        stem = Path(name).stem
        matches = [p for p in available if p.stem == stem or p.stem.startswith(stem + "_")]
        if not matches:
            raise ParameterError(f"--only {name}: no such notebook in {notebooks_dir} "
                                 f"(have: {', '.join(p.stem for p in available)})")
        chosen += [m for m in matches if m not in chosen]
    return sorted(chosen)


def declared_parameters(notebook):
    """Names and defaults of the notebook's ``parameters`` cell, as a dict."""
    inspected = papermill.inspect_notebook(str(notebook))
    return {name: info["default"] for name, info in inspected.items()}


def check_parameters(notebooks, parameters):
    """Raise ParameterError for a ``-p`` name no selected notebook declares."""
    declared = set()
    for notebook in notebooks:
        declared |= set(declared_parameters(notebook))
    unknown = sorted(set(parameters) - declared)
    if unknown:
        raise ParameterError(f"-p {', '.join(unknown)}: no selected notebook has such a "
                             f"parameter (known: {', '.join(sorted(declared - set(RUNNER_PARAMETERS)))})")
    reserved = sorted(set(parameters) & set(RUNNER_PARAMETERS))
    if reserved:
        raise ParameterError(f"-p {', '.join(reserved)}: set these with --corpus / --out")


def _replace_folder(new, target):
    """Put folder ``new`` at ``target``, removing the old one only once the new is in place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    old = target.with_name(f".{target.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    if old.exists():
        shutil.rmtree(old)


def run_notebook(notebook, corpus_dir, out_dir, parameters=None, log=print):
    """Execute one notebook; on success move its outputs into ``out_dir``.

    Returns
    -------
    dict
        ``notebook``, ``ok`` (bool), ``seconds``, ``report`` (path of the executed notebook:
        the final one, or the partial one under ``reports/failed/``) and, on failure,
        ``error`` (the failing cell and exception).
    """
    notebook, out_dir = Path(notebook), Path(out_dir).resolve()
    name = notebook.stem
    staging = out_dir / ".staging" / name
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    declared = declared_parameters(notebook)
    values = {k: v for k, v in (parameters or {}).items() if k in declared}
    values.update(corpus_dir=_shown_path(corpus_dir, notebook.parent),
                  out_dir=_shown_path(staging, notebook.parent))
    executed = staging / f"{name}.ipynb"
    started = time.perf_counter()
    log(f"running {name} ...")
    try:
        papermill.execute_notebook(str(notebook), str(executed), parameters=values,
                                   cwd=str(notebook.parent), progress_bar=False,
                                   kernel_name="python3")
    except Exception as exc:  # papermill, nbclient (dead kernel, timeout) all end here
        failed = out_dir / "reports" / "failed" / f"{name}.ipynb"
        failed.parent.mkdir(parents=True, exist_ok=True)
        if executed.exists():
            os.replace(executed, failed)
        shutil.rmtree(staging, ignore_errors=True)
        return {"notebook": name, "ok": False, "seconds": time.perf_counter() - started,
                "report": str(failed), "error": _describe_failure(exc)}
    (out_dir / "figures").mkdir(parents=True, exist_ok=True)
    produced = staging / "figures" / name
    if produced.exists():
        _replace_folder(produced, out_dir / "figures" / name)
    report = out_dir / "reports" / f"{name}.ipynb"
    report.parent.mkdir(parents=True, exist_ok=True)
    _settle_report(executed, values["out_dir"], _shown_path(out_dir, notebook.parent))
    os.replace(executed, report)
    stale = out_dir / "reports" / "failed" / f"{name}.ipynb"
    if stale.exists():
        stale.unlink()
    shutil.rmtree(staging, ignore_errors=True)
    return {"notebook": name, "ok": True, "seconds": time.perf_counter() - started,
            "report": str(report), "error": None}


_VOLATILE = ("start_time", "end_time", "duration", "input_path", "output_path",
             "environment_variables")


def _settle_report(path, staged_out, final_out):
    """Make the executed notebook describe the final outputs and carry no run times, so the
    same inputs give the same report (timings are reported by the runner instead)."""
    nb = nbformat.read(path, as_version=4)
    meta = nb.metadata.get("papermill", {})
    for key in _VOLATILE:
        meta.pop(key, None)
    if meta.get("parameters", {}).get("out_dir") == staged_out:
        meta["parameters"]["out_dir"] = final_out
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        for key in _VOLATILE:
            cell.metadata.get("papermill", {}).pop(key, None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"  # papermill draws a random one
            cell.source = cell.source.replace(f'out_dir = "{staged_out}"', f'out_dir = "{final_out}"')
    nbformat.write(nb, path)


def _shown_path(path, notebook_dir):
    """``path`` relative to the notebook's folder when both are in one repository (so a
    rendered report shows "../seeds", not this machine's folders), else absolute."""
    path, notebook_dir = Path(path).resolve(), Path(notebook_dir).resolve()
    if notebook_dir.parent in path.parents or path == notebook_dir.parent:
        return os.path.relpath(path, notebook_dir)
    return str(path)


def _describe_failure(exc):
    if isinstance(exc, papermill.PapermillExecutionError):
        first_line = (exc.source or "").strip().splitlines()[:1]
        return (f"cell {exc.cell_index} (execution {exc.exec_count}) raised {exc.ename}: "
                f"{exc.evalue}" + (f"\n    first line of the cell: {first_line[0]}"
                                   if first_line else ""))
    return f"{type(exc).__name__}: {exc} (the kernel may have died or timed out)"


def run_notebooks(corpus_dir, out_dir, only=None, parameters=None, notebooks_dir=NOTEBOOKS,
                  log=print):
    """Validate the corpus, then execute the selected notebooks one after another.

    Parameters
    ----------
    corpus_dir, out_dir : str or Path
    only : list of str, optional
        Notebook names or prefixes (default: all in ``notebooks_dir``).
    parameters : dict, optional
        Overrides for the notebooks' ``parameters`` cells; each notebook gets those it declares.

    Returns
    -------
    list of dict
        One result per notebook (see :func:`run_notebook`).

    Raises
    ------
    CorpusError
        The corpus does not validate (no notebook is run).
    ParameterError
        Unknown notebook or parameter name.
    """
    load_corpus(corpus_dir)
    notebooks = notebook_paths(notebooks_dir, only)
    parameters = dict(parameters or {})
    check_parameters(notebooks, parameters)
    results = []
    for notebook in notebooks:
        result = run_notebook(notebook, corpus_dir, out_dir, parameters, log)
        status = "ok" if result["ok"] else "FAILED"
        log(f"  {status} in {result['seconds']:.1f} s -> {result['report']}")
        if not result["ok"]:
            log(f"  {notebook.name}: {result['error']}")
        results.append(result)
    staging_root = Path(out_dir) / ".staging"
    if staging_root.exists() and not any(staging_root.iterdir()):
        staging_root.rmdir()
    return results
