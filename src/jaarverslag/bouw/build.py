"""Build one report: params -> load -> validate -> execute -> HTML -> PDF -> manifest -> publish.

A build writes into a staging folder and moves it into reports/<gemeente>/<schooljaar>/
only when every step succeeded; a failed build keeps its executed notebook in
reports/<gemeente>/<schooljaar>.mislukt/ and never touches the last good report.
"""

from __future__ import annotations

import datetime as dt
import errno
import shutil
import sys
import threading
import time
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from jaarverslag import bundel, paths
from jaarverslag.bouw import hergebruik, publish
from jaarverslag.bouw.kernel import Kernel, KernelFout, execute
from jaarverslag.errors import BouwFout, JaarverslagFout, ValidatieFout, omgevingsfout, onverwacht
from jaarverslag.invoer import huisstijl, memoteksten, redactie, uitgaven
from jaarverslag.invoer.definitie import verslag
from jaarverslag.invoer.params import all_reports, load_params_with_digest, params_path
from jaarverslag.invoer.paramsmodel import is_regio
from jaarverslag.spoor import manifest
from jaarverslag.spoor.manifest import is_current, report_dir
from jaarverslag.weergave import document, grafiekopslag, sjablooncontrole, validatie, wordsjabloon

# pandas, Great Expectations, matplotlib and friends are imported inside the steps that use
# them, so that the kernel can start before the build process spends seconds on imports.


@dataclass
class Melder:
    """Prints one line per step with its duration (to stderr), unless quiet."""

    stil: bool = False
    huidige: str = ""  # the step that runs now, for a message when it fails

    @contextmanager
    def stap(self, naam: str):
        start = time.perf_counter()
        self.huidige = naam
        yield
        if not self.stil:
            print(f"  {naam:<12} {time.perf_counter() - start:6.1f} s", file=sys.stderr, flush=True)


def source_date(datum: str):
    """SOURCE_DATE_EPOCH from the report's date, for this process and the kernel it starts.

    Tools that stamp files with the time (fontTools when it subsets the PDF's fonts,
    matplotlib's SVG metadata) take this instead of the clock, so rebuilds stay identical.
    """
    epoch = dt.datetime.combine(dt.date.fromisoformat(datum), dt.time(), dt.UTC).timestamp()
    return paths.in_omgeving("SOURCE_DATE_EPOCH", str(int(epoch)))


def prepare(
    gemeente: str, schooljaar: str, melder: Melder, loaded: tuple[dict, str] | None = None
) -> tuple[dict, dict, dict[str, str]]:
    """Params, tables and the sha256 of every file read, with every row the school year needs.

    `loaded` is (params, sha256 of the params file) when the caller has read them already.
    Raises when something is missing.
    """
    from jaarverslag.inhoud import regio  # start-up: pandas only here
    from jaarverslag.invoer.checklist import checklist, format_checklist  # start-up: pandas only here
    from jaarverslag.invoer.loading import load_tables  # start-up: pandas only here

    if loaded is None:
        with melder.stap("parameters"):
            loaded = load_params_with_digest(gemeente, schooljaar)
    params, params_sha256 = loaded
    with melder.stap("sjabloon"):  # the memo's texts and Word template, the magazine's texts, before anything runs
        memoteksten.standaardteksten()
        sjablooncontrole.controleer(wordsjabloon.sjabloon(gemeente))
        redactie.controleer(gemeente, params["schooljaar"])
        huisstijl.lees(gemeente)
    if is_regio(params):
        with melder.stap("laden"):
            tables = regio.laad(params)
        regio.meegeteld(params, tables)  # stops, naming the gemeenten, when params say so
    else:
        with melder.stap("laden"):
            tables = load_tables(gemeente)
        missing = checklist(gemeente, params["schooljaar"], tables)
        if missing:
            raise ValidatieFout(format_checklist(gemeente, params["schooljaar"], missing))
    digests = {paths.relative(params_path(gemeente, params["schooljaar"])): params_sha256, **tables.sha256}
    return params, tables, digests


