"""The Arabic/English gazetteer of Iraq and Syria: places, admin units, context sites and named regions.

Built once from the bundled files (:mod:`rasid.geo._build`) and cached in the user cache dir
(``$RASID_CACHE`` overrides it) as two Parquet tables (``places`` and ``names``) plus the lookup
dictionaries derived from them (two ``marshal`` files: the core index read on load, the fallback
index - loose keys, romanisation keys, skeletons - on first use), all keyed by the sha256 of the
inputs and of the builder's code, so a change of data or code rebuilds it. Loading takes well under 1 s.

* ``places``: one row per place - ``place_id, name, name_ar, feature_type, country, lat, lon,
  population, admin1_code/en/ar, admin2_code/en/ar, admin3_code/en/ar, prior, source, sources, located,
  display_ar``; ``name_ar`` is the source's Arabic-name field as given (GeoNames sometimes puts a
  romanisation there), ``display_ar`` the name to show in Arabic: Arabic script only, or None.
* ``names``: one row per (normalised key, place) - ``key, loose, place_id, name, lang``. A key is
  :func:`rasid.lang.normalize.normalize_name` of one name form with type words removed (محافظة,
  قضاء, district, field ...), so "محافظة نينوى", "Nineveh Governorate" and "نينوى" share entries.
"""

from __future__ import annotations

import gc
import marshal
import os
from functools import lru_cache
from pathlib import Path

import pandas as pd
import platformdirs

from rasid.geo._build import FEATURE_PRIORS, NAME_COLUMNS, PLACE_COLUMNS, build_tables, inputs_sha256
from rasid.geo._romindex import RomIndex, build_rom_index
from rasid.geo.qualifiers import QUALIFIERS_AR, QUALIFIERS_EN, strip_qualifiers

__all__ = [
    "FEATURE_PRIORS",
    "NAME_COLUMNS",
    "PLACE_COLUMNS",
    "QUALIFIERS_AR",
    "QUALIFIERS_EN",
    "Gazetteer",
    "build_tables",
    "cache_dir",
    "load_gazetteer",
    "strip_qualifiers",
]

_WEAK_FT = frozenset({"village", "locality", "abandoned_place", "farm", "settlement", "neighbourhood", "campus"})


def cache_dir() -> Path:
    """Where the built gazetteer tables live: ``$RASID_CACHE`` or the user cache dir of rasid."""
    env = os.environ.get("RASID_CACHE")
    if env:
        return Path(env)

    return Path(platformdirs.user_cache_dir("rasid"))


# --- loaded gazetteer ----------------------------------------------------------------------------------------
_CORE = ("exact", "max_tokens", "cols", "unit_pid", "first_len")


