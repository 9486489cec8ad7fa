# make setup: ./setup.sh (a virtual environment in .venv with newsmt, every extra and the test tools;
# the Debian packages it needs first). make test: the test suite. make clean: remove .venv.

VENV ?= .venv

.PHONY: setup test clean

setup:
	./setup.sh

test:
	$(VENV)/bin/python -m pytest -q

clean:
	rm -rf $(VENV)