def validate_inputs(
    params: dict, tables: dict, digests: dict[str, str], melder: Melder, kept: dict | None = None
) -> dict:
    """The GX validation summary, with the sha256 of the files it validated; raises on a blocking finding.
    `kept`: the summary of an earlier validation of exactly these inputs (see hergebruik.py)."""
    from jaarverslag.controle import validation  # start-up: pandas only here
    from jaarverslag.inhoud import regio  # start-up: pandas only here

    with melder.stap("valideren" if kept is None else "hergebruikt"):
        if kept is not None:
            summary = dict(kept)
        elif is_regio(params):
            summary = regio.valideer(params, tables)
        else:
            nodig = verslag(params["gemeente"]).nodig
            summary = validation.validate(tables, params["schooljaar"], params["aantal_jaren"], nodig=nodig)
    summary["invoer_sha256"] = dict(sorted(digests.items()))
    validation.raise_if_blocking(summary, params["gemeente"])
    return summary


def check_inputs(gemeente: str, schooljaar: str, melder: Melder | None = None) -> tuple[dict, dict, dict]:
    """Params, tables and validation summary; raises on anything that blocks a build."""
    melder = melder or Melder(stil=True)
    params, tables, digests = prepare(gemeente, schooljaar, melder)
    return params, tables, validate_inputs(params, tables, digests, melder)


def _notebook_parameters(params: dict, summary: dict, staging: Path | None = None) -> dict:
    """What the kernel gets: the report's identity, the validation result, the sha256 of every
    validated input, which the kernel checks when it loads them again, and the folder where the
    model it builds writes its files (see modelbestanden.py)."""
    return {
        "gemeente": params["gemeente"],
        "schooljaar": params["schooljaar"],
        "aantal_jaren": params["aantal_jaren"],
        "validatie": {
            k: summary[k] for k in ("aantal_suites", "aantal_controles", "geslaagd", "waarschuwingen", "suites")
        },
        "invoer": summary["invoer_sha256"],
        "uitvoer": paths.relative(staging) if staging else "",
    }


TIJDSLIMIET = 300  # seconds a notebook cell may run (each takes about a second)


def _execute(staging: Path, failed: Path, parameters: dict, kernel, progress: bool, tijdslimiet: int) -> Path:
    notebook = staging / bundel.NOTEBOOK
    try:
        execute(notebook, parameters, kernel, progress=progress, timeout=tijdslimiet)
    except Exception as exc:
        shutil.rmtree(failed, ignore_errors=True)
        if _disk_full(exc):  # keeping the half-run notebook would keep the disk full
            shutil.rmtree(staging, ignore_errors=True)
            raise omgevingsfout(OSError(errno.ENOSPC, "vol", str(staging)), "Het notebook uitvoeren") from exc
        if not notebook.exists():  # the kernel failed before the first cell ran
            shutil.rmtree(staging, ignore_errors=True)
            raise BouwFout(
                f"Het notebook liep vast: {_why(exc, tijdslimiet)}; het vorige verslag is niet aangeraakt."
            ) from exc
        shutil.move(str(staging), str(failed))
        raise BouwFout(
            f"Het notebook liep vast: {_why(exc, tijdslimiet)}. Het half uitgevoerde notebook staat in "
            f"{paths.relative(failed / bundel.NOTEBOOK)}; het vorige verslag is niet aangeraakt."
        ) from exc
    return notebook


def _write_controle(notebook: Path, target: Path, metadata: dict) -> None:
    target.write_text(document.to_controle_html(notebook, metadata), encoding="utf-8")


def _stop(kernel) -> None:
    """Stop the kernel once the notebook has run, to free its memory; a kernel that does not stop
    cleanly now is stopped again when the build ends, and is no reason to fail a finished run."""
    with suppress(Exception):
        kernel.stop()


def _beside(work, *args):
    """Start work(*args) in a process of its own and return a function that waits for it (raising
    when it failed), or with stoppen=True stops it. Both halves are CPU-bound Python. The process
    is a fresh interpreter (spawn), not a fork: it imports only what `work` needs, where a fork
    would carry the build's pandas and WeasyPrint along and count them twice in the tree's memory."""
    import multiprocessing  # start-up: only when the report is rendered

    child = multiprocessing.get_context("spawn").Process(target=work, args=args, daemon=True)
    child.start()

    def wait(stoppen: bool = False) -> None:
        if stoppen:
            child.terminate()
        child.join()
        if child.exitcode != 0 and not stoppen:
            raise BouwFout(f"Het maken van {paths.relative(args[1])} mislukte; het vorige verslag is niet aangeraakt.")

    return wait


