# make setup: a virtual environment in .venv (built with python3) holding newsmt with every extra and
# the test tools; the Debian packages the browser test and the environment need first (chromium,
# chromium-driver, python3-venv where `python3 -m venv` cannot work; apt-get, with sudo when not root).
# torch is the CPU build: a local wheel where pip is configured with one (find-links), else PyTorch's
# CPU index (TORCH_INDEX). make test: the test suite. make clean: remove .venv.

PYTHON ?= python3
VENV ?= .venv
TORCH ?= torch==2.13.0
TORCH_INDEX ?= https://download.pytorch.org/whl/cpu
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PIP := $(VENV)/bin/python -m pip

.PHONY: setup system-packages torch test clean

setup: system-packages $(VENV)/bin/python torch
	$(PIP) install -e '.[dev]'

system-packages:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v chromedriver >/dev/null 2>&1 || missing="$$missing chromium-driver"; \
	[ -x $(VENV)/bin/python ] || $(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || missing="$$missing python3-venv"; \
	if [ -z "$$missing" ]; then echo "system packages: already installed"; else \
		$(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; fi

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

torch: $(VENV)/bin/python
	@$(PIP) install --no-index --no-deps '$(TORCH)' >/dev/null 2>&1 && echo "$(TORCH): installed from the local wheel folder" || \
		$(PIP) install --no-deps --index-url $(TORCH_INDEX) '$(TORCH)'

test:
	$(VENV)/bin/python -m pytest -q

clean:
	rm -rf $(VENV)
