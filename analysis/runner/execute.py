"""Execute the notebooks with papermill, keeping the last good outputs if one fails.

One run at a time writes to an output folder (an exclusive lock on ``OUT/.analysis.lock``;
a second run is refused with a message). Each notebook runs into a staging folder of its run
(``OUT/.staging/<run>/<name>/``). Only when it finishes
are its figures moved to ``OUT/figures/<name>/`` (replacing the previous ones as a whole)
and the executed notebook to ``OUT/reports/<name>.ipynb``, with a header cell and a static
HTML page ``OUT/reports/<name>.html``. A failed notebook is kept at
``OUT/reports/failed/<name>.ipynb`` for debugging, and the previous outputs stay in place.
However the run ends (done, failed, interrupted with Ctrl-C), ``OUT/reports/index.html``
lists the reports and ``OUT/reports/run.json`` records inputs, parameters, versions, what each
notebook of this run did, and the hashes of the outputs this run made; partial notebooks go
to ``OUT/reports/failed/``. Worker processes end with the runner.
"""
import fcntl
import multiprocessing
import os
import secrets
import shutil
import signal
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

import nbformat
import papermill
from jupyter_client.manager import AsyncKernelManager
from papermill.engines import NBClientEngine, papermill_engines

from ..errors import ParameterError
from ..files import write_table
from ..measures.describe import corpus_summary
from ..measures.findings import findings_table
from ..rules import rules_for
from ..text.cache import load_processed
from ..text.parallel import check_n_jobs
from .parameters import check_against, check_values, parse_value, plain_value
from .provenance import input_hashes, output_hashes, package_versions, write_run_manifest
from .render import (add_header, findings_markdown, header_markdown, index_html, notebook_summary,
                     render_html)
from .schedule import record_seconds, start_order

_PACKAGE = Path(__file__).resolve().parent.parent
# Installed (pip install .): the notebooks are package data, analysis/notebooks/. In a
# checkout they are the repository's notebooks/ folder, beside the package.
INSTALLED = (_PACKAGE / "notebooks").is_dir()
ROOT = None if INSTALLED else _PACKAGE.parent
NOTEBOOKS = _PACKAGE / "notebooks" if INSTALLED else _PACKAGE.parent / "notebooks"
RUNNER_PARAMETERS = ("corpus_dir", "out_dir", "rules_dir")
CELL_TIMEOUT = 3600  # seconds; a cell running longer is stopped and the notebook reported failed


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


class LocalKernelManager(AsyncKernelManager):
    """Kernels talk to the runner over local sockets (IPC) in a private temporary folder, not
    over TCP: nothing listens on the network, and the kernel has no reason to warn that its
    traffic is unencrypted."""

    def __init__(self, **kwargs):
        kwargs.setdefault("transport", "ipc")
        super().__init__(**kwargs)
        self._sockets = tempfile.mkdtemp(prefix="analysis-kernel-")
        self.ip = os.path.join(self._sockets, "kernel")

    async def _async_interrupt_kernel(self):
        # jupyter_client interrupts a kernel before every shutdown, in case a cell is still
        # running; an idle kernel then prints "ERROR | KeyboardInterrupt caught in kernel" on
        # the terminal, which means nothing. A kernel that is busy at shutdown (the run was
        # stopped) gets SIGTERM after half of shutdown_wait_time instead. A cell that runs
        # out of time is still interrupted: nbclient does that before the shutdown.
        if self.shutting_down:
            return
        await super()._async_interrupt_kernel()

    async def _async_cleanup_resources(self, restart=False):
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            shutil.rmtree(self._sockets, ignore_errors=True)


class SavedOnceEngine(NBClientEngine):
    """papermill's nbclient engine, writing the executed notebook once, when it ends.

    papermill writes the whole notebook, figures included, as each cell starts and again as
    it ends; nothing reads that file before the run ends, and the writes cost a notebook about
    a tenth of its own time. papermill still writes it when the notebook starts and when it
    ends, however it ends (a failed cell, a dead kernel, a timeout), so a partial notebook is
    kept for ``reports/failed/`` as before.
    """

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
        path, nb_man.output_path = nb_man.output_path, None
        try:
            return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)
        finally:
            nb_man.output_path = path


