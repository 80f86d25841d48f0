"""The package's shape: a subpackage per pipeline stage, no import cycles, small modules, and an
import inside a function only where a comment says it keeps start-up fast."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "jaarverslag"
STAGES = ("invoer", "controle", "inhoud", "weergave", "spoor", "bouw", "nieuwjaar")
MAX_MODULE_LINES, MAX_CLASS_LINES = 400, 300


def _name(path: Path, package: Path = PACKAGE) -> str:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(tree: ast.Module):
    """Every import statement, those under `if TYPE_CHECKING:` (annotations only) included."""
    return [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Module -> the package's modules it imports (at the top, inside a function, or for type hints)."""
    modules = {_name(p, package): p for p in package.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        targets = set()
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                targets |= {
                    f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else node.module
                    for a in node.names
                }
            elif isinstance(node, ast.Import):
                targets |= {a.name for a in node.names}
        graph[name] = {t for t in targets if t in modules and t != name and not name.startswith(t + ".")}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import cycles: strongly connected groups of more than one module (Tarjan)."""
    index, low, stack, found, counter = {}, {}, [], [], [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while not group or group[-1] != v:
                group.append(stack.pop())
            if len(group) > 1:
                found.append(sorted(group))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles():
    assert cycles(import_graph()) == []


STAGE_LINE = re.compile(r"^(\d)\. (\w+):", re.M)
BENEATH = ("paths", "errors", "formatting", "interrupt", "bundel", "systeem")


def stage_ranks(package: Path = PACKAGE) -> dict[str, int]:
    """The stage order written in the package's docstring: stage -> its number (0 beneath, 9 cli)."""
    doc = ast.get_docstring(ast.parse((package / "__init__.py").read_text(encoding="utf-8"))) or ""
    return (
        {name: int(n) for n, name in STAGE_LINE.findall(doc)}
        | dict.fromkeys(BENEATH, 0)
        | {"opdrachtregel": 8, "cli": 9}
    )


def upward_imports(package: Path = PACKAGE) -> list[str]:
    """Imports from a stage to one of the same or a higher number (module -> module)."""
    ranks = stage_ranks(package)
    stage = lambda module: module.split(".")[1]  # noqa: E731
    return sorted(
        f"{a} -> {b}"
        for a, targets in import_graph(package).items()
        for b in targets
        if stage(a) != stage(b) and ranks[stage(a)] and ranks[stage(b)] >= ranks[stage(a)]
    )


def test_the_stages_are_written_down_and_import_only_the_stages_below():
    ranks = stage_ranks()
    assert set(STAGES) <= set(ranks), "every stage is in the list of src/jaarverslag/__init__.py"
    assert [ranks[s] for s in ("invoer", "controle", "inhoud", "spoor", "weergave", "bouw")] == [1, 2, 3, 4, 5, 6]
    assert upward_imports() == []


def test_the_stage_check_can_fail(tmp_path):
    package = tmp_path / "jaarverslag"
    for stage in ("laag", "hoog"):
        (package / stage).mkdir(parents=True)
        (package / stage / "__init__.py").write_text("")
    (package / "__init__.py").write_text('"""Stages.\n\n1. laag: below\n2. hoog: above\n"""\n')
    (package / "hoog" / "boven.py").write_text("X = 1\n")
    (package / "laag" / "onder.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from jaarverslag.hoog.boven import X\n"
    )
    assert upward_imports(package) == ["jaarverslag.laag.onder -> jaarverslag.hoog.boven"]


def test_the_cycle_check_can_fail(tmp_path):
    package = tmp_path / "jaarverslag"
    (package / "a").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "a" / "__init__.py").write_text("")
    (package / "a" / "een.py").write_text("def f():\n    from jaarverslag.a import twee\n")
    (package / "a" / "twee.py").write_text("from jaarverslag.a.een import f\n")
    assert cycles(import_graph(package)) == [["jaarverslag.a.een", "jaarverslag.a.twee"]]


