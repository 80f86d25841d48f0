"""Hostile params files and names, through the CLI: a Dutch message, no traceback, no path outside."""

from __future__ import annotations

import re
import time

import pytest
import yaml

from jaarverslag import cli, paths
from jaarverslag.invoer.params import check_names

PARAMS = "params/deventer/2022-2023.yaml"
BASE = (
    "gemeente: deventer\ngemeentenaam: Deventer\nschooljaar: 2022-2023\n"
    "titel: Jaarverslag\nauteur: Gemeente\naantal_jaren: 5\n"
)
ALIAS_BOMB = (
    'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
    + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n"
        for i in range(9)
    )
    + "titel: *j\n"
)


def _validate(capsys, text: str) -> str:
    (paths.ROOT / PARAMS).write_text(text, encoding="utf-8")
    assert cli.main(["validate", "deventer", "2022-2023"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.startswith("Fout: ")
    return err


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("datum: 2024-13-01\n", "'datum' heeft de verkeerde vorm (2024-13-01)"),
        ("datum: 2024-02-30\n", "'datum' heeft de verkeerde vorm (2024-02-30)"),
        ("datum: 2024-07-01 10:00\n", "'datum' heeft de verkeerde vorm (2024-07-01 10:00)"),
        ("datum: 2024-07-01T10:00:00\n", "'datum' heeft de verkeerde vorm (2024-07-01T10:00:00)"),
        ("datum: 20240701\n", "'datum' heeft de verkeerde vorm (20240701)"),
        ("datum: 2024-07-01\nmarge_landelijk: .nan\n", "'marge_landelijk' heeft de verkeerde vorm (nan)"),
        ("datum: 2024-07-01\nmarge_landelijk: .inf\n", "'marge_landelijk' heeft de verkeerde vorm (inf)"),
        ("datum: 2024-07-01\nmarge_landelijk: -1\n", "'marge_landelijk' moet tussen 0 en 5"),
        ("datum: 2024-07-01\naantal_jaren: 99999999999999999999\n", "'aantal_jaren' moet tussen 1 en 15"),
        ("datum: 2024-07-01\nteksten: {inleiding: [1, 2]}\n", "moet tekst (Markdown) zijn"),
        ("datum: [2024, 7, 1]\n", "'datum' heeft de verkeerde vorm (een lijst van 3 waarden)"),
        ("datum: 2024-07-01\nteksten:\n  inleiding: Leerling 1234 56 782 verzuimde.\n", "een burgerservicenummer"),
        (
            "datum: 2024-07-01\nteksten:\n  inleiding: Pieter de Vries (12-03-2010) kreeg een pv.\n",
            "'teksten.inleiding' bevat een datum naast een naam",
        ),
        ("datum: 2024-07-01\nauteur: Geboren op 3 mei 2011\n", "'auteur' bevat een geboortedatum"),
        ("datum: 2024-07-01\ntitel: " + "x" * 300 + "\n", "'titel' is te lang"),
    ],
)
def test_bad_params_values_are_refused_before_anything_runs(project, capsys, extra, expected):
    err = _validate(capsys, _params(extra))
    assert PARAMS in err and expected in err


def _params(extra: str) -> str:
    """The base params with the keys of `extra` replaced by its lines."""
    keys = {line.split(":")[0] for line in extra.splitlines() if line and not line.startswith(" ")}
    kept = [line for line in BASE.splitlines(keepends=True) if line.split(":")[0] not in keys]
    return "".join(kept) + extra


def test_an_alias_bomb_is_refused_at_once_with_a_short_message(project, capsys):
    start = time.monotonic()
    err = _validate(capsys, BASE + "datum: 2024-07-01\n" + ALIAS_BOMB)
    assert time.monotonic() - start < 5
    assert "verwijzingen (*alias) zijn in een parameterbestand niet toegestaan" in err
    assert PARAMS in err and len(err) < 500


def test_a_huge_params_file_is_refused_unread(project, capsys):
    err = _validate(capsys, BASE + "datum: 2024-07-01\n# " + "x" * 300_000 + "\n")
    assert "groter dan 256 kB" in err


def test_a_params_file_in_another_encoding(project, capsys):
    (paths.ROOT / PARAMS).write_bytes((BASE + "datum: 2024-07-01\n").encode("utf-16"))
    assert cli.main(["validate", "deventer", "2022-2023"]) == 1
    err = capsys.readouterr().err
    assert "het bestand is geen UTF-8-tekst" in err and "Traceback" not in err


