"""Build one report: params -> load -> validate -> execute -> HTML -> PDF -> manifest -> publish.

A build writes into a staging folder and moves it into reports/<gemeente>/<schooljaar>/
only when every step succeeded; a failed build keeps its executed notebook in
reports/<gemeente>/<schooljaar>.mislukt/ and never touches the last good report.
"""

from __future__ import annotations

import fcntl
import shutil
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import manifest, paths, rendering
from .errors import BouwFout, JaarverslagFout, ValidatieFout
from .manifest import is_current, report_dir
from .params import all_reports, load_params
from .sections import TEXT_SPOTS

# pandas, Great Expectations, matplotlib and friends are imported inside the steps that use
# them, so that the kernel can start before the build process spends seconds on imports.


@dataclass
class Melder:
    """Prints one line per step with its duration (to stderr), unless quiet."""

    stil: bool = False

    @contextmanager
    def stap(self, naam: str):
        start = time.perf_counter()
        yield
        if not self.stil:
            print(f"  {naam:<12} {time.perf_counter() - start:6.1f} s", file=sys.stderr, flush=True)


@contextmanager
def _lock(gemeente: str, schooljaar: str):
    folder = paths.REPORTS / gemeente
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f".{schooljaar}.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise BouwFout(
                f"Er loopt al een build van {gemeente} {schooljaar}. Wacht tot die klaar is en probeer het opnieuw."
            ) from exc
        yield


def prepare(gemeente: str, schooljaar: str, melder: Melder, params: dict | None = None) -> tuple[dict, dict]:
    """Params and tables, with every row the school year needs; raises when something is missing."""
    from .loading import load_tables
    from .nieuwjaar import checklist, format_checklist

    if params is None:
        with melder.stap("parameters"):
            params = load_params(gemeente, schooljaar, TEXT_SPOTS)
    with melder.stap("laden"):
        tables = load_tables(gemeente)
    missing = checklist(gemeente, params["schooljaar"], tables)
    if missing:
        raise ValidatieFout(format_checklist(gemeente, params["schooljaar"], missing))
    return params, tables


def validate_inputs(params: dict, tables: dict, melder: Melder) -> dict:
    """The GX validation summary; raises on a blocking finding."""
    from . import validation

    with melder.stap("valideren"):
        summary = validation.validate(tables, params["schooljaar"], params["aantal_jaren"])
    validation.raise_if_blocking(summary)
    return summary


def check_inputs(gemeente: str, schooljaar: str, melder: Melder | None = None) -> tuple[dict, dict, dict]:
    """Params, tables and validation summary; raises on anything that blocks a build."""
    melder = melder or Melder(stil=True)
    params, tables = prepare(gemeente, schooljaar, melder)
    return params, tables, validate_inputs(params, tables, melder)


def _notebook_parameters(params: dict, summary: dict) -> dict:
    return {
        "gemeente": params["gemeente"],
        "schooljaar": params["schooljaar"],
        "aantal_jaren": params["aantal_jaren"],
        "validatie": {k: summary[k] for k in ("aantal_suites", "aantal_controles", "geslaagd", "waarschuwingen")},
    }


def _execute(staging: Path, failed: Path, parameters: dict, kernel: rendering.Kernel, progress: bool) -> Path:
    notebook = staging / "jaarverslag.ipynb"
    try:
        rendering.execute(notebook, parameters, kernel, progress=progress)
    except Exception as exc:
        if failed.exists():
            shutil.rmtree(failed)
        shutil.move(str(staging), str(failed))
        name = getattr(exc, "ename", exc.__class__.__name__)
        value = getattr(exc, "evalue", str(exc))
        raise BouwFout(
            f"Het notebook liep vast ({name}: {value}). Het half uitgevoerde notebook staat in "
            f"{paths.relative(failed / 'jaarverslag.ipynb')}; het vorige verslag is niet aangeraakt."
        ) from exc
    return notebook


def _publish(staging: Path, target: Path) -> None:
    old = target.with_name(f".{target.name}.oud")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    if old.exists():
        shutil.rmtree(old)


def build(gemeente: str, schooljaar: str, progress: bool = False, stil: bool = False, opnieuw: bool = True) -> Path:
    """Build one report and return its folder. Raises a JaarverslagFout with a Dutch message.

    With opnieuw=False an up-to-date report (see is_current) is left as it is.
    """
    if not opnieuw and is_current(gemeente, schooljaar):
        return report_dir(gemeente, schooljaar)
    melder = Melder(stil=stil)
    with melder.stap("parameters"):
        params = load_params(gemeente, schooljaar, TEXT_SPOTS)
    from . import validation

    validation.start_import()
    # A second build of the same report stops at once; the kernel starts while the data are
    # loaded and validated, and no cell runs before they passed.
    with _lock(gemeente, params["schooljaar"]), rendering.Kernel() as kernel:
        params, tables = prepare(gemeente, schooljaar, melder, params)
        summary = validate_inputs(params, tables, melder)
        return _render_and_publish(params, tables, summary, kernel, melder, progress)


def _render_and_publish(params: dict, tables: dict, summary: dict, kernel, melder: Melder, progress: bool) -> Path:
    from . import validation
    from .report import Rapport
    from .workbook import write_workbook

    target = report_dir(params["gemeente"], params["schooljaar"])
    failed = target.with_name(f"{params['schooljaar']}.mislukt")
    staging = target.with_name(f".{params['schooljaar']}.bouw")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    try:
        validation.write_report(summary, staging)
        with melder.stap("uitvoeren"):
            preloading = rendering.preload()
            notebook = _execute(staging, failed, _notebook_parameters(params, summary), kernel, progress)
            preloading.join()
        with melder.stap("HTML"):
            html = rendering.to_html(notebook, rendering.document_metadata(params))
            (staging / "jaarverslag.html").write_text(html, encoding="utf-8")
        with melder.stap("PDF"):
            rendering.to_pdf(html, staging / "jaarverslag.pdf")
        with melder.stap("Excel"):
            write_workbook(Rapport.uit(params, tables, summary), staging / "tabellen.xlsx")
        with melder.stap("manifest"):
            manifest.write(staging, params, summary)
    except JaarverslagFout:
        raise
    except Exception as exc:
        raise BouwFout(f"Het maken van het verslag mislukte ({exc.__class__.__name__}: {exc}).") from exc
    finally:
        if staging.exists() and not (staging / "manifest.json").exists():
            shutil.rmtree(staging, ignore_errors=True)
    _publish(staging, target)
    if failed.exists():
        shutil.rmtree(failed)
    return target


def _build_one(job: tuple[str, str], opnieuw: bool) -> tuple[str, str, str | None]:
    gemeente, schooljaar = job
    try:
        build(gemeente, schooljaar, stil=True, opnieuw=opnieuw)
    except JaarverslagFout as exc:
        return gemeente, schooljaar, str(exc)
    except Exception as exc:  # one broken report must not stop the others
        return gemeente, schooljaar, f"{exc.__class__.__name__}: {exc}"
    return gemeente, schooljaar, None


def build_all(werkers: int = 1, opnieuw: bool = False) -> list[tuple[str, str, str | None]]:
    """Build every report with params, `werkers` at a time; each independent of the others."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from functools import partial

    jobs = all_reports()
    if werkers <= 1:
        return [_build_one(job, opnieuw) for job in jobs]
    # spawn, not fork: a forked child would inherit locks held by threads of this process
    with ProcessPoolExecutor(max_workers=werkers, mp_context=multiprocessing.get_context("spawn")) as pool:
        return list(pool.map(partial(_build_one, opnieuw=opnieuw), jobs))