def test_a_subpackage_per_stage_and_nothing_else_at_the_top():
    assert sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__") == sorted(STAGES)
    top = sorted(p.stem for p in PACKAGE.glob("*.py"))
    assert top == [
        "__init__",
        "bundel",
        "cli",
        "errors",
        "formatting",
        "interrupt",
        "opdrachtregel",
        "paths",
        "systeem",
    ]


# Modules still too big, to be split by reason to change: the list may only shrink (it is empty now).
NOG_TE_GROOT: set[str] = set()


def _too_big(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    found = [f"{len(text.splitlines())} regels"] if len(text.splitlines()) > MAX_MODULE_LINES else []
    return found + [
        f"klasse {node.name}"
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.ClassDef) and node.end_lineno - node.lineno + 1 > MAX_CLASS_LINES
    ]


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: _name(p))
def test_modules_and_classes_stay_small(path):
    if _name(path) in NOG_TE_GROOT:
        assert _too_big(path), f"{_name(path)} is klein genoeg: haal het uit NOG_TE_GROOT"
    else:
        assert _too_big(path) == []


@pytest.mark.e2e
def test_every_source_file_is_an_input_of_the_report_for_make_and_the_manifest():
    import subprocess

    from jaarverslag import paths
    from jaarverslag.spoor.manifest import input_paths

    sources = {p.relative_to(paths.ROOT).as_posix() for p in PACKAGE.rglob("*.py")}
    assert "src/jaarverslag/inhoud/report.py" in sources
    inputs = {paths.relative(p) for p in input_paths("deventer", "2022-2023")}
    assert sources <= inputs, sources - inputs
    shown = subprocess.run(
        ["make", "--no-print-directory", "-s", "--eval=toon-code: ; @echo $(REPORT_INPUTS)", "toon-code"],
        cwd=paths.ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert sources <= set(shown), sources - set(shown)


TESTS = PACKAGE.parents[1] / "tests"
BUILDS = re.compile(r'\bbuild\(|\["build"|"build",|execute_notebook|build_all\(|\bKernel\(\)|\[\s*"make"')
BUILD_FIXTURES = {"built_report", "built_project", "heidedorp", "region", "protected"}


def test_every_test_that_builds_is_marked_e2e():
    """So that `pytest -m "not e2e"` stays a quick run of the unit tests."""
    unmarked = []
    for path in sorted(TESTS.glob("test_*.py")):
        source = path.read_text(encoding="utf-8")
        if "pytestmark = pytest.mark.e2e" in source:
            continue
        lines = source.splitlines()
        for node in ast.parse(source).body:
            if not (isinstance(node, ast.FunctionDef) and node.name.startswith("test_")):
                continue
            text = "\n".join(lines[node.lineno - 1 : node.end_lineno])
            builds = BUILDS.search(text) or {a.arg for a in node.args.args} & BUILD_FIXTURES
            if builds and not any("e2e" in ast.unparse(d) for d in node.decorator_list):
                unmarked.append(f"{path.name}::{node.name}")
    assert unmarked == []


def function_imports(package: Path = PACKAGE) -> list[tuple[str, int, str]]:
    """(file, line, source line) of every import inside a function."""
    found = []
    for path in sorted(package.rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        tree = ast.parse("\n".join(lines))
        for function in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)):
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    found.append((path.relative_to(package).as_posix(), node.lineno, lines[node.lineno - 1]))
    return sorted(set(found))


def test_an_import_inside_a_function_says_it_keeps_start_up_fast():
    """Such an import keeps a library (pandas, GX, openpyxl, Jupyter, ...) out of `cli`, a no-op
    build or a command that does not need it; the comment on its line says which."""
    found = function_imports()
    assert found, "the test must see the imports it checks"
    bare = [f"{file}:{line}: {text.strip()}" for file, line, text in found if "start-up" not in text]
    assert bare == []


