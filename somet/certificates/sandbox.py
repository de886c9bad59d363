"""Rendering in worker processes (NOT pure), bounded in time and memory, on every core.

A render runs in a worker of a process pool: the worker's address space is capped with
RLIMIT_AS, and a render that takes longer than ``timeout`` seconds kills the pool (a new one
starts on the next call), so a hostile or broken certificate cannot hang or exhaust the web
worker or the job runner. Workers are started by a fork server, not forked from the app, so
they hold no database connection. The same pool renders large batches on every core.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool

RENDER_TIMEOUT_SECONDS = 30
STARTUP_SECONDS = 60  # a new worker imports WeasyPrint and loads fonts before its first render
MEMORY_LIMIT_BYTES = 2 * 1024**3  # WeasyPrint + Pango map ~0.4 GB; a runaway render stops here


class RenderFailed(RuntimeError):
    """A render took too long, ran out of memory or crashed its worker."""


def _limit_worker() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    from somet.certificates.rendering import renderer

    renderer()  # fonts and stylesheet once per worker, before the first certificate


def _render(snapshot: dict, verify_url: str) -> bytes:
    from somet.certificates.rendering import render_certificate_pdf

    return render_certificate_pdf(snapshot, verify_url)


class RenderPool:
    """A lazily started pool of render workers."""

    def __init__(self, workers: int = 1, timeout: float = RENDER_TIMEOUT_SECONDS):
        self.workers = workers
        self.timeout = timeout
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self._starting = False

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                context = multiprocessing.get_context("forkserver")
                self._pool = ProcessPoolExecutor(
                    self.workers, mp_context=context, initializer=_limit_worker
                )
                self._starting = True
            return self._pool

    def render(self, snapshot: dict, verify_url: str) -> bytes:
        """The PDF of one certificate, or RenderFailed."""
        return self.result(self.submit(snapshot, verify_url))

    def render_many(self, jobs: Iterable[tuple[dict, str]]) -> Iterator[bytes]:
        """PDFs of many certificates, in order, rendered on all of the pool's workers."""
        futures = [self.submit(snapshot, url) for snapshot, url in jobs]
        for future in futures:
            yield self.result(future)

    def submit(self, snapshot: dict, verify_url: str) -> Future:
        """Start rendering in a worker; the caller goes on and collects it with ``result``."""
        return self._executor().submit(_render, snapshot, verify_url)

    def result(self, future: Future) -> bytes:
        """The PDF of a submitted render, waiting at most ``timeout`` seconds."""
        allowance = STARTUP_SECONDS if self._starting else 0
        try:
            pdf = future.result(timeout=self.timeout + allowance)
            self._starting = False
            return pdf
        except FutureTimeout:
            self.close(kill=True)
            raise RenderFailed(f"rendering took longer than {self.timeout:g} s") from None
        except (BrokenProcessPool, MemoryError) as error:
            self.close(kill=True)
            raise RenderFailed(f"the render worker failed: {error}") from None

    def close(self, kill: bool = False) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is None:
            return
        if kill:
            for process in list(getattr(pool, "_processes", {}).values()):
                process.kill()
        pool.shutdown(wait=not kill, cancel_futures=True)


_pools: dict[int, RenderPool] = {}


def render_pool(workers: int = 1) -> RenderPool:
    """The process's shared pool with ``workers`` workers (0: one per core)."""
    workers = workers or os.cpu_count() or 1
    if workers not in _pools:
        _pools[workers] = RenderPool(workers)
    return _pools[workers]
