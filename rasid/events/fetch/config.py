"""The user's config file: which sources, countries and actors `rasid update`, `alerts` and `watch` use.

TOML at ``$RASID_CONFIG`` or ``<user config dir>/rasid/config.toml``; ``rasid update --init`` writes the
commented template (``rasid/data/fetch/config.toml``). Unknown keys are errors (a typo would otherwise
silently fetch the wrong thing). Secrets are best left to the environment; a config file that holds
one and can be read by other users draws a warning.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import platformdirs

from rasid.errors import InputError
from rasid.events._countries import to_iso2
from rasid.events.fetch import acled as _acled
from rasid.events.fetch import ucdp as _ucdp

__all__ = ["Config", "UcdpConfig", "AcledConfig", "load_config", "config_path", "write_template", "CONFIG_ENV"]

CONFIG_ENV = "RASID_CONFIG"
_TOP = {"countries", "actors", "since", "unit", "db", "cache_dir", "digests", "ucdp", "acled"}
_UCDP = {"version", "candidate", "api_url", "token"}
_ACLED = {"overlap_days", "api_url", "email", "password"}


def config_path() -> Path:
    """``$RASID_CONFIG`` or ``<user config dir>/rasid/config.toml``."""
    env = os.environ.get(CONFIG_ENV)
    return Path(env).expanduser() if env else Path(platformdirs.user_config_dir("rasid")) / "config.toml"


@dataclass(frozen=True)
class UcdpConfig:
    """The UCDP part: a yearly release to hold and whether to follow the monthly Candidate releases."""

    version: str | None = None
    candidate: bool = False
    api_url: str = _ucdp.DEFAULT_API
    token: str | None = None

    def __repr__(self) -> str:
        return f"UcdpConfig(version={self.version!r}, candidate={self.candidate}, api_url={self.api_url!r})"


@dataclass(frozen=True)
class AcledConfig:
    """The ACLED part: API address, days re-read at each update, optional credentials."""

    api_url: str = _acled.DEFAULT_API
    overlap_days: int = 30
    section: dict = field(default_factory=dict, repr=False)  # email/password when kept in the file


@dataclass(frozen=True)
class Config:
    """A loaded config (``path`` is where it came from)."""

    path: Path
    countries: tuple[str, ...] = ("IQ", "SY")
    actors: tuple[str, ...] = ("IS",)
    since: dt.date | None = None
    unit: str = "admin2"
    db: Path | None = None
    cache_dir: Path | None = None
    digests: Path | None = None
    ucdp: UcdpConfig | None = None
    acled: AcledConfig | None = None
    warnings: tuple[str, ...] = ()


def _fail(path: Path, problem: str) -> InputError:
    return InputError(problem, path=path)


def _unknown(path: Path, table: str, got: dict, allowed: set[str]) -> None:
    bad = sorted(set(got) - allowed)
    if bad:
        raise _fail(path, f"unknown key {bad[0]!r} in {table}; expected one of {', '.join(sorted(allowed))}")


def _str_list(path: Path, key: str, value: object) -> list[str]:
    if isinstance(value, str):
        value = [v for v in value.split(",")]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(path, f"{key} must be a list of strings such as [\"IQ\", \"SY\"]")
    return [v.strip() for v in value if v.strip()]


def _path(value: object, path: Path, key: str) -> Path | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise _fail(path, f"{key} must be a path (a string)")
    return Path(value).expanduser()


def load_config(path: str | Path | None = None) -> Config:
    """Read and check the config file; InputError (naming file, line and problem) when it is missing or wrong."""
    p = Path(path).expanduser() if path else config_path()
    if not p.is_file():
        raise _fail(p, "no config file here; run `rasid update --init` to write one (docs/fetch.md), or set "
                       f"{CONFIG_ENV}")
    try:
        raw = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise _fail(p, f"not valid TOML: {exc}") from exc
    except (UnicodeDecodeError, OSError) as exc:
        raise _fail(p, f"cannot read ({exc})") from exc
    _unknown(p, "the config", raw, _TOP)
    countries = []
    for c in _str_list(p, "countries", raw.get("countries", ["IQ", "SY"])):
        iso = to_iso2(name=c)
        if iso is None:
            raise _fail(p, f"countries: unknown country {c!r} (give ISO2 codes such as IQ)")
        countries.append(iso)
    actors = _str_list(p, "actors", raw.get("actors", ["IS"]))
    since = raw.get("since")
    if isinstance(since, str):
        try:
            since = dt.date.fromisoformat(since.strip())
        except ValueError as exc:
            raise _fail(p, f"since must be a date YYYY-MM-DD, got {since!r}") from exc
    elif isinstance(since, dt.datetime):
        since = since.date()
    elif since is not None and not isinstance(since, dt.date):
        raise _fail(p, "since must be a date YYYY-MM-DD")
    unit = raw.get("unit", "admin2")
    if unit not in ("admin1", "admin2"):
        raise _fail(p, f"unit must be admin1 or admin2, got {unit!r}")
    warnings: list[str] = []
    ucdp = acled = None
    if "ucdp" in raw:
        u = raw["ucdp"]
        if not isinstance(u, dict):
            raise _fail(p, "[ucdp] must be a table")
        _unknown(p, "[ucdp]", u, _UCDP)
        version = u.get("version")
        if version is not None and (not isinstance(version, str | int | float) or not str(version).strip()):
            raise _fail(p, "[ucdp] version must be a release such as \"25.1\"")
        if not isinstance(u.get("candidate", False), bool):
            raise _fail(p, "[ucdp] candidate must be true or false")
        ucdp = UcdpConfig(version=str(version).strip() if version is not None else None,
                          candidate=u.get("candidate", False), api_url=str(u.get("api_url", _ucdp.DEFAULT_API)),
                          token=str(u["token"]) if u.get("token") else None)
        if ucdp.version is None and not ucdp.candidate:
            raise _fail(p, "[ucdp] needs version = \"25.1\" and/or candidate = true")
    if "acled" in raw:
        a = raw["acled"]
        if not isinstance(a, dict):
            raise _fail(p, "[acled] must be a table")
        _unknown(p, "[acled]", a, _ACLED)
        overlap = a.get("overlap_days", 30)
        if not isinstance(overlap, int) or isinstance(overlap, bool) or not 0 <= overlap <= 366:
            raise _fail(p, "[acled] overlap_days must be a whole number of days 0..366")
        acled = AcledConfig(api_url=str(a.get("api_url", _acled.DEFAULT_API)), overlap_days=overlap,
                            section={k: a[k] for k in ("email", "password") if k in a})
    secret = (ucdp is not None and ucdp.token) or (acled is not None and acled.section.get("password"))
    if secret and os.name == "posix" and p.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        warnings.append(f"{p} holds credentials and other users can read it; run: chmod 600 {p}")
    return Config(path=p, countries=tuple(countries), actors=tuple(actors), since=since, unit=unit,
                  db=_path(raw.get("db"), p, "db"), cache_dir=_path(raw.get("cache_dir"), p, "cache_dir"),
                  digests=_path(raw.get("digests"), p, "digests"), ucdp=ucdp, acled=acled, warnings=tuple(warnings))


def write_template(path: str | Path | None = None) -> Path:
    """Write the commented template config (never over an existing file); returns its path."""
    p = Path(path).expanduser() if path else config_path()
    if p.exists():
        raise InputError("a config file already exists; edit it instead", path=p)
    p.parent.mkdir(parents=True, exist_ok=True)
    text = (resources.files("rasid") / "data" / "fetch" / "config.toml").read_text(encoding="utf-8")
    fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # private from the start: it may hold secrets
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    return p