papermill_engines.register("analysis", SavedOnceEngine)


class RunLocked(ParameterError):
    """Another run is writing to the same output folder."""


def _lock(out_dir):
    """An exclusive lock on ``out_dir`` for this run (released when the file is closed)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    handle = open(out_dir / ".analysis.lock", "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        handle.close()
        raise RunLocked(f"--out {out_dir}: another run ({holder}) is writing to this folder; wait "
                        f"for it to finish, or give another --out") from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"pid {os.getpid()}")
    handle.flush()
    return handle


def _worker_init():
    """A notebook worker ends when the runner does (Linux: the kernel sends SIGTERM when the
    parent dies), and SIGTERM interrupts it like Ctrl-C, so papermill stops its kernel."""
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the runner handles Ctrl-C and stops us
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _interrupt(*_):
    raise KeyboardInterrupt


def run_notebook(notebook, corpus_dir, out_dir, parameters=None, log=print, corpus_line="",
                 keep_code=False, rules_dir=None, run_id="run"):
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
    staging = out_dir / ".staging" / run_id / name
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
                                   kernel_name="python3", execution_timeout=CELL_TIMEOUT,
                                   kernel_manager_class=LocalKernelManager, engine_name="analysis")
    except BaseException as exc:  # papermill, nbclient (dead kernel, timeout), Ctrl-C
        failed = out_dir / "reports" / "failed" / f"{name}.ipynb"
        failed.parent.mkdir(parents=True, exist_ok=True)
        if executed.exists():
            os.replace(executed, failed)
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return {"notebook": name, "ok": False, "seconds": time.perf_counter() - started,
                "report": str(failed), "error": _describe_failure(exc)}
    (out_dir / "figures").mkdir(parents=True, exist_ok=True)
    produced = staging / "figures" / name
    findings = findings_table(produced)
    if produced.exists():
        write_table(findings, produced / "findings.csv")
        _replace_folder(produced, out_dir / "figures" / name)
    pages = staging / "reports" / name  # interactive pages (analysis.figures.saving.page_folder)
    if pages.exists():
        _replace_folder(pages, out_dir / "reports" / name)
    report = out_dir / "reports" / f"{name}.ipynb"
    report.parent.mkdir(parents=True, exist_ok=True)
    # The report shows paths as seen from its own folder (OUT/reports): no machine's folders.
    shown = {"out_dir": "..", "corpus_dir": _from_reports(corpus_dir, out_dir)}
    if values.get("rules_dir"):
        shown["rules_dir"] = _from_reports(rules_dir, out_dir)
    _settle_report(executed, values, shown)
    effective = {k: parse_value(v) if isinstance(v, str) else v for k, v in declared.items()}
    effective.update(values, **shown)
    title, _ = notebook_summary(executed)
    add_header(executed, header_markdown(name, corpus_line, effective, package_versions()),
               findings_markdown(findings, name, title))
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


def _from_reports(path, out_dir):
    """``path`` as a report shows it: relative to ``OUT/reports`` (where the report lives)
    when that is short, else the folder's name alone; never this machine's folders."""
    path = Path(path).resolve()
    relative = os.path.relpath(path, Path(out_dir).resolve() / "reports")
    return relative if not relative.startswith(os.path.join("..", "..", "..")) else path.name


def _settle_report(path, values, shown):
    """Make the executed notebook describe the final outputs (paths as ``shown``) and carry
    no run times, so the same inputs give the same report (timings are reported by the runner
    instead)."""
    nb = nbformat.read(path, as_version=4)
    meta = nb.metadata.get("papermill", {})
    for key in _VOLATILE:
        meta.pop(key, None)
    for key, value in shown.items():
        if key in meta.get("parameters", {}):
            meta["parameters"][key] = value
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        for key in _VOLATILE:
            cell.metadata.get("papermill", {}).pop(key, None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"  # papermill draws a random one
            for key, value in shown.items():
                cell.source = cell.source.replace(f'{key} = "{values[key]}"', f'{key} = "{value}"')
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


def _say(message):
    """``print(message)`` in one write, so that the lines of notebooks run at once (several
    processes, one terminal) never run into each other."""
    sys.stdout.write(f"{message}\n")
    sys.stdout.flush()


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
        The notebooks are independent: each writes only its own figures and report. With
        more than one, the longest in the last run start first (:mod:`.schedule`).
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
    # Parameters typed and checked once, before anything runs; then the corpus is validated
    # and left, processed, in the cache the notebooks read.
    parameters = check_values({k: plain_value(v, f"{k}={v!r}") for k, v in (parameters or {}).items()})
    notebooks = notebook_paths(notebooks_dir, only)
    check_parameters(notebooks, parameters)
    rules = rules_for(corpus_dir, rules_dir)
    corpus = load_processed(corpus_dir, rules_dir=rules_dir).corpus
    check_against(parameters, [c for c in corpus.columns if c != "text"])
    workers = check_jobs(jobs, len(notebooks))
    out_dir = Path(out_dir)
    lock = _lock(out_dir)
    shutil.rmtree(out_dir / ".staging", ignore_errors=True)  # left by a run that was killed
    run_id = f"{os.getpid()}-{secrets.token_hex(3)}"
    line = corpus_line(corpus, _from_reports(corpus_dir, out_dir))
    log = _say if log is print else log
    # Several at once: the longest (in the last run) start first, so no worker is left alone
    # with a long notebook at the end; results and pages stay in the notebooks' order.
    started = notebooks if workers == 1 else start_order(notebooks)
    arguments = [(notebook, corpus_dir, out_dir, parameters, log if workers == 1 or log is _say
                  else _silent, line, keep_code, rules_dir, run_id) for notebook in started]
    results = []
    try:
        if workers == 1:
            for args in arguments:
                results.append(_logged(run_notebook(*args), log))
        else:
            _run_in_workers(arguments, workers, results, log)
    finally:
        names = [n.stem for n in notebooks]
        results.sort(key=lambda r: names.index(r["notebook"]))
        record_seconds(notebooks, results)
        # whatever happened, the index and run.json describe what is there now
        shutil.rmtree(out_dir / ".staging" / run_id, ignore_errors=True)
        staging_root = out_dir / ".staging"
        if staging_root.exists() and not any(staging_root.iterdir()):
            staging_root.rmdir()
        done = {r["notebook"] for r in results}
        interrupted = [{"notebook": n.stem, "ok": False, "seconds": 0.0, "report": None,
                        "error": "interrupted before it finished"}
                       for n in notebooks if n.stem not in done]
        _write_index(out_dir, notebooks_dir, results + interrupted, line, parameters)
        _write_run_manifest(out_dir, corpus_dir, notebooks, results + interrupted, parameters,
                            line, rules)
        lock.close()
    return results


def _run_in_workers(arguments, workers, results, log):
    """Run the notebooks on worker processes; on any exit, no worker outlives this call."""
    # Processes, not threads: each notebook gets its own kernel client and event loop.
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_init)
    try:
        futures = [pool.submit(run_notebook, *args) for args in arguments]
        for future in futures:
            results.append(_logged(future.result(), log))
    except BaseException:
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()  # SIGTERM: the worker stops its kernel and moves its notebook
        for process in list(getattr(pool, "_processes", {}).values()):
            process.join(timeout=30)
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


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
            what = "INTERRUPTED" if "interrupted" in (ran[name]["error"] or "") else "FAILED"
            status = f"{what} in this run" + ("; the page shows the previous run" if page.exists() else "")
        else:
            status = "from an earlier run" if page.exists() else "not run"
        extra = sorted(p.relative_to(reports).as_posix() for p in (reports / name).glob("*.html")) \
            if (reports / name).is_dir() else []
        entries.append({"name": name, "html": page.name if page.exists() else None,
                        "title": title, "summary": summary, "status": status, "pages": extra})
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
        "complete": all(r["ok"] for r in results),
        # only the outputs this run made; the others (if any) are from earlier runs
        "outputs": output_hashes(out_dir, [r["notebook"] for r in results if r["ok"]]),
    }
    write_run_manifest(Path(out_dir) / "reports" / "run.json", manifest)
