# Set-up and test entry points (the README's commands call these).
PYTHON ?= python3

# PEP 668: a Python its distribution manages (Debian's, Ubuntu's: an EXTERNALLY-MANAGED file
# beside its standard library, outside any virtualenv) refuses `pip install`. The targets then
# use a virtualenv of it, .venv/ (made on first use; the README's set-up makes the same one).
# Any other Python, a virtualenv's, pyenv's or the PYTHON= that .ci/run passes, is used as it is.
EXTERNALLY_MANAGED := $(shell $(PYTHON) -c "import os, sys, sysconfig; print(sys.prefix == sys.base_prefix and \
	os.path.exists(os.path.join(sysconfig.get_path('stdlib'), 'EXTERNALLY-MANAGED')))" 2>/dev/null)
ifeq ($(EXTERNALLY_MANAGED),True)
BASE_PYTHON := $(PYTHON)
override PYTHON := .venv/bin/python
VENV := .venv/bin/python
endif

.PHONY: install install-lint lint browser office node_modules test bench

install: $(VENV)
	$(PYTHON) -m pip install --quiet -e '.[test]'

.venv/bin/python:
	$(BASE_PYTHON) -m venv .venv

test: install browser office node_modules
	$(PYTHON) -m pytest -q

# axe-core for the accessibility scan (tests/test_accessibility.py), pinned in package.json and
# package-lock.json (npm registry); reinstalled by `npm ci` when missing or older than the lock.
node_modules: node_modules/axe-core

node_modules/axe-core: package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "make node_modules: npm is missing: install Node.js and npm (e.g. apt-get install -y nodejs npm), then rerun make test" >&2; exit 1; }
	npm ci --no-audit --no-fund --silent
	@touch $@

# The lint gate (README: Lint): ruff over the repository, mypy over mtreview/, vulture (unused
# code) over mtreview/ and tests/; each reads its settings from pyproject.toml.
install-lint: $(VENV)
	$(PYTHON) -m pip install --quiet -e '.[lint]'

lint: install-lint
	$(PYTHON) -m ruff check .
	$(PYTHON) -m mypy
	$(PYTHON) -m vulture

# A Debian package the tests need, installed with apt-get only when its executable is missing:
# $(call apt_install,EXECUTABLE,PACKAGE,OVERRIDE,TARGET): OVERRIDE, an environment variable
# that may name another executable to use instead. Installing needs root (or sudo).
define apt_install
	@if [ -n "$$$(3)" ] && command -v "$$$(3)" >/dev/null 2>&1; then exit 0; fi; \
	if [ -x "$(1)" ]; then exit 0; fi; \
	log=/tmp/mtreview-apt-$(2).log; \
	if ! command -v apt-get >/dev/null 2>&1; then \
	  echo "make $(4): $(1) is missing and there is no apt-get here: install $(2) and set $(3) to its executable" >&2; exit 1; \
	fi; \
	if [ "$$(id -u)" = 0 ]; then SUDO=; \
	elif command -v sudo >/dev/null 2>&1; then SUDO=sudo; \
	else echo "make $(4): $(1) is missing and installing it needs root: run 'apt-get install -y $(2)' as root (or set $(3))" >&2; exit 1; \
	fi; \
	echo "make $(4): installing Debian's $(2) with apt-get (log: $$log)"; \
	if ! { $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	       $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2); } >"$$log" 2>&1; then \
	  tail -n 20 "$$log" >&2; echo "make $(4): apt-get install $(2) failed (log: $$log)" >&2; exit 1; \
	fi; \
	[ -x "$(1)" ] || { echo "make $(4): apt-get finished but $(1) is still missing" >&2; exit 1; }
endef

# Debian's chromium for the browser tests (Playwright drives it; `playwright install` is never
# used: it downloads a browser, and CI has no internet besides the package registries).
# MTREVIEW_CHROMIUM, if set, names another Chromium to use.
CHROMIUM ?= /usr/bin/chromium

browser:
	$(call apt_install,$(CHROMIUM),chromium,MTREVIEW_CHROMIUM,browser)

# Debian's LibreOffice Writer (headless, no GUI) for the Word export tests (tests/test_docx.py
# opens the .docx mtreview writes in it). MTREVIEW_SOFFICE, if set, names another soffice.
SOFFICE ?= /usr/bin/soffice

office:
	$(call apt_install,$(SOFFICE),libreoffice-writer-nogui,MTREVIEW_SOFFICE,office)

bench: install
	$(PYTHON) bench/throughput.py
	$(PYTHON) bench/rule_scaling.py
	$(PYTHON) bench/startup.py
