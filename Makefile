# Everything a newcomer needs: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: install demo test lint bench train

install: $(STAMP)

# Re-installs only when pyproject.toml changed, so repeated runs are fast.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev,scale]'
	touch $(STAMP)

# The embedded default: SQLite under var/, jobs and the scheduler in-process, and email
# received over SMTP on 127.0.0.1:2525.
demo: install
	env -u DATABASE_URL -u CELERY_BROKER_URL $(BIN)/heard migrate --noinput -v0
	env -u DATABASE_URL -u CELERY_BROKER_URL $(BIN)/heard demo
	env -u DATABASE_URL -u CELERY_BROKER_URL $(BIN)/heard serve 127.0.0.1:8000 --smtp 127.0.0.1:2525

test: install
	$(BIN)/ruff check .
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .

bench: install
	$(BIN)/python -m pip install -q -e '.[bench]'
	$(BIN)/python -m bench

# Retrains the engine's model from ../shared/data (never run by install or test).
train: install
	$(BIN)/python -m pip install -q -e '.[train]'
	$(BIN)/python scripts/train_engine.py
