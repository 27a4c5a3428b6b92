# Everything a newcomer needs: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: install demo test lint lock bench train

install: $(STAMP)

# Re-installs only when pyproject.toml or the lock changed, so repeated runs are fast.
# requirements.lock pins every release exactly; pyproject.toml keeps the looser ranges.
$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c requirements.lock -e '.[dev,scale]'
	touch $(STAMP)

# Rewrites requirements.lock from what .venv holds (install the bench and train extras first,
# so that their pins are kept). Local builds' labels such as torch's "+cpu" are dropped.
lock:
	{ echo '# Exact versions of every dependency, used as constraints by `make install`.'; \
	  echo '# Regenerate with `make lock` after changing pyproject.toml; do not edit by hand.'; \
	  $(BIN)/python -m pip freeze --exclude-editable | grep -v ' @ ' \
	    | sed -E 's/^([^=]+==[^+]+)\+.*/\1/' \
	    | LC_ALL=C sort -f; } > requirements.lock

# The embedded default: SQLite under var/, jobs and the scheduler in-process, and email
# received over SMTP on 127.0.0.1:2525.
demo: install
	env -u DATABASE_URL -u CELERY_BROKER_URL $(BIN)/heard migrate --noinput -v0
	env -u DATABASE_URL -u CELERY_BROKER_URL $(BIN)/heard demo
	env -u DATABASE_URL -u CELERY_BROKER_URL $(BIN)/heard serve 127.0.0.1:8000 --smtp 127.0.0.1:2525

test: lint
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy heard bench scripts

bench: install
	$(BIN)/python -m pip install -q -c requirements.lock -e '.[bench]'
	$(BIN)/python -m bench
	$(BIN)/python -m bench.training_bench
	$(BIN)/python -m bench.mail_bench --per-email  # CPU and queries per email, beside django-helpdesk
	$(BIN)/python -m bench.steady_bench  # steady rate and burst drain: embedded, 1, 2 and 4 workers
	$(BIN)/python -m bench.api_bench
	$(BIN)/python -m bench.insights_bench
	$(BIN)/python -m bench.load_bench    # needs PostgreSQL and Redis on 127.0.0.1 (else skipped)
	$(BIN)/python -m bench.fault_bench   # likewise
	$(BIN)/python -m bench.hostile_bench # hostile input: memory and time per attack

# Retrains the engine's model from ../shared/data (never run by install or test).
train: install
	$(BIN)/python -m pip install -q -c requirements.lock -e '.[train]'
	$(BIN)/python scripts/train_engine.py
