"""Execute the notebooks with papermill, keeping the last good outputs if one fails.

Each notebook runs into a staging folder (``OUT/.staging/<name>/``). Only when it finishes
are its figures moved to ``OUT/figures/<name>/`` (replacing the previous ones as a whole)
and the executed notebook to ``OUT/reports/<name>.ipynb``, with a header cell and a static
HTML page ``OUT/reports/<name>.html``. A failed notebook is kept at
``OUT/reports/failed/<name>.ipynb`` for debugging, and the previous outputs stay in place.
After the run, ``OUT/reports/index.html`` lists the reports and ``OUT/reports/run.json``
records inputs, parameters, versions and output hashes.
"""
import ast
import json
import multiprocessing
import os
import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

import nbformat
import papermill

from ..errors import ParameterError
from ..measures.describe import corpus_summary
from ..rules import rules_for
from ..text.cache import load_processed
from ..text.parallel import check_n_jobs
from .provenance import input_hashes, output_hashes, package_versions, write_run_manifest
from .render import add_header, header_markdown, index_html, notebook_summary, render_html

_PACKAGE = Path(__file__).resolve().parent.parent
# Installed (pip install .): the notebooks are package data, analysis/notebooks/. In a
# checkout they are the repository's notebooks/ folder, beside the package.
INSTALLED = (_PACKAGE / "notebooks").is_dir()
ROOT = None if INSTALLED else _PACKAGE.parent
NOTEBOOKS = _PACKAGE / "notebooks" if INSTALLED else _PACKAGE.parent / "notebooks"
RUNNER_PARAMETERS = ("corpus_dir", "out_dir", "rules_dir")
CELL_TIMEOUT = 3600  # seconds; a cell running longer is stopped and the notebook reported failed


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


