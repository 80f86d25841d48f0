"""The check frames for rules within and across tables: jumps between years, sums of parts,
vsv per kind of school against the total, the vsv percentage against its counts."""

from __future__ import annotations

import pandas as pd

from jaarverslag import paths
from jaarverslag.controle.suites import load_suite_json
from jaarverslag.invoer.schema import Table, schema


def _sum_of(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    return frame[columns].sum(axis=1, min_count=len(columns)).where(frame[columns].notna().all(axis=1))


JUMP_TYPES = {
    "schooljaar": "string",
    "tabel": "string",
    "kolom": "string",
    "vorige_waarde": "Float64",
    "waarde": "Float64",
    "grens_procent": "Float64",
    "verandering_procent": "Float64",
}


def _jumps_in(frame: pd.DataFrame, table: Table, column: str, limit: float) -> pd.DataFrame:
    """The change of `column` from each school year to the next (per category), in percent."""
    categories = [c for c in table.key if c != "schooljaar"]
    data = frame.sort_values([*categories, "schooljaar"]).reset_index(drop=True)
    before = data.shift()
    start = pd.to_numeric(data["schooljaar"].str[:4], errors="coerce")
    follows = (start == pd.to_numeric(before["schooljaar"].str[:4], errors="coerce") + 1).fillna(False)
    same = (data[categories] == before[categories]).fillna(False).all(axis=1)
    previous, now = before[column].astype("Float64"), data[column].astype("Float64")
    label = data[categories].astype(str).agg(", ".join, axis=1).radd(f"{column} (").add(")") if categories else column
    jumps = pd.DataFrame(
        {
            "schooljaar": data["schooljaar"],
            "tabel": table.name,
            "kolom": label,
            "vorige_waarde": previous,
            "waarde": now,
            "grens_procent": limit * 100,
            "verandering_procent": ((now - previous).abs() / previous.where(previous > 0) * 100).round(1),
        }
    )
    return jumps[follows & same].astype(JUMP_TYPES)


def _jumps(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every count with `max_sprong` in the schema, against the school year before."""
    parts = [
        _jumps_in(tables[table.name], table, column, spec["max_sprong"])
        for table in schema().values()
        if table.name in tables
        for column, spec in table.columns.items()
        if "max_sprong" in spec
    ]
    empty = pd.DataFrame({c: pd.Series(dtype=t) for c, t in JUMP_TYPES.items()})
    return pd.concat(parts, ignore_index=True) if parts else empty


def sommen() -> dict[str, tuple[str, tuple[str, ...]]]:
    """The sums in the check frames: column -> (table, the columns summed over a school year's rows).

    The sums over a table's categories are here; a sum of columns is a cross-table suite's
    `meta.som` ({kolom, delen}), so that a gemeente's own table needs no Python for it."""
    return {
        "vsv_som_onderwijssoorten": ("vsv_onderwijssoort", ("vsv",)),
        "vsv_som_mbo_niveaus": ("vsv_mbo_niveau", ("vsv",)),
        **{som["kolom"]: (tabel, tuple(som["delen"])) for _, (tabel,), som in _column_sums()},
    }


def _column_sums() -> list[tuple[str, tuple[str], dict]]:
    """(suite, its table, its meta.som) for every cross-table suite that checks a sum of columns."""
    suites = (load_suite_json(p.stem) for p in sorted(paths.EXPECTATIONS.glob("kruis_*.json")))
    return [(s["name"], tuple(s["meta"]["tabellen"]), s["meta"]["som"]) for s in suites if "som" in s.get("meta", {})]


def _vsv_per_soort(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    per_soort = tables["vsv_onderwijssoort"].pivot(index="schooljaar", columns="onderwijssoort", values="vsv")
    soorten = [s for s in ("vo", "mbo", "vavo") if s in per_soort]
    vsv_parts = pd.DataFrame(
        {"schooljaar": per_soort.index, "vsv_som_onderwijssoorten": _sum_of(per_soort, soorten).values}
    )
    return tables["jongeren_vsv"][["schooljaar", "vsv"]].merge(vsv_parts, on="schooljaar", how="inner")


def _mbo_niveaus(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    niveaus = tables["vsv_mbo_niveau"].groupby("schooljaar", as_index=False)["vsv"].sum(min_count=1)
    mbo = tables["vsv_onderwijssoort"].query("onderwijssoort == 'mbo'")[["schooljaar", "vsv"]]
    return mbo.rename(columns={"vsv": "vsv_mbo"}).merge(
        niveaus.rename(columns={"vsv": "vsv_som_mbo_niveaus"}), on="schooljaar", how="inner"
    )


def _with_sum(column: str):
    """A table with the sum of its parts added as `column` (see sommen)."""

    def frame(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
        table, parts = sommen()[column]
        return tables[table].assign(**{column: _sum_of(tables[table], list(parts))})

    return frame


def _percentage_vsv(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    jongeren = tables["jongeren_vsv"]
    exact = jongeren["vsv"].astype("Float64") / jongeren["jongeren"].astype("Float64") * 100
    return jongeren.assign(
        percentage_berekend=exact.round(4),
        afwijking=(jongeren["percentage_vsv"] - exact).abs().round(4),
    )


CHECK_FRAMES = {  # cross-table suite -> (the tables it needs, the frame it checks); sums of columns: sommen()
    "kruis_vsv_onderwijssoorten": (("jongeren_vsv", "vsv_onderwijssoort"), _vsv_per_soort),
    "kruis_mbo_niveaus": (("vsv_onderwijssoort", "vsv_mbo_niveau"), _mbo_niveaus),
    "kruis_percentage_vsv": (("jongeren_vsv",), _percentage_vsv),
    "kruis_sprongen": ((), _jumps),  # over the loaded tables with max_sprong in the schema
}


def check_frames(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Derived frames on which the cross-table suites run (those whose tables the report uses);
    arithmetic here, the checks in GX."""
    frames = {**CHECK_FRAMES, **{name: (needed, _with_sum(som["kolom"])) for name, needed, som in _column_sums()}}
    return {name: make(tables) for name, (needed, make) in sorted(frames.items()) if set(needed) <= set(tables)}
