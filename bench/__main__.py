"""`make bench`: every benchmark, each database in its own process so settings stay separate."""

from __future__ import annotations

import subprocess
import sys


def _postgres_reachable() -> bool:
    try:
        import psycopg

        psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", connect_timeout=2).close()
    except Exception:
        return False
    return True


def run(module: str, *args: str) -> int:
    print(f"\n$ python -m {module} {' '.join(args)}", flush=True)
    return subprocess.call([sys.executable, "-m", module, *args])  # noqa: S603  (our own modules)


def main() -> int:
    failures = 0
    print("== Desk: 100,000 tickets ==")
    failures += run("bench.desk_bench", "--database", "sqlite") != 0
    if _postgres_reachable():
        failures += run("bench.desk_bench", "--database", "postgres") != 0
    else:
        print("PostgreSQL is not reachable at 127.0.0.1:5432: its desk figures are skipped.")
    print("\n== Engine: reading customer messages ==")
    failures += run("bench.engine_bench") != 0
    print("\n== Engine: the empathy coach ==")
    failures += run("bench.coach_bench") != 0
    print("\n== Console: the coach through the web ==")
    failures += run("bench.console_bench") != 0
    print("\n== Mail: intake, and the honest expected reply time ==")
    failures += run("bench.mail_bench") != 0
    failures += run("bench.reply_time_bench") != 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
