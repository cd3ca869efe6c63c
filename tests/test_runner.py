import json
import subprocess
import sys

import nbformat
import pytest

import analysis
from analysis.runner.execute import NOTEBOOKS, notebook_paths, parse_value, run_notebooks
from conftest import ROOT, SEEDS, document, synthetic_documents, write_corpus, write_notebook


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True,
                          text=True, cwd=ROOT)


def test_source_notebooks_are_stored_without_outputs_and_have_one_parameters_cell():
    notebooks = sorted(NOTEBOOKS.glob("*.ipynb"))
    assert notebooks, "no notebooks found"
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(not c.outputs and c.execution_count is None for c in code), path.name
        tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, f"{path.name}: needs exactly one cell tagged 'parameters'"
        assert "corpus_dir" in tagged[0].source and "out_dir" in tagged[0].source


@pytest.mark.parametrize("text,value", [("5", 5), ("0.5", 0.5), ('["2025", "2026"]', ["2025", "2026"]),
                                        ("true", True), ("True", True), ("origin", "origin"),
                                        ("{'a': 1}", "{'a': 1}"), ("source type", "source type"), ("null", None)])
def test_parameter_values_arrive_typed(text, value):
    assert parse_value(text) == value


def test_only_selects_notebooks_and_names_unknown_ones():
    assert [p.stem for p in notebook_paths(only=["00"])] == ["00_corpus_overview"]
    with pytest.raises(analysis.ParameterError, match="--only 99_nothing: no such notebook"):
        notebook_paths(only=["99_nothing"])


def test_validate_command_exits_1_and_names_the_problem(tmp_path):
    ok = _cli("validate", "--corpus", str(SEEDS))
    assert ok.returncode == 0 and "6 documents, 3 events" in ok.stdout
    folder = write_corpus(tmp_path / "bad", [document("a", "Text.", event_date="2025-13-45")])
    bad = _cli("validate", "--corpus", str(folder))
    assert bad.returncode == 1
    assert "manifest.csv line 2 (doc_id a): event_date '2025-13-45' is not an ISO date" in bad.stderr


def test_run_rejects_unknown_parameter_before_running_anything(tmp_path):
    result = _cli("run", "--out", str(tmp_path), "-p", "no_such_parameter", "1")
    assert result.returncode == 2
    assert "-p no_such_parameter: no selected notebook has such a parameter" in result.stderr
    assert not (tmp_path / "reports").exists()


def test_run_rejects_a_bad_corpus_before_running_anything(tmp_path):
    folder = write_corpus(tmp_path / "bad", [document("a", b"\xff\xfe broken")])
    with pytest.raises(analysis.CorpusError, match="a.txt is not valid UTF-8"):
        run_notebooks(folder, tmp_path / "out")
    assert not (tmp_path / "out").exists()


@pytest.mark.notebooks
def test_overview_runs_on_seeds_and_a_failed_run_keeps_the_previous_outputs(tmp_path):
    out = tmp_path / "out"
    [result] = run_notebooks(SEEDS, out, only=["00"], log=lambda *_: None)
    assert result["ok"], result["error"]
    figures = out / "figures" / "00_corpus_overview"
    for name in ["timeline", "lengths", "cleaning_steps", "top_features"]:
        for ext in ["png", "svg", "csv"]:
            assert (figures / f"{name}.{ext}").stat().st_size > 0, f"{name}.{ext}"
    report = nbformat.read(out / "reports" / "00_corpus_overview.ipynb", as_version=4)
    injected = next(c for c in report.cells if "injected-parameters" in c.metadata.get("tags", []))
    # no machine path in a shared report: paths as seen from the report's own folder
    assert 'corpus_dir = "seeds"' in injected.source and 'out_dir = ".."' in injected.source
    assert str(tmp_path) not in json.dumps(report)
    assert "start_time" not in json.dumps(report.metadata) and "execution" not in report.cells[1].metadata
    before = {p.name: p.read_bytes() for p in figures.iterdir()}
    report_before = (out / "reports" / "00_corpus_overview.ipynb").read_bytes()

    bad = tmp_path / "bad.toml"
    bad.write_text("[themes.x\n", encoding="utf-8")
    [failed] = run_notebooks(SEEDS, out, only=["01"], parameters={"codebook_path": str(bad)}, log=lambda *_: None)
    assert not failed["ok"]
    assert "CodebookError" in failed["error"] and "not valid TOML" in failed["error"]
    assert failed["error"].startswith("cell ")
    assert (out / "reports" / "failed" / "01_theme_frequency.ipynb").exists()
    [failed] = run_notebooks(SEEDS, out, only=["00"], log=lambda *_: None,
                             notebooks_dir=_failing_overview(tmp_path))
    assert not failed["ok"]
    assert (out / "reports" / "failed" / "00_corpus_overview.ipynb").exists()
    assert {p.name: p.read_bytes() for p in figures.iterdir()} == before
    assert (out / "reports" / "00_corpus_overview.ipynb").read_bytes() == report_before
    assert not (out / ".staging").exists()


