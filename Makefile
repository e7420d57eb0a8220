# Set-up and test entry points (the README's commands call these).
PYTHON ?= python3

.PHONY: install test bench

install:
	$(PYTHON) -m pip install --quiet -e '.[test]'

test: install
	$(PYTHON) -m pytest -q

bench: install
	$(PYTHON) bench/throughput.py
	$(PYTHON) bench/rule_scaling.py
	$(PYTHON) bench/startup.py