def run_notebook(notebook, corpus_dir, out_dir, parameters=None, log=print, corpus_line="",
                 keep_code=False, rules_dir=None):
    """Execute one notebook; on success move its outputs into ``out_dir`` and render it.

    ``corpus_line`` describes the corpus in the report's header cell; ``keep_code`` keeps
    code cells in the HTML page.

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
    if "rules_dir" in declared:
        values["rules_dir"] = None if rules_dir is None else _shown_path(rules_dir, notebook.parent)
    executed = staging / f"{name}.ipynb"
    started = time.perf_counter()
    log(f"running {name} ...")
    try:
        papermill.execute_notebook(str(notebook), str(executed), parameters=values,
                                   cwd=str(notebook.parent), progress_bar=False,
                                   kernel_name="python3", execution_timeout=CELL_TIMEOUT)
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
    final_out = _shown_path(out_dir, notebook.parent)
    _settle_report(executed, values["out_dir"], final_out)
    effective = {k: parse_value(v) if isinstance(v, str) else v for k, v in declared.items()}
    effective.update(values, out_dir=final_out)
    add_header(executed, header_markdown(name, corpus_line, effective, package_versions()))
    render_html(executed, staging / f"{name}.html", keep_code)
    os.replace(executed, report)
    os.replace(staging / f"{name}.html", report.with_suffix(".html"))
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


def _silent(*_):
    pass


def check_jobs(jobs, count):
    """Notebooks to run at once: ``jobs`` as ``n_jobs`` elsewhere (None or -1: one per core),
    at most ``count``.

    Raises
    ------
    ParameterError
        ``jobs`` is not a whole number, or 0.
    """
    return min(check_n_jobs(-1 if jobs is None else jobs, "jobs"), max(1, count))


def run_notebooks(corpus_dir, out_dir, only=None, parameters=None, notebooks_dir=NOTEBOOKS,
                  log=print, keep_code=False, jobs=1, rules_dir=None):
    """Validate and process the corpus, then execute the selected notebooks.

    Parameters
    ----------
    corpus_dir, out_dir : str or Path
    only : list of str, optional
        Notebook names or prefixes (default: all in ``notebooks_dir``).
    parameters : dict, optional
        Overrides for the notebooks' ``parameters`` cells; each notebook gets those it declares.
    keep_code : bool
        Keep code cells in the HTML pages.
    jobs : int or None, default 1
        Notebooks executed at once, each in its own process and kernel (None: one per core).
        The notebooks are independent: each writes only its own figures and report.
    rules_dir : str or Path, optional
        A folder of rule files over the shipped ones (default: the corpus's ``rules/``).

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
    # Validates the corpus and leaves the processed corpus in the cache the notebooks read.
    rules = rules_for(corpus_dir, rules_dir)
    corpus = load_processed(corpus_dir, rules_dir=rules_dir).corpus
    notebooks = notebook_paths(notebooks_dir, only)
    parameters = dict(parameters or {})
    check_parameters(notebooks, parameters)
    workers = check_jobs(jobs, len(notebooks))
    line = corpus_line(corpus, _shown_path(corpus_dir, notebooks_dir))
    arguments = [(notebook, corpus_dir, out_dir, parameters, log if workers == 1 or log is print
                  else _silent, line, keep_code, rules_dir) for notebook in notebooks]
    if workers == 1:
        results = [_logged(run_notebook(*args), log) for args in arguments]
    else:
        # Processes, not threads: each notebook gets its own kernel client and event loop.
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = [pool.submit(run_notebook, *args) for args in arguments]
            results = [_logged(future.result(), log) for future in futures]
    staging_root = Path(out_dir) / ".staging"
    if staging_root.exists() and not any(staging_root.iterdir()):
        staging_root.rmdir()
    _write_index(out_dir, notebooks_dir, results, line, parameters)
    _write_run_manifest(out_dir, corpus_dir, notebooks, results, parameters, line, rules)
    return results


def _logged(result, log):
    status = "ok" if result["ok"] else "FAILED"
    log(f"  {result['notebook']}: {status} in {result['seconds']:.1f} s -> {result['report']}")
    if not result["ok"]:
        log(f"  {result['notebook']}: {result['error']}")
    return result


def corpus_line(corpus, shown_path):
    """One line describing the corpus: where, how many documents, dates, outlets."""
    summary = corpus_summary(corpus)
    outlets = summary["outlets"]
    listed = ", ".join(outlets[:8]) + (f" and {len(outlets) - 8} more" if len(outlets) > 8 else "")
    return (f"{shown_path}: {summary['documents']} documents, {summary['events']} events, "
            f"{summary['first_event']} to {summary['last_event']}; outlets: {listed}")


def _write_index(out_dir, notebooks_dir, results, line, parameters):
    reports = Path(out_dir) / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    ran = {r["notebook"]: r for r in results}
    entries = []
    for notebook in notebook_paths(notebooks_dir):
        name = notebook.stem
        page = reports / f"{name}.html"
        title, summary = notebook_summary(reports / f"{name}.ipynb" if (reports / f"{name}.ipynb").exists()
                                          else notebook)
        if name in ran and ran[name]["ok"]:
            status = "made in this run"
        elif name in ran:
            status = "FAILED in this run" + ("; the page shows the previous run" if page.exists() else "")
        else:
            status = "from an earlier run" if page.exists() else "not run"
        entries.append({"name": name, "html": page.name if page.exists() else None,
                        "title": title, "summary": summary, "status": status})
    made_at = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    index_html(reports / "index.html", entries, line, parameters, made_at, package_versions())


def _write_run_manifest(out_dir, corpus_dir, notebooks, results, parameters, line, rules):
    extra = [v for k, v in parameters.items()
             if k.endswith("_path") and isinstance(v, str) and Path(v).is_file()]
    manifest = {
        "corpus": line,
        "inputs": input_hashes(corpus_dir, notebooks, extra, rules),
        "rules": rules.describe(),
        "parameters": parameters,
        "versions": package_versions(),
        "notebooks": {r["notebook"]: {"ok": r["ok"], "error": r["error"]} for r in results},
        "outputs": output_hashes(out_dir, [r["notebook"] for r in results if r["ok"]]),
    }
    write_run_manifest(Path(out_dir) / "reports" / "run.json", manifest)
