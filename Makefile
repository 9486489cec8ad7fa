# make setup: system packages the tests need (Debian's chromium + chromedriver for the browser test of
# `newsmt serve`'s page), then newsmt with its dev extras.  make test: the test suite.

PYTHON ?= python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup system-packages test

setup: system-packages
	$(PYTHON) -m pip install -e '.[dev]'

system-packages:
	@if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then \
		echo "chromium and chromedriver: already installed"; \
	else \
		$(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver; \
	fi

test:
	$(PYTHON) -m pytest -q
