"""Charts for the brief (matplotlib, Agg): monthly events/deaths for the top places, focus shares before/after.

Each chart returns a :class:`Chart` with the PNG bytes and every string drawn on it (already shaped
for Arabic), so tests can check the glyphs matplotlib received. Labels come from the caller in the
brief's language; nothing here composes sentences.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import matplotlib
import matplotlib.lines
import matplotlib.patches
import matplotlib.ticker
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from rasid.report.arabic import register_fonts, shape
from rasid.report.format import Formatter

__all__ = ["Chart", "monthly_chart", "shares_chart", "fan_chart", "PALETTE"]

PALETTE = ["#8c2d04", "#2b6a99", "#4d7d3a", "#7a4f9a", "#b8860b", "#555555"]
_DPI = 130


@dataclass
class Chart:
    """A rendered figure: PNG bytes plus the (shaped) strings drawn on it."""

    png: bytes
    texts: list[str] = field(default_factory=list)
    alt: str = ""


class _Labeller:
    """Shapes Arabic text for matplotlib and remembers every string it handed over."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.texts: list[str] = []

    def __call__(self, text: str) -> str:
        out = shape(text) if self.lang == "ar" else text
        self.texts.append(out)
        return out


def _png(fig: Figure) -> bytes:
    """Save a figure to PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=_DPI, bbox_inches="tight", facecolor="white")
    return buf.getvalue()


def _small_multiples(n: int, lang: str) -> tuple[Figure, np.ndarray, int]:
    """A figure of ``n`` panels sharing the time axis, in two columns beyond two places (half a page); in Arabic
    the first place is on the right, as the text reads. Unused panels are hidden. Returns the figure, its axes
    in reading order and the number of columns."""
    cols = 2 if n > 2 else 1
    rows = -(-n // cols)
    fig = Figure(figsize=(7.2 if cols == 1 else 8.4, 1.6 * rows + 0.7))
    grid = fig.subplots(rows, cols, sharex=True, squeeze=False)
    if lang == "ar":
        grid = grid[:, ::-1]
    axes = grid.ravel()
    for ax in axes[n:]:
        ax.set_visible(False)
    return fig, axes, cols


def _month_labels(axes: np.ndarray, n: int, cols: int, months: list, lab: _Labeller, fmt: Formatter) -> None:
    """Month names under the last drawn panel of each column of small multiples (the panels share the time axis,
    month ``i`` at x = i). Full-width panels name every quarter, half-width ones January and July; the year shows
    in January and on the first label. A span without any of those months still names its first month. Every
    month gets a minor tick."""
    if not len(months):
        return
    marks = (1, 4, 7, 10) if cols == 1 else (1, 7)
    keep = [i for i, m in enumerate(months) if pd.Timestamp(m).month in marks] or [0]
    ticks = [fmt.short_month(months[i], year=pd.Timestamp(months[i]).month == 1 or i == keep[0]) for i in keep]
    for c in range(cols):
        col = [i for i in range(n) if (i % cols) == c]
        if col:
            ax = axes[col[-1]]
            ax.xaxis.set_tick_params(labelbottom=True)
            ax.set_xticks(np.asarray(keep), [lab(t) for t in ticks])
            ax.set_xticks(np.arange(len(months)), minor=True)


def _finish(fig: Figure, handles: list, names: list[str], title: str, lang: str) -> bytes:
    """One legend row above the axes (right to left in Arabic), the title, and the figure as PNG."""
    if lang == "ar":
        handles, names = handles[::-1], names[::-1]
    fig.legend(handles, names, loc="upper center", ncol=len(handles), frameon=False, bbox_to_anchor=(0.5, 1.0),
               markerfirst=lang != "ar")
    fig.suptitle(title, y=1.04, fontsize=11)
    fig.tight_layout()
    return _png(fig)


def _rc() -> dict:
    """Matplotlib settings shared by the charts (fonts with Arabic first, quiet axes)."""
    return {"font.family": register_fonts(), "font.size": 9, "axes.spines.top": False,
            "axes.spines.right": False, "axes.titlesize": 10}


def monthly_chart(monthly: pd.DataFrame, places: list[tuple[str, str]], labels: dict[str, str],
                  fmt: Formatter, window_start: object = None) -> Chart:
    """Small multiples: monthly events (bars) and deaths (line) per place.

    ``monthly`` has ``unit_code, period, events, deaths_best``; ``places`` is ``[(unit_code, name)]``
    in display order; ``labels`` holds ``events``, ``deaths``, ``title`` and ``window`` in the brief's language.
    Months from ``window_start`` on are shaded (the window; earlier months are the baseline).
    """
    lab = _Labeller(fmt.lang)
    n = max(len(places), 1)
    with matplotlib.rc_context(_rc()):
        fig, axes, cols = _small_multiples(n, fmt.lang)
        periods = sorted(pd.to_datetime(monthly["period"]).unique()) if len(monthly) else []
        x = np.arange(len(periods))
        for ax, (code, name) in zip(axes, places, strict=False):
            sub = monthly[monthly.unit_code == code].set_index(pd.to_datetime(monthly.loc[monthly.unit_code == code,
                                                                                           "period"]))
            ev = sub["events"].reindex(periods, fill_value=0).to_numpy()
            de = sub["deaths_best"].reindex(periods, fill_value=0).to_numpy()
            if window_start is not None:
                first = int(np.searchsorted(np.array(periods, dtype="datetime64[ns]"),
                                            np.datetime64(pd.Timestamp(window_start))))
                if first < len(periods):
                    ax.axvspan(first - 0.5, len(periods) - 0.5, color="#f3ede4", zorder=0)
            ax.bar(x, ev, color=PALETTE[1], width=0.7, label=lab(labels["events"]))
            if cols == 1 or (list(axes).index(ax) % cols) == (0 if fmt.lang != "ar" else cols - 1):
                ax.set_ylabel(lab(labels["events"]), color=PALETTE[1])
            ax2 = ax.twinx()
            ax2.plot(x, de, color=PALETTE[0], marker="o", ms=3, lw=1.5, label=lab(labels["deaths"]))
            if cols == 1 or (list(axes).index(ax) % cols) == (cols - 1 if fmt.lang != "ar" else 0):
                ax2.set_ylabel(lab(labels["deaths"]), color=PALETTE[0])
            ax2.spines["right"].set_visible(True)
            ax2.set_ylim(bottom=0)
            ax.set_title(lab(name), loc="right" if fmt.lang == "ar" else "left")
            for a in (ax, ax2):
                a.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(4, integer=True))
                a.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _p: fmt.num(v)))
        _month_labels(axes, n, cols, periods, lab, fmt)
        handles = [matplotlib.patches.Patch(color=PALETTE[1]),
                   matplotlib.lines.Line2D([], [], color=PALETTE[0], marker="o"),
                   matplotlib.patches.Patch(color="#f3ede4")]
        names = [lab(labels["events"]), lab(labels["deaths"]), lab(labels["window"])]
        png = _finish(fig, handles, names, lab(labels["title"]), fmt.lang)
    return Chart(png, lab.texts, labels["title"])


def shares_chart(rows: pd.DataFrame, labels: dict[str, str], fmt: Formatter) -> Chart:
    """Dumbbell: each place's share of the actor's events in the baseline and in the window.

    ``rows`` has ``name, baseline_share, share`` (shares 0..1) in display order; ``labels`` holds
    ``baseline``, ``window``, ``axis`` and ``title``.
    """
    lab = _Labeller(fmt.lang)
    n = max(len(rows), 1)
    with matplotlib.rc_context(_rc()):
        fig = Figure(figsize=(7.2, 0.42 * n + 1.3))
        ax = fig.subplots()
        y = np.arange(len(rows))[::-1]
        for yi, (_, r) in zip(y, rows.iterrows(), strict=True):
            ax.plot([r.baseline_share * 100, r.share * 100], [yi, yi], color="#bbbbbb", lw=2, zorder=1)
        ax.scatter(rows.baseline_share * 100, y, color="#999999", s=36, zorder=2, label=lab(labels["baseline"]))
        ax.scatter(rows.share * 100, y, color=PALETTE[0], s=46, zorder=3, label=lab(labels["window"]))
        ax.set_yticks(y, [lab(n_) for n_ in rows["name"]])
        if fmt.lang == "ar":
            ax.yaxis.tick_right()
            ax.spines["right"].set_visible(True)
            ax.spines["left"].set_visible(False)
        ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _p: fmt.pct(v / 100, 0)))
        ax.set_xlim(left=0)
        ax.set_xlabel(lab(labels["axis"]))
        ax.grid(axis="x", color="#eeeeee")
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False, markerfirst=fmt.lang != "ar")
        ax.set_title(lab(labels["title"]), loc="right" if fmt.lang == "ar" else "left", pad=24)
        fig.tight_layout()
        png = _png(fig)
    return Chart(png, lab.texts, labels["title"])


def fan_chart(observed: pd.DataFrame, forecast: pd.DataFrame, places: list[tuple[str, str]], labels: dict[str, str],
              fmt: Formatter, *, measure: str = "events", history: int = 24) -> Chart:
    """Small multiples: each place's last ``history`` observed months, then the forecast fan.

    ``observed`` has ``unit_code, period`` and the ``measure`` column; ``forecast`` has ``unit_code, month,
    mean, q05, q25, q75, q95`` (the 90% and 50% bands of the predictive distribution). ``labels`` holds
    ``observed``, ``mean``, ``band50``, ``band90`` and ``title`` in the brief's language.
    """
    lab = _Labeller(fmt.lang)
    n = max(len(places), 1)
    fc_months = sorted(pd.to_datetime(forecast["month"]).unique()) if len(forecast) else []
    obs_months = sorted(pd.to_datetime(observed["period"]).unique()) if len(observed) else []
    if fc_months:
        obs_months = [m for m in obs_months if m < fc_months[0]]
    obs_months = obs_months[-history:]
    months = obs_months + fc_months
    x_obs, x_fc = np.arange(len(obs_months)), np.arange(len(obs_months), len(months))
    with matplotlib.rc_context(_rc()):
        fig, axes, cols = _small_multiples(n, fmt.lang)
        for ax, (code, name) in zip(axes, places, strict=False):
            sub = observed[observed.unit_code == code]
            y = (sub.assign(period=pd.to_datetime(sub["period"])).groupby("period")[measure].sum()
                 .reindex(obs_months, fill_value=0).to_numpy(dtype=float))
            f = forecast[forecast.unit_code == code].assign(month=lambda d: pd.to_datetime(d["month"]))
            f = f.set_index("month").reindex(fc_months)
            ax.plot(x_obs, y, color=PALETTE[1], marker="o", ms=2.5, lw=1.2)
            if len(x_fc) and len(x_obs):
                # the bands start from the last observed month, so the fan opens from what was seen
                xs = np.r_[x_obs[-1], x_fc]
                band = {c: np.r_[y[-1], f[c].to_numpy(dtype=float)] for c in ("q05", "q25", "q75", "q95", "mean")}
            else:
                xs, band = x_fc, {c: f[c].to_numpy(dtype=float) for c in ("q05", "q25", "q75", "q95", "mean")}
            ax.fill_between(xs, band["q05"], band["q95"], color=PALETTE[0], alpha=0.15, lw=0)
            ax.fill_between(xs, band["q25"], band["q75"], color=PALETTE[0], alpha=0.35, lw=0)
            ax.plot(xs, band["mean"], color=PALETTE[0], lw=1.5, ls="--")
            if len(x_obs):
                ax.axvline(x_obs[-1] + 0.5, color="#999999", lw=0.8, ls=":")
            ax.set_ylim(bottom=0)
            ax.set_title(lab(name), loc="right" if fmt.lang == "ar" else "left")
            ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(4, integer=True))
            ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _p: fmt.num(v)))
        _month_labels(axes, n, cols, months, lab, fmt)
        handles = [matplotlib.lines.Line2D([], [], color=PALETTE[1], marker="o", ms=3),
                   matplotlib.lines.Line2D([], [], color=PALETTE[0], ls="--"),
                   matplotlib.patches.Patch(color=PALETTE[0], alpha=0.5),
                   matplotlib.patches.Patch(color=PALETTE[0], alpha=0.15)]
        names = [lab(labels[k]) for k in ("observed", "mean", "band50", "band90")]
        png = _finish(fig, handles, names, lab(labels["title"]), fmt.lang)
    return Chart(png, lab.texts, labels["title"])