def _disk_full(exc: BaseException) -> bool:
    """A full disk, whether the build saw it (OSError) or the kernel did (its error text)."""
    if isinstance(exc, OSError):
        return exc.errno in (errno.ENOSPC, errno.EDQUOT)
    return "No space left on device" in f"{getattr(exc, 'evalue', '')} {exc}"


def _why(exc: Exception, tijdslimiet: int) -> str:
    """What went wrong in the kernel, in Dutch, without a traceback."""
    kind = exc.__class__.__name__
    if kind == "DeadKernelError":
        return (
            "de kernel (het Python-proces dat het notebook uitvoert) is onverwacht gestopt, "
            "bijvoorbeeld door geheugengebrek"
        )
    if isinstance(exc, KernelFout):
        return str(exc)
    if getattr(exc, "ename", "") in ("InvoerFout", "ParameterFout"):  # raised by the package in the kernel
        return "\n" + exc.evalue[:2000].rstrip(".")
    if kind == "CellTimeoutError":
        return f"een cel was na {tijdslimiet} seconden nog niet klaar (tijdslimiet, in te stellen met --tijdslimiet)"
    cell = f" {exc.exec_count}" if getattr(exc, "exec_count", None) else ""
    return (
        f"cel{cell} van het notebook stopte door een fout in het programma (niet in de invoer); "
        "de volledige melding staat in die cel"
    )


def build(
    gemeente: str,
    schooljaar: str,
    progress: bool = False,
    stil: bool = False,
    opnieuw: bool = True,
    tijdslimiet: int = TIJDSLIMIET,
) -> Path:
    """Build one report and return its folder. Raises a JaarverslagFout with a Dutch message.

    With opnieuw=False an up-to-date report (see is_current) is left as it is.
    """
    if not opnieuw and is_current(gemeente, schooljaar):
        return report_dir(gemeente, schooljaar)
    melder = Melder(stil=stil)
    with melder.stap("parameters"):
        loaded = load_params_with_digest(gemeente, schooljaar)
    params = loaded[0]
    target = report_dir(params["gemeente"], params["schooljaar"])
    try:
        return _build_locked(loaded, target, melder, progress, tijdslimiet)
    except OSError as exc:
        raise omgevingsfout(exc, f"Het verslag {params['gemeente']} {params['schooljaar']} maken") from exc


def _import_validation() -> None:
    """Import pandas and Great Expectations, in a thread of its own: they take seconds, and the kernel
    starts meanwhile (importing the validation module here first held its start back by 0,35 s)."""
    from jaarverslag.controle import validation  # start-up: pandas and GX only here

    validation.importeer()


def _build_locked(loaded: tuple[dict, str], target: Path, melder: Melder, progress: bool, tijdslimiet: int) -> Path:
    params = loaded[0]
    key = hergebruik.sleutel(params)
    kept = hergebruik.lees(key)
    if kept is None:
        threading.Thread(target=_import_validation, daemon=True).start()
    # A second build of the same report stops at once; the kernel starts while the data are
    # loaded and validated, and no cell runs before they passed.
    with publish.lock(target, f"{params['gemeente']} {params['schooljaar']}"):
        publish.recover(target)
        wrong_date = uitgaven.controleer_datum(target, params["datum"])
        if wrong_date:
            raise BouwFout(f"{paths.relative(params_path(params['gemeente'], params['schooljaar']))}: {wrong_date}")
        charts, started = grafiekopslag.map_van(params["gemeente"], params["schooljaar"]), time.time()
        ahead = (params["gemeente"], params["schooljaar"]) if kept is None else None  # charts drawn while it validates
        before = grafiekopslag.inhoud(charts)
        try:
            with source_date(params["datum"]), grafiekopslag.bewaard(charts), Kernel(vooruit=ahead) as kernel:
                params, tables, digests = prepare(params["gemeente"], params["schooljaar"], melder, loaded)
                summary = validate_inputs(params, tables, digests, melder, kept)
                if hergebruik.sleutel(params) == key:  # nothing changed while it validated
                    hergebruik.bewaar(key, summary)
                folder = _render_and_publish(params, summary, kernel, melder, progress, tijdslimiet, kept is not None)
        except BaseException:
            grafiekopslag.vergeten(charts, before)  # charts of data that did not pass, or of a report that did not come
            raise
        grafiekopslag.opruimen(charts, sinds=started - 1)  # only the charts of the report as it now stands
        return folder


