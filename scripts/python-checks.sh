#!/usr/bin/env bash
# Checks the Python SDK in sdk-python/. `npm test` runs each step through
# test/python-sdk.test.ts; run one by hand with `scripts/python-checks.sh <step>`.
#
#   setup   create or update the venv in .data/python-venv from sdk-python/requirements-dev.txt
#   lint    ruff check and ruff format --check over the SDK and examples/python
#   types   mypy --strict --python-version 3.10 over the package, a typed usage file and examples
#   tests   pytest: unit tests, end-to-end tests against a server on 127.0.0.1, typing tests
#   wheel   python -m build a wheel and install it into a fresh venv
#   all     every step in that order (the default)
#
# pip looks only at local wheels (/opt/wheels) and then at the indexes pip is configured
# with, never at the default index, with one attempt and a 5 second timeout per request.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO_ROOT=$PWD
VENV=$REPO_ROOT/.data/python-venv
REQUIREMENTS=$REPO_ROOT/sdk-python/requirements-dev.txt
export PIP_RETRIES=0 PIP_DEFAULT_TIMEOUT=5 PIP_DISABLE_PIP_VERSION_CHECK=1
export MYPY_CACHE_DIR=$REPO_ROOT/.data/mypy-cache

# pip_install PYTHON ARGS…: installs from local wheels, else from the configured indexes.
pip_install() {
  local python=$1
  shift
  if "$python" -m pip install -q --retries 0 --timeout 5 --no-index --find-links /opt/wheels "$@" 2>/dev/null; then
    return 0
  fi
  local indexes
  read -r -a indexes <<<"$("$python" -m pip config get global.extra-index-url 2>/dev/null || true)"
  if [ "${#indexes[@]}" -eq 0 ]; then
    "$python" -m pip install -q --retries 0 --timeout 5 "$@"
    return
  fi
  local index_args=(--index-url "${indexes[0]}")
  for index in "${indexes[@]:1}"; do index_args+=(--extra-index-url "$index"); done
  # pip warns about every project missing from the second index; only real errors matter here.
  "$python" -m pip install -q --retries 0 --timeout 5 "${index_args[@]}" "$@" \
    2> >(grep -v 'is neither a file nor a directory' >&2)
}

step_setup() {
  if [ ! -x "$VENV/bin/python" ]; then
    echo "== creating $VENV"
    python3 -m venv "$VENV"
  fi
  local stamp=$VENV/.requirements.sha256
  local wanted
  wanted=$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    echo "== installing $REQUIREMENTS"
    pip_install "$VENV/bin/python" -r "$REQUIREMENTS"
    echo "$wanted" >"$stamp"
  fi
}

step_lint() {
  echo "== ruff"
  cd "$REPO_ROOT/sdk-python"
  "$VENV/bin/ruff" check --no-cache . ../examples/python
  "$VENV/bin/ruff" format --no-cache --check . ../examples/python
}

step_types() {
  echo "== mypy --strict"
  cd "$REPO_ROOT/sdk-python"
  "$VENV/bin/mypy" --strict --python-version 3.10 src/visitorflow tests/typing/usage.py ../examples/python
}

step_tests() {
  echo "== pytest"
  cd "$REPO_ROOT/sdk-python"
  "$VENV/bin/python" -m pytest -q -p no:cacheprovider tests
}

step_wheel() {
  echo "== wheel"
  local scratch
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' RETURN
  "$VENV/bin/python" -m build --wheel --no-isolation --outdir "$scratch/dist" "$REPO_ROOT/sdk-python" >"$scratch/build.log" ||
    { cat "$scratch/build.log"; return 1; }
  python3 -m venv "$scratch/venv"
  pip_install "$scratch/venv/bin/python" "$scratch"/dist/visitorflow-*.whl
  cd "$scratch"
  "$scratch/venv/bin/python" - <<'PY'
import importlib.resources

import visitorflow
from visitorflow import VisitorFlow

client = VisitorFlow(api_key="vfp_test_wheel")
assert str(client.base_url) == "http://127.0.0.1:8080", client.base_url
assert importlib.resources.files("visitorflow").joinpath("py.typed").is_file()
assert visitorflow.__file__ and "site-packages" in visitorflow.__file__, visitorflow.__file__
print(f"installed visitorflow {visitorflow.__version__} from the wheel")
PY
}

main() {
  local steps=("$@")
  [ "${#steps[@]}" -eq 0 ] && steps=(all)
  for step in "${steps[@]}"; do
    case $step in
      all) step_setup; step_lint; step_types; step_tests; step_wheel ;;
      setup | lint | types | tests | wheel) (step_setup >/dev/null; "step_$step") ;;
      *) echo "Unknown step \"$step\": expected setup, lint, types, tests, wheel or all." >&2; exit 2 ;;
    esac
  done
}

main "$@"
