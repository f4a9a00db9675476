# Two commands on a fresh machine:  make serve [PORT=8080] [HOST=0.0.0.0]  (web service + sample knowledge base)  ·  make test (tests + eval gates)
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: serve test bench-retrieval bench-checker bench-draft bench-burst install

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

install: $(BIN)/.installed

serve: $(BIN)/.installed
	$(BIN)/zongjie serve --host $(HOST) --port $(PORT)

test: $(BIN)/.installed
	$(BIN)/ruff check service tests eval benchmarks
	$(BIN)/ruff format --check service tests eval benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest -q
	$(BIN)/zongjie eval --backend offline --backend simulator --out var/eval

bench-retrieval: $(BIN)/.installed
	$(BIN)/python eval/retrieval/benchmark.py
	$(BIN)/python benchmarks/kb_scale.py

bench-checker: $(BIN)/.installed
	$(BIN)/python eval/numbers/report.py
	$(BIN)/python benchmarks/checker_speed.py

bench-draft: $(BIN)/.installed
	$(BIN)/python benchmarks/draft_speed.py

bench-burst: $(BIN)/.installed
	$(BIN)/python benchmarks/burst.py
