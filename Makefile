# Set-up and test entry points (the README's commands call these).
PYTHON ?= python3

.PHONY: install install-lint lint browser test bench

install:
	$(PYTHON) -m pip install --quiet -e '.[test]'

test: install browser
	$(PYTHON) -m pytest -q

# The lint gate (README: Lint): ruff over the repository, mypy over mtreview/, vulture (unused
# code) over mtreview/ and tests/; each reads its settings from pyproject.toml.
install-lint:
	$(PYTHON) -m pip install --quiet -e '.[lint]'

lint: install-lint
	$(PYTHON) -m ruff check .
	$(PYTHON) -m mypy
	$(PYTHON) -m vulture

# Debian's chromium for the browser tests (Playwright drives it; `playwright install` is never
# used: it downloads a browser, and CI has no internet besides the package registries).
# Installed only when missing; MTREVIEW_CHROMIUM, if set, names another Chromium to use.
CHROMIUM ?= /usr/bin/chromium
APT_LOG ?= /tmp/mtreview-apt-chromium.log

browser:
	@if [ -n "$$MTREVIEW_CHROMIUM" ] && command -v "$$MTREVIEW_CHROMIUM" >/dev/null 2>&1; then exit 0; fi; \
	if [ -x "$(CHROMIUM)" ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null 2>&1; then \
	  echo "make browser: $(CHROMIUM) is missing and there is no apt-get here: install Chromium and set MTREVIEW_CHROMIUM to its executable" >&2; exit 1; \
	fi; \
	if [ "$$(id -u)" = 0 ]; then SUDO=; \
	elif command -v sudo >/dev/null 2>&1; then SUDO=sudo; \
	else echo "make browser: $(CHROMIUM) is missing and installing it needs root: run 'apt-get install -y chromium' as root (or set MTREVIEW_CHROMIUM)" >&2; exit 1; \
	fi; \
	echo "make browser: installing Debian's chromium with apt-get (log: $(APT_LOG))"; \
	if ! { $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	       $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >"$(APT_LOG)" 2>&1; then \
	  tail -n 20 "$(APT_LOG)" >&2; echo "make browser: apt-get install chromium failed (log: $(APT_LOG))" >&2; exit 1; \
	fi; \
	[ -x "$(CHROMIUM)" ] || { echo "make browser: apt-get finished but $(CHROMIUM) is still missing" >&2; exit 1; }

bench: install
	$(PYTHON) bench/throughput.py
	$(PYTHON) bench/rule_scaling.py
	$(PYTHON) bench/startup.py