@pytest.mark.e2e
@pytest.mark.parametrize(
    "gemeente", ["../deventer", "..", "Deventer", "a/b", "/etc", "deventer ", "deventer\n", "x-", "a--b", "é", "x" * 61]
)
def test_gemeente_names_that_could_leave_their_folder_are_refused(project, capsys, gemeente):
    for command in (["validate", gemeente, "2022-2023"], ["build", gemeente, "2022-2023"], ["verify", gemeente]):
        assert cli.main(command) == 1
        err = capsys.readouterr().err
        assert "is geen geldige gemeentenaam voor een map" in err and "Traceback" not in err
    assert cli.main(["nieuw-schooljaar", gemeente, "2023-2024"]) == 1
    assert "is geen geldige gemeentenaam" in capsys.readouterr().err
    assert sorted(p.name for p in paths.REPORTS.iterdir()) == []
    assert sorted(p.name for p in paths.PARAMS.iterdir()) == ["deventer"]


@pytest.mark.e2e
@pytest.mark.parametrize("schooljaar", ["../2022-2023", "2022-2024", "2022", "2022-2023/..", "x" * 500])
def test_school_years_must_be_jjjj_jjjj(project, capsys, schooljaar):
    assert cli.main(["build", "deventer", schooljaar]) == 1
    err = capsys.readouterr().err
    assert "Schooljaar" in err and ("JJJJ-JJJJ" in err or "geen schooljaar" in err) and "Traceback" not in err
    assert len(err) < 300


def test_names_are_normalised():
    assert check_names("sudwest-fryslan", "2022/23") == ("sudwest-fryslan", "2022-2023")


def test_duplicate_keys_are_refused(project, capsys):
    err = _validate(capsys, BASE + "datum: 2024-06-01\ndatum: 2031-01-01\n")
    assert "regel 8: de sleutel 'datum' staat er twee keer in" in err and PARAMS in err


@pytest.mark.parametrize("datum", ["0001-01-01", "9999-12-31", "2021-07-31", "2029-08-01"])
def test_the_date_must_fit_the_school_year(project, capsys, datum):
    err = _validate(capsys, BASE + f"datum: {datum}\n")
    assert f"'datum' ({datum}) past niet bij schooljaar 2022-2023" in err


def test_a_school_year_written_2022_23_is_normalised_everywhere(project):
    from jaarverslag.invoer.params import load_params

    (paths.ROOT / PARAMS).write_text(BASE.replace("2022-2023", "2022/23") + "datum: 2024-06-01\n", encoding="utf-8")
    params = load_params("deventer", "2022-2023")
    assert params["schooljaar"] == "2022-2023"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"tabel": "thuiszitters", "kolom": "aantal"}, "onbekende tabel 'thuiszitters'"),
        (
            {"tabel": "jongeren_vsv", "kolom": "vsv", "landelijk": "vsv_nl"},
            "tabel jongeren_vsv heeft geen kolom 'vsv_nl' (landelijk)",
        ),
        ({"tabel": "jongeren_vsv"}, "schrijf elk kerncijfer als {tabel: ..., kolom: ...}"),
        (
            {"tabel": "leerplichtigen", "kolom": "leerplichtigen", "label": "Nog eens"},
            "dit kerncijfer staat er al als nummer 1; noem elk cijfer één keer",
        ),
    ],
)
def test_a_kerncijfer_that_names_nothing_is_refused_with_its_number(project, entry, message):
    from jaarverslag.errors import ParameterFout
    from jaarverslag.invoer.params import load_params

    path = project / "params" / "deventer" / "2022-2023.yaml"
    data = yaml.safe_load(path.read_text())
    data["kerncijfers"] = [{"tabel": "leerplichtigen", "kolom": "leerplichtigen"}, entry]
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(ParameterFout, match=re.escape(f"kerncijfers, nummer 2: {message}")):
        load_params("deventer", "2022-2023")


def test_a_params_file_with_three_problems_gets_all_three_in_one_message(project, capsys):
    err = _validate(capsys, BASE.replace("aantal_jaren: 5", "aantal_jaren: 99") + "datum: gisteren\nkleur: rood\n")
    assert f"{PARAMS}: 3 problemen (verbeter ze alle):" in err
    assert "1. onbekende sleutel(s) kleur." in err
    assert "2. 'datum' heeft de verkeerde vorm (gisteren); verwacht datum van het verslag, JJJJ-MM-DD" in err
    assert "3. 'aantal_jaren' moet tussen 1 en 15 liggen." in err