def test_the_start_up_check_sees_a_bare_import_inside_a_function(tmp_path):
    package = tmp_path / "pakket"
    package.mkdir()
    (package / "a.py").write_text("def f():\n    import json  # start-up: x\n    import csv\n    return json, csv\n")
    assert [line for _, line, text in function_imports(package) if "start-up" not in text] == [3]


HTML_TAG = re.compile(
    r"(?<!\?P)<(div|p|table|thead|tbody|tfoot|tr|td|th|figure|img|span|ul|ol|li|h[1-6]|section|nav|a)[ >]"
)


def html_in_python(package: Path = PACKAGE) -> list[str]:
    """String constants in the package's code that hold an HTML tag: markup belongs in templates/."""
    return [
        f"{path.relative_to(package)}:{node.lineno}"
        for path in sorted(package.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and HTML_TAG.search(node.value)
        and not (isinstance(getattr(node, "parent", None), ast.Expr))
    ]


def test_no_html_tags_in_python():
    docstrings = {
        f"{p.relative_to(PACKAGE)}:{n.body[0].lineno}"
        for p in PACKAGE.rglob("*.py")
        for n in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
        if isinstance(n, ast.Module | ast.FunctionDef | ast.ClassDef)
        and n.body
        and isinstance(n.body[0], ast.Expr)
        and isinstance(getattr(n.body[0], "value", None), ast.Constant)
    }
    assert [hit for hit in html_in_python() if hit not in docstrings] == []


def test_the_html_check_can_fail(tmp_path):
    package = tmp_path / "jaarverslag"
    package.mkdir()
    (package / "weergave.py").write_text("def f(x):\n    return f'<div class=\"x\">{x}</div>'\n")
    assert html_in_python(package) == ["weergave.py:2"]


MODEL_BUILDERS = {"jaarverslag.weergave.verslag", "jaarverslag.bouw.voorbeeld"}  # the notebook; the preview's run of it


def model_constructions(package: Path = PACKAGE) -> dict[str, list[int]]:
    """Module -> lines that build the report model (Rapport.laad, Rapport.uit or Rapport(...)),
    outside the model's own module."""
    found = {}
    for path in package.rglob("*.py"):
        name = _name(path, package)
        if name.endswith("inhoud.report"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _is_model_call(node.func):
                found.setdefault(name, []).append(node.lineno)
    return found


def _is_model_call(func: ast.expr) -> bool:
    """Rapport(...), report.Rapport(...), Rapport.uit(...) or report.Rapport.laad(...)."""
    if isinstance(func, ast.Name):
        return func.id == "Rapport"
    if not isinstance(func, ast.Attribute):
        return False
    owner = func.value
    named = (isinstance(owner, ast.Name) and owner.id == "Rapport") or (
        isinstance(owner, ast.Attribute) and owner.attr == "Rapport"
    )
    return func.attr == "Rapport" or named


def test_only_the_notebooks_cells_build_the_report_model():
    """The build computes no figure: herkomst, Excel, the memo and the revisions come from the model
    the kernel built (bouw/modelbestanden.py); the live preview runs the same cells in its own process."""
    assert set(model_constructions()) <= MODEL_BUILDERS, model_constructions()


def test_the_model_construction_check_can_fail(tmp_path):
    package = tmp_path / "jaarverslag"
    (package / "bouw").mkdir(parents=True)
    (package / "bouw" / "build.py").write_text("def f(p, t):\n    return Rapport.uit(p, t)\n")
    (package / "bouw" / "ander.py").write_text("x = rapport.uit(1)\n")
    (package / "bouw" / "derde.py").write_text(
        "from jaarverslag.inhoud import report\n\ny = report.Rapport.laad('a', 'b')\n"
    )
    assert model_constructions(package) == {"jaarverslag.bouw.build": [2], "jaarverslag.bouw.derde": [3]}