def _render_and_publish(
    params: dict,
    summary: dict,
    kernel,
    melder: Melder,
    progress: bool,
    tijdslimiet: int,
    hergebruikt: bool = False,
) -> Path:
    from jaarverslag.bouw import lekcontrole, modelbestanden  # start-up: pandas only here

    target = report_dir(params["gemeente"], params["schooljaar"])
    failed = target.with_name(f"{params['schooljaar']}.mislukt")
    staging = publish.staging_dir(target)
    if staging.exists():
        publish.remove_tree(staging)
    bundel.accountant_map(staging).mkdir(parents=True)
    try:
        validatie.schrijf(summary, bundel.accountant_map(staging))
        with melder.stap("uitvoeren"):
            preloading = document.preload()
            try:
                notebook = _execute(
                    staging, failed, _notebook_parameters(params, summary, staging), kernel, progress, tijdslimiet
                )
            finally:  # also when stopped: a library cut off mid-import leaves its temp files (ctypes' find_library)
                preloading.join()
            _stop(kernel)
        with melder.stap("HTML"):
            html = document.to_html(notebook, document.document_metadata(params))
            (staging / "jaarverslag.html").write_text(html, encoding="utf-8")
        with melder.stap("PDF"):  # and controle.html beside it, in a process of its own
            controle = _beside(_write_controle, notebook, staging / bundel.CONTROLE, document.document_metadata(params))
            try:
                document.to_pdf(html, staging / "jaarverslag.pdf")
            except BaseException:
                controle(stoppen=True)  # not left writing into a staging folder that is removed
                raise
            controle()
        if params.get("kleine_aantallen"):  # nothing hidden may show in a file that may be published
            with melder.stap("lekcontrole"):
                lekcontrole.controleer(staging, lekcontrole.verborgen_in(staging / bundel.HERKOMST))
        with melder.stap("manifest"):
            edition = uitgaven.bewaar(target, staging, params["datum"])  # earlier editions, byte for byte
            extra = {"uitgave": edition, "validatie_hergebruikt": hergebruikt, **modelbestanden.voor_manifest(staging)}
            manifest.write(staging, params, summary, summary["invoer_sha256"], extra)
    except (JaarverslagFout, OSError):
        raise
    except Exception as exc:
        raise BouwFout(
            onverwacht(
                f"Het maken van het verslag mislukte in de stap '{melder.huidige}'",
                " Het vorige verslag is niet aangeraakt.",
            )
        ) from exc
    finally:
        if staging.exists() and not (staging / bundel.MANIFEST).exists():
            shutil.rmtree(staging, ignore_errors=True)
    try:
        leftover = publish.publish(staging, target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise omgevingsfout(
            exc,
            f"Het nieuwe verslag op zijn plek zetten ({paths.relative(target)})",
            " " + publish.waarom_de_map(target),
        ) from exc
    shutil.rmtree(failed, ignore_errors=True)
    if leftover:
        print(f"Let op: {leftover}", file=sys.stderr)
    return target


def _build_one(job: tuple[str, str], opnieuw: bool) -> tuple[str, str, str | None]:
    gemeente, schooljaar = job
    try:
        build(gemeente, schooljaar, stil=True, opnieuw=opnieuw)
    except JaarverslagFout as exc:
        return gemeente, schooljaar, str(exc)
    except Exception:  # one broken report must not stop the others
        return gemeente, schooljaar, onverwacht(f"Het verslag {gemeente} {schooljaar} maken mislukte")
    return gemeente, schooljaar, None


def build_all(werkers: int = 1, opnieuw: bool = False) -> list[tuple[str, str, str | None]]:
    """Build every report with params, `werkers` at a time; each independent of the others."""
    import multiprocessing  # start-up: only for a batch build
    from concurrent.futures import ProcessPoolExecutor  # start-up: only for a batch build
    from functools import partial  # start-up: only for a batch build

    jobs = all_reports()
    if werkers <= 1:
        return [_build_one(job, opnieuw) for job in jobs]
    # spawn, not fork: a forked child would inherit locks held by threads of this process
    with ProcessPoolExecutor(max_workers=werkers, mp_context=multiprocessing.get_context("spawn")) as pool:
        return list(pool.map(partial(_build_one, opnieuw=opnieuw), jobs))
