#!/bin/sh
# Set up newsmt on a fresh machine: a virtual environment in .venv (built with python3) holding
# newsmt with every extra and the test tools, after the Debian packages the environment and the
# browser test need (python3-venv where `python3 -m venv` cannot work, chromium, chromium-driver;
# apt-get, with sudo when not root). torch is the CPU build: a local wheel where pip is configured
# with one (find-links), else PyTorch's CPU index ($TORCH_INDEX), else PyPI's (a CUDA build).
# Needs only sh and python3 3.10-3.13:   ./setup.sh   (or: make setup)
set -eu
cd "$(dirname "$0")"
PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}
TORCH=${TORCH:-torch==2.13.0}
TORCH_INDEX=${TORCH_INDEX:-https://download.pytorch.org/whl/cpu}

venv_ok() { "$VENV/bin/python" -m pip --version >/dev/null 2>&1; }

missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v chromedriver >/dev/null 2>&1 || missing="$missing chromium-driver"
venv_ok || "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null || missing="$missing python3-venv"
if [ -n "$missing" ]; then
    sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y $missing
fi

venv_ok || "$PYTHON" -m venv --clear "$VENV"
pip="$VENV/bin/python -m pip"
$pip install --upgrade pip  # Debian's bundled pip (23.0) fails to resolve some extras
if $pip install --no-index --no-deps "$TORCH" >/dev/null 2>&1; then
    echo "$TORCH: installed from the local wheel folder"
elif ! $pip install --retries 1 --no-deps --index-url "$TORCH_INDEX" "$TORCH"; then
    echo "note: PyTorch's CPU index cannot be reached: $TORCH comes from PyPI (its CUDA build, several GB)"
fi
$pip install -e '.[dev]'