@pytest.mark.notebooks
def _failing_overview(tmp_path):
    """A notebook called 00_corpus_overview that writes a figure and then fails, in a folder
    of its own (the runner must not swap its figures in)."""
    folder = tmp_path / "failing"
    write_notebook(folder, "00_corpus_overview",
                   "from pathlib import Path\nfolder = Path(out_dir) / 'figures' / '00_corpus_overview'\n"
                   "folder.mkdir(parents=True, exist_ok=True)\n(folder / 'timeline.csv').write_text('new')\n"
                   "raise ValueError('a cell that fails')")
    return folder


def test_cli_run_failure_exits_nonzero_and_names_notebook_and_cell(tmp_path):
    result = _cli("run", "--out", str(tmp_path), "--notebooks", str(_failing_overview(tmp_path)))
    assert result.returncode == 1
    assert "00_corpus_overview failed at cell 2" in result.stderr and "a cell that fails" in result.stderr
    # a parameter the corpus cannot take stops the run before any notebook starts, once
    result = _cli("run", "--out", str(tmp_path / "two"), "-p", "group_by", "party")
    assert result.returncode == 2 and result.stderr.count("error:") == 1
    assert "-p group_by \"party\": not a manifest column" in result.stderr
    assert not (tmp_path / "two" / "reports").exists()


@pytest.mark.notebooks
def test_overview_on_a_corpus_unlike_the_seeds(tmp_path):
    # One year, one origin, no event told twice, many outlets, an extra grouping column.
    docs = synthetic_documents(15, years=[1998], groups=["Ministry of Agriculture"], seed=3)
    for i, doc in enumerate(docs):
        doc["event_date"] = f"1998-{1 + i % 12:02d}-{1 + i:02d}"
    folder = write_corpus(tmp_path / "ministry", docs)
    results = run_notebooks(folder, tmp_path / "out", parameters={"group_by": "party", "max_listed": 5,
                                                                  "n_boot": 100},
                            log=lambda *_: None)
    assert len(results) == len(list(NOTEBOOKS.glob("*.ipynb")))
    assert all(r["ok"] for r in results), [r["error"] for r in results]
    result = results[0]
    report = nbformat.read(result["report"], as_version=4)
    shown = json.dumps([c.get("outputs", []) for c in report.cells])
    assert "No event is told by more than one document" in shown
    assert "15 documents" in shown
    table = (tmp_path / "out" / "figures" / "00_corpus_overview" / "lengths.csv").read_text()
    assert "party 3" in table


def test_kernels_are_not_interrupted_on_the_way_to_shutdown():
    """jupyter_client interrupts a kernel before shutting it down, and an idle kernel then
    prints a meaningless "ERROR | KeyboardInterrupt caught in kernel"; the runner's manager
    skips that interrupt (and only that one: nbclient interrupts a cell that runs out of time
    through the public method, which is unchanged)."""
    import asyncio

    from jupyter_client.manager import AsyncKernelManager

    from analysis.runner.execute import LocalKernelManager

    manager = LocalKernelManager(kernel_name="python3")
    manager.shutting_down = True
    assert asyncio.run(manager._async_interrupt_kernel()) is None
    manager.shutting_down = False
    with pytest.raises(RuntimeError, match="No kernel is running"):
        asyncio.run(manager._async_interrupt_kernel())
    assert LocalKernelManager.interrupt_kernel is AsyncKernelManager.interrupt_kernel


@pytest.mark.notebooks
def test_the_executed_notebook_is_written_when_it_starts_and_ends_not_at_every_cell(tmp_path, monkeypatch):
    import papermill.engines
    import papermill.execute

    notebooks = tmp_path / "notebooks"
    write_notebook(notebooks, "10_cells", *(f"print({i})" for i in range(12)))
    writes = []
    for module in (papermill.engines, papermill.execute):
        original = module.write_ipynb
        monkeypatch.setattr(module, "write_ipynb",
                            lambda nb, path, original=original: (writes.append(path), original(nb, path)))
    [result] = run_notebooks(SEEDS, tmp_path / "out", notebooks_dir=notebooks, log=lambda *_: None)
    assert result["ok"], result["error"]
    assert 1 <= len(writes) <= 3, writes  # papermill's own engine: 31 times
    report = nbformat.read(tmp_path / "out" / "reports" / "10_cells.ipynb", as_version=4)
    assert [c.outputs[0]["text"] for c in report.cells if "print(" in c.source] == [f"{i}\n" for i in range(12)]