def test_a_line_left_to_be_filled_in_is_refused_wherever_it_is(project, capsys):
    err = _validate(
        capsys,
        BASE.replace("auteur: Gemeente\n", "auteur: 'VUL IN: de afdeling'\n")
        + "datum: 2024-06-01\nraadsmededeling:\n  kern: VUL IN later\n",
    )
    assert "'auteur' is nog niet ingevuld: er staat 'VUL IN'. Schrijf je eigen tekst in de plaats" in err
    assert "'raadsmededeling.kern' is nog niet ingevuld" in err


def test_a_wrong_value_is_shown_as_yaml_writes_it_and_list_items_count_from_one(project, capsys):
    err = _validate(
        capsys,
        BASE.replace("aantal_jaren: 5", "aantal_jaren: true")
        + "datum: 2024-06-01\nraadsmededeling:\n  besluit: [true, ok]\n",
    )
    assert "'aantal_jaren' heeft de verkeerde vorm (ja (true)); verwacht aantal schooljaren" in err
    assert "'raadsmededeling.besluit.1' heeft de verkeerde vorm (ja (true))" in err
    assert "True" not in err and "elementen" not in err


def test_a_wrong_type_is_worded_with_the_keys_description_and_default(project, capsys):
    err = _validate(capsys, _params("datum: 2024-07-01\naantal_jaren: vijf\n"))
    assert "'aantal_jaren' heeft de verkeerde vorm (vijf); verwacht aantal schooljaren in elke tabel, " in err
    assert "(standaard 5)." in err and "problemen" not in err


def test_each_params_default_is_declared_once_in_the_model():
    from jaarverslag.invoer.paramsmodel import standaard

    assert [standaard(k) for k in ("aantal_jaren", "marge_landelijk", "kleine_aantallen", "regio_afwijking")] == [
        5,
        0.1,
        0,
        25,
    ]
    sources = "\n".join(p.read_text() for p in (paths.ROOT / "src").rglob("*.py") if p.name != "paramsmodel.py")
    for key in ("aantal_jaren", "kleine_aantallen", "regio_afwijking", "ontbrekende_gegevens", "marge_landelijk"):
        assert not re.search(rf"""\.get\(["']{key}["'], """, sources), f"a second default for {key}"


def test_the_readme_explains_every_params_key_in_the_models_words():
    from jaarverslag.invoer.paramsmodel import Params
    from jaarverslag.invoer.vertaling import beschrijving

    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    for key, field in Params.model_fields.items():
        row = f"| `{key}` | {'ja' if field.is_required() else 'nee'} | {beschrijving(Params, key)} |"
        assert row in readme, f"README, 'Alle parameters': {row}"


def test_every_shipped_yaml_file_reads_the_same_with_libyaml_as_with_the_pure_python_reader():
    """The fast reader (libyaml, eight times faster) gives the strict reader's values for every
    YAML file the project ships, and its refusals keep the strict reader's clearer words."""
    from jaarverslag.invoer.yamlbestand import StrikteLoader, _LibyamlLoader, laad, yamlfout

    assert issubclass(_LibyamlLoader, yaml.cyaml.CParser), "PyYAML zonder libyaml: elke build leest zijn YAML 8x trager"
    files = [p for p in paths.ROOT.glob("**/*.yaml") if ".venv" not in p.parts and "reports" not in p.parts]
    assert len(files) > 10
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert laad(text) == yaml.load(text, Loader=StrikteLoader), path  # noqa: S506 - a SafeLoader
    with pytest.raises(yaml.YAMLError) as refused:
        laad("a:\n  - x\n - y\n")
    assert yamlfout(refused.value) == "dit is geen geldige YAML (regel 3, kolom 2): de inspringing klopt niet."
    for text in ("a:\t1\n", "a: [1,\t2]\n", "a: 1\t# c\n", "%YAML 1.3\n---\na: 1\n", 'a: "\\ud800"\n', "a: 'x *y'\n"):
        assert _gelezen(laad, text) == _gelezen(lambda t: yaml.load(t, Loader=StrikteLoader), text), text  # noqa: S506


def _gelezen(read, text: str) -> str:
    """What a reader makes of a text: its value, or its error's kind and words."""
    try:
        return repr(read(text))
    except Exception as exc:  # noqa: BLE001 - the point is to compare any outcome
        return f"{type(exc).__name__}: {exc}"
