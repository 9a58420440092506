"""Brief jobs: the workspace's "build the brief" button, run one at a time in the background.

A brief runs every analysis of the view (tens of seconds), so the API starts a job and the page
polls it. Jobs are keyed on their normalised parameters (asking twice returns the same job), the
brief's data are shared by its languages and formats, and files live in a temporary folder that
is removed when the app stops.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from rasid.errors import RasidError, ReportError
from rasid.report import build_brief, render_brief
from rasid.web.cache import ResultCache

__all__ = ["BriefJobs", "BriefJob"]

_MAX_JOBS = 64


@dataclass
class BriefJob:
    """One brief build: its parameters, state (queued, running, done, failed) and file."""

    id: str
    params: dict
    status: str = "queued"
    message: str = ""
    path: Path | None = None
    started: float = field(default_factory=time.time)
    seconds: float | None = None

    def public(self) -> dict:
        """What the API shows of the job."""
        out = {"job": self.id, "status": self.status, "params": self.params, "message": self.message,
               "seconds": None if self.seconds is None else round(self.seconds, 1)}
        if self.status == "done":
            out["file"] = f"/api/brief/{self.id}/file"
            out["filename"] = self.path.name if self.path else None
        return out


class BriefJobs:
    """Queue of brief builds over a :class:`~rasid.web.service.Workspace` (one build at a time)."""

    def __init__(self, workspace) -> None:
        self.ws = workspace
        self._dir = Path(tempfile.mkdtemp(prefix="rasid-briefs-"))
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rasid-brief")
        self._jobs: OrderedDict[str, BriefJob] = OrderedDict()
        self._data = ResultCache(8, 2**62, sizeof=lambda v: 1)
        self._lock = threading.Lock()

    def submit(self, *, actor: str, countries: tuple[str, ...], window: str, baseline: str, unit: str, lang: str,
               fmt: str) -> BriefJob:
        """Start (or find) the job building this brief."""
        params = {"actor": actor, "countries": list(countries), "window": window, "baseline": baseline,
                  "unit": unit, "lang": lang, "format": fmt}
        key = hashlib.sha1(repr(sorted(params.items())).encode()).hexdigest()[:16]
        with self._lock:
            job = self._jobs.get(key)
            if job is not None and job.status != "failed":
                return job
            job = BriefJob(key, params)
            self._jobs[key] = job
            while len(self._jobs) > _MAX_JOBS:
                _, old = self._jobs.popitem(last=False)
                if old.path is not None:
                    old.path.unlink(missing_ok=True)
        self._pool.submit(self._run, job)
        return job

    def get(self, job_id: str) -> BriefJob | None:
        """The job with this id, if known."""
        with self._lock:
            return self._jobs.get(job_id)

    def _run(self, job: BriefJob) -> None:
        p = job.params
        job.status = "running"
        t0 = time.perf_counter()
        try:
            data_key = (p["actor"], tuple(p["countries"]), p["window"], p["baseline"], p["unit"])
            data = self._data.get(data_key, lambda: self._build(p))
            out = self._dir / job.id
            out.mkdir(parents=True, exist_ok=True)
            paths = render_brief(data, p["lang"], p["format"], out)
            if not paths:
                raise ReportError(f"no {p['format']} file was written")
            job.path = paths[0]
            job.status = "done"
        except RasidError as exc:
            job.status, job.message = "failed", str(exc)
        except Exception as exc:  # noqa: BLE001 - a failed build is reported to the page, not raised in a thread
            job.status, job.message = "failed", f"{type(exc).__name__}: {exc}"
        finally:
            job.seconds = time.perf_counter() - t0

    def _build(self, p: dict):
        with self.ws.connection() as store:
            return build_brief(store, actor=p["actor"], countries=list(p["countries"]), window=p["window"],
                               baseline=p["baseline"], unit=p["unit"], motives=self.ws.motives)

    def close(self) -> None:
        """Stop taking jobs, wait for the running one, remove the files."""
        self._pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self._dir, ignore_errors=True)