class Gazetteer:
    """The loaded gazetteer: dictionaries from normalised key to place ids and the place columns as lists.
    The ``places``/``names`` tables and the fallback index (``loose``, ``romidx``) load on first use."""

    def __init__(self, *, exact: dict[str, tuple[int, ...]], max_tokens: int, cols: dict[str, list],
                 unit_pid: dict[str, int], first_len: dict[str, int], source_path: Path | None = None,
                 places: pd.DataFrame | None = None, names: pd.DataFrame | None = None,
                 loose: dict[str, tuple[int, ...]] | None = None, romidx: RomIndex | None = None) -> None:
        self.exact, self.max_tokens, self.cols = exact, max_tokens, cols
        self.unit_pid, self.first_len, self.source_path = unit_pid, first_len, source_path
        self._places, self._names, self._loose, self._romidx = places, names, loose, romidx
        self._strong_keys: dict[int, list[str]] | None = None
        self._skeleton: dict[str, tuple[int, ...]] | None = None

    def display_ar(self, pid: int) -> str | None:
        """Place ``pid``'s name in Arabic script for display (an Arabic alternate when the source's Arabic
        field holds a romanisation, a cited name for a site); None when the data has no Arabic name."""
        return self.cols["display_ar"][pid]

    def __repr__(self) -> str:
        return f"Gazetteer({len(self.cols.get('place_id', ()))} places, {len(self.exact)} keys)"

    @property
    def places(self) -> pd.DataFrame:
        """The ``places`` table (read from the cache on first use)."""
        if self._places is None:
            self._places = pd.read_parquet(self.source_path or _cache_files()[0])
        return self._places

    @property
    def names(self) -> pd.DataFrame:
        """The ``names`` table (read from the cache on first use)."""
        if self._names is None:
            path = self.source_path.with_name(self.source_path.name.replace("-places.", "-names.")) \
                if self.source_path is not None else _cache_files()[1]
            self._names = pd.read_parquet(path)
        return self._names

    @property
    def loose(self) -> dict[str, tuple[int, ...]]:
        """Loose key (consonant skeleton / Arabic without spaces) -> place ids."""
        if self._loose is None:
            self._load_fallback()
        return self._loose  # type: ignore[return-value]

    @property
    def romidx(self) -> RomIndex:
        """Romanisation keys and consonant skeletons (:class:`rasid.geo._romindex.RomIndex`)."""
        if self._romidx is None:
            self._load_fallback()
        return self._romidx  # type: ignore[return-value]

    def _load_fallback(self) -> None:
        path = _index_paths(self.source_path)[1] if self.source_path is not None else None
        if path is not None and path.exists():
            try:
                d = _read_marshal(path)
                self._loose, self._romidx = d["loose"], RomIndex(d["rom"], d["skel"])
                return
            except (OSError, ValueError, EOFError, KeyError, TypeError):
                pass  # unreadable: rebuilt from the names table below
        self._loose, self._romidx = _fallback_index(self.names)

    @classmethod
    def from_tables(cls, places: pd.DataFrame, names: pd.DataFrame, source_path: Path | None = None) -> Gazetteer:
        """Index the tables: exact keys, the place columns, admin unit ids (fallback index built lazily)."""
        exact: dict[str, list[int]] = {}
        for k, pid in zip(names["key"].tolist(), names["place_id"].tolist(), strict=True):
            lst = exact.get(k)
            if lst is None:
                exact[k] = [pid]
            else:
                lst.append(pid)
        max_tokens = int(names["key"].str.count(" ").max()) + 1 if len(names) else 1
        cols = {c: [None if (isinstance(v, float) and v != v) else v for v in places[c].tolist()]
                for c in PLACE_COLUMNS}
        first_len: dict[str, int] = {}
        for k in exact:
            first, _sep, rest = k.partition(" ")
            n = rest.count(" ") + 2 if rest else 1
            if n > first_len.get(first, 0):
                first_len[first] = n
        unit_pid: dict[str, int] = {}
        for pid, ft in enumerate(cols["feature_type"]):
            code = {"governorate": cols["admin1_code"], "district": cols["admin2_code"],
                    "subdistrict": cols["admin3_code"]}.get(ft)
            if code is not None and code[pid]:
                unit_pid[code[pid]] = pid
        return cls(exact={k: tuple(v) for k, v in exact.items()}, max_tokens=min(max_tokens, 8), cols=cols,
                   unit_pid=unit_pid, first_len=first_len, source_path=source_path, places=places, names=names)
    def _is_strong(self, pid: int) -> bool:
        ft = self.cols["feature_type"][pid]
        return ft not in _WEAK_FT or (self.cols["population"][pid] or 0) >= 5_000

    def strong_keys(self) -> dict[int, list[str]]:
        """Exact keys of "strong" places (admin units, towns of 5,000+, sites, regions) grouped by
        length, for the fuzzy fallback (built on first use)."""
        if self._strong_keys is None:
            out: dict[int, set[str]] = {}
            for k, pids in self.exact.items():
                if any(self._is_strong(p) for p in pids):
                    out.setdefault(len(k), set()).add(k)
            self._strong_keys = {n: sorted(v) for n, v in out.items()}
        return self._strong_keys

    def skeleton_index(self) -> dict[str, tuple[int, ...]]:
        """Latin consonant skeleton -> strong places, for matching Arabic spellings against Latin
        names (``الصقلاوية`` -> "skl" <- "Saqlawiyah"); built on first use."""
        if self._skeleton is None:
            idx: dict[str, list[int]] = {}
            for k, pids in self.loose.items():
                if k.isascii():
                    strong = [p for p in pids if self._is_strong(p)]
                    if strong:
                        idx.setdefault(k, []).extend(strong)
            self._skeleton = {k: tuple(dict.fromkeys(v)) for k, v in idx.items()}
        return self._skeleton

    def lookup(self, key: str) -> tuple[int, ...]:
        """Place ids whose normalised name equals ``key``."""
        return self.exact.get(key, ())

    def place(self, pid: int) -> dict:
        """One place as a dict of :data:`PLACE_COLUMNS`."""
        return {c: self.cols[c][pid] for c in PLACE_COLUMNS}


