"""Background jobs: one interface, three ways to run.

A job is a plain function registered with @job. `enqueue(fn, *args)` runs it after the current
transaction commits: on Celery when CELERY_BROKER_URL is set (on the thread pool below, with a
warning in the log, while the broker cannot be reached), synchronously when HEARD_JOBS_EAGER
is set (tests), and otherwise on a small thread pool inside this process, so the embedded default
needs no extra server. Arguments must be JSON-friendly (ids, strings), never model instances.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import cache
from typing import Any, TypeVar

from django.conf import settings
from django.db import close_old_connections, transaction

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])
_registry: dict[str, Callable[..., Any]] = {}
_pool: ThreadPoolExecutor | None = None
_local = threading.local()


def job(fn: F) -> F:
    """Register `fn` as a job that can be enqueued or scheduled by name."""
    _registry[job_name(fn)] = fn
    return fn


def job_name(fn: Callable[..., Any]) -> str:
    return f"{fn.__module__}.{fn.__qualname__}"


def registered() -> dict[str, Callable[..., Any]]:
    load_jobs()
    return dict(_registry)


@cache
def load_jobs() -> None:
    """Import every app's tasks module so its jobs are registered (once: looking for the modules
    that do not exist costs a file-system search each time)."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("tasks")


def enqueue(fn: Callable[..., Any], *args: Any) -> None:
    """Run job `fn(*args)` in the background once the current transaction commits."""
    name = job_name(fn)
    if name not in _registry:
        raise LookupError(f"{name} is not a registered job (decorate it with @job)")
    transaction.on_commit(lambda: _dispatch(name, args))


@contextmanager
def inline() -> Iterator[None]:
    """Run the jobs enqueued in this block synchronously (still after their commit).

    For batch commands, such as loading the demo, whose result must be complete on return.
    """
    before = getattr(_local, "inline", False)
    _local.inline = True
    try:
        yield
    finally:
        _local.inline = before


def _dispatch(name: str, args: tuple[Any, ...]) -> None:
    if settings.HEARD_JOBS_EAGER or getattr(_local, "inline", False):
        run_job(name, list(args))
    elif settings.CELERY_BROKER_URL:
        from heard.celery import app

        try:
            app.send_task("heard.run_job", args=[name, list(args)])
        except Exception as error:  # the broker (Redis) is down: run it here rather than lose it
            log.warning(
                "could not queue job %s on the broker (%s): running it in this process instead",
                name,
                error,
            )
            _run_in_pool(name, args)
    else:
        _run_in_pool(name, args)


def _run_in_pool(name: str, args: tuple[Any, ...]) -> None:
    try:
        _thread_pool().submit(_run_in_thread, name, list(args))
    except RuntimeError:  # the interpreter is shutting down: run it now rather than lose it
        _run_in_thread(name, list(args))


def run_job(name: str, args: list[Any]) -> Any:
    """Run a registered job by name; what the Celery task and the thread pool both call."""
    load_jobs()
    return _registry[name](*args)


def _run_in_thread(name: str, args: list[Any]) -> None:
    close_old_connections()
    try:
        run_job(name, args)
    except Exception:
        log.exception("job %s%r failed", name, tuple(args))
    finally:
        close_old_connections()


def _thread_pool() -> ThreadPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="heard-job")
    return _pool