def test_notebooks_start_longest_first_by_their_last_run(tmp_path):
    from analysis.runner.schedule import start_order

    names = [tmp_path / f"{n}.ipynb" for n in ("00_a", "01_b", "02_c", "03_new", "04_d")]
    seconds = {str(p.resolve()): s for p, s in zip(names, (2.0, 5.0, 2.0, None, 9.0)) if s is not None}
    # no record: a new notebook might be long, so it goes first; ties keep the order given
    assert [p.stem for p in start_order(names, seconds)] == ["03_new", "04_d", "01_b", "00_a", "02_c"]
    assert start_order(names, {}) == names


def test_notebook_times_are_kept_in_the_cache_folder_and_a_bad_record_is_ignored(tmp_path, monkeypatch):
    from analysis.runner import schedule

    monkeypatch.setenv("ANALYSIS_CACHE_DIR", str(tmp_path / "cache"))
    a, b, gone = (tmp_path / f"{n}.ipynb" for n in ("a", "b", "gone"))
    a.touch(), b.touch()
    assert schedule.last_seconds() == {}
    schedule.record_seconds([a, b, gone], [{"notebook": "a", "ok": True, "seconds": 3.14159},
                                           {"notebook": "b", "ok": False, "seconds": 0.1},
                                           {"notebook": "gone", "ok": True, "seconds": 1.0}])
    assert schedule.last_seconds() == {str(a.resolve()): 3.14, str(gone.resolve()): 1.0}
    schedule.record_seconds([b], [{"notebook": "b", "ok": True, "seconds": 7}])
    # a notebook whose file is gone is forgotten; the others are kept
    assert schedule.last_seconds() == {str(a.resolve()): 3.14, str(b.resolve()): 7.0}
    (tmp_path / "cache" / schedule.RECORD).write_text("[not a record", encoding="utf-8")
    assert schedule.last_seconds() == {}
    monkeypatch.setenv("ANALYSIS_CACHE_DIR", str(a))  # a file, not a folder: nothing is raised
    assert schedule.record_seconds([b], [{"notebook": "b", "ok": True, "seconds": 7}])


def test_workers_get_the_longest_notebook_first_and_results_stay_in_name_order(tmp_path, monkeypatch):
    import analysis.runner.execute as execute

    monkeypatch.setenv("ANALYSIS_CACHE_DIR", str(tmp_path / "cache"))
    notebooks = notebook_paths()
    longest = notebooks[3]
    execute.record_seconds(notebooks, [{"notebook": n.stem, "ok": True, "seconds": 9.0 if n == longest else 1.0}
                                       for n in notebooks])
    handed = []

    def fake_workers(arguments, workers, results, log):
        handed.extend(args[0] for args in arguments)
        results.extend({"notebook": args[0].stem, "ok": False, "seconds": 0.0, "report": None,
                        "error": "not run"} for args in reversed(arguments))

    monkeypatch.setattr(execute, "_run_in_workers", fake_workers)
    results = run_notebooks(SEEDS, tmp_path / "out", jobs=2, log=lambda *_: None)
    assert handed[0] == longest and sorted(handed) == notebooks
    assert [r["notebook"] for r in results] == [n.stem for n in notebooks]


def test_a_notebook_opening_its_corpus_spares_the_collector_what_stays_loaded(tmp_path):
    # in a process of its own: freezing the heap is for a kernel's lifetime
    code = (
        "import gc, sys\n"
        "from analysis.runner.notebook import open_corpus, settle_heap\n"
        "assert gc.get_freeze_count() == 0\n"
        "opened = open_corpus('00_corpus_overview', sys.argv[1], sys.argv[2])\n"
        "frozen = gc.get_freeze_count()\n"
        "assert frozen > 10_000, frozen\n"
        "assert settle_heap() is False and gc.get_freeze_count() == frozen\n"
        "print('ok')\n")
    done = subprocess.run([sys.executable, "-c", code, str(SEEDS), str(tmp_path)], capture_output=True,
                          text=True, cwd=ROOT)
    assert done.returncode == 0 and done.stdout.strip().endswith("ok"), done.stderr