def _fallback_index(names: pd.DataFrame) -> tuple[dict[str, tuple[int, ...]], RomIndex]:
    loose: dict[str, list[int]] = {}
    for k, pid in zip(names["loose"].tolist(), names["place_id"].tolist(), strict=True):
        if len(k) < 3:
            continue
        lst = loose.get(k)
        if lst is None:
            loose[k] = [pid]
        elif lst[-1] != pid:
            lst.append(pid)
    rom = build_rom_index(zip(names["key"].tolist(), names["place_id"].tolist(), names["lang"].tolist(), strict=True))
    return {k: tuple(dict.fromkeys(v)) for k, v in loose.items()}, rom


def _cache_files() -> tuple[Path, Path]:
    sha = inputs_sha256()[:16]
    base = cache_dir()
    return base / f"gazetteer-{sha}-places.parquet", base / f"gazetteer-{sha}-names.parquet"


def _write_cache(places: pd.DataFrame, names: pd.DataFrame, p_path: Path, n_path: Path) -> None:
    try:
        p_path.parent.mkdir(parents=True, exist_ok=True)
        tmp_p, tmp_n = p_path.with_suffix(".tmp"), n_path.with_suffix(".tmp")
        places.to_parquet(tmp_p, index=False)
        names.to_parquet(tmp_n, index=False)
        os.replace(tmp_n, n_path)
        os.replace(tmp_p, p_path)
    except OSError:
        pass  # read-only cache dir: the gazetteer still works, it is just rebuilt next time


def _index_paths(p_path: Path) -> tuple[Path, Path]:
    stem = p_path.name.replace("-places.parquet", "")
    return p_path.with_name(f"{stem}-core.marshal"), p_path.with_name(f"{stem}-fallback.marshal")


def _read_marshal(path: Path) -> dict:
    gc_was_on = gc.isenabled()
    gc.disable()  # many small objects: the cyclic GC only slows the load down
    try:
        return marshal.loads(path.read_bytes())  # our own derived file, keyed by the inputs' sha256
    finally:
        if gc_was_on:
            gc.enable()


def _write_marshal(obj: dict, path: Path) -> None:
    try:
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(marshal.dumps(obj))
        os.replace(tmp, path)
    except (OSError, ValueError):
        pass


def _write_index(g: Gazetteer, p_path: Path) -> None:
    """The lookup dictionaries derived from the tables, next to them (same sha key), so a load skips
    rebuilding them; the Parquet tables stay the source of truth."""
    core, fallback = _index_paths(p_path)
    _write_marshal({k: getattr(g, k) for k in _CORE}, core)
    ri = g.romidx
    _write_marshal({"loose": g.loose, "rom": ri.rom, "skel": ri.skel}, fallback)


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The gazetteer, from the cache when present (built and cached otherwise)."""
    p_path, n_path = _cache_files()
    core, _fallback = _index_paths(p_path)
    if p_path.exists() and n_path.exists():
        try:
            if core.exists():
                return Gazetteer(source_path=p_path, **_read_marshal(core))
            g = Gazetteer.from_tables(pd.read_parquet(p_path), pd.read_parquet(n_path), source_path=p_path)
            _write_index(g, p_path)
            return g
        except Exception:  # noqa: BLE001 - corrupt cache: rebuild below
            pass
    places, names = build_tables()
    _write_cache(places, names, p_path, n_path)
    g = Gazetteer.from_tables(places, names, source_path=p_path)
    _write_index(g, p_path)
    return g
