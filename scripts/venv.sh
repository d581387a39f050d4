# Sourced by scripts/demo and scripts/test: a virtual environment inside the clone (.venv),
# toolweave installed into it (editable) with the extras named in $1, and .venv/bin first on
# PATH. Nothing is installed into the system interpreter. Needs Python >= 3.11 as python3
# (or $PYTHON); on Debian without the venv module it installs python3-venv when it can.
# Each install step runs only when its inputs changed (pyproject.toml), so a second run is
# quick.

tw_venv() {
  local extras="$1" root venv python stamp
  root="$(pwd)"
  venv="$root/.venv"
  python="${PYTHON:-python3}"
  command -v "$python" >/dev/null || { echo "toolweave needs $python (Python >= 3.11) on PATH" >&2; return 1; }
  "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
    { echo "toolweave needs Python >= 3.11; $python is $("$python" -V 2>&1)" >&2; return 1; }
  if [ ! -x "$venv/bin/python" ]; then
    if ! "$python" -m venv "$venv" 2>/dev/null; then
      rm -rf "$venv"
      if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
        echo "installing Debian's python3-venv (the venv module is missing)" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv </dev/null >/dev/null ||
          { apt-get update -q </dev/null >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv </dev/null >/dev/null; }
      fi
      "$python" -m venv "$venv" ||
        { echo "cannot create a virtual environment: install your Python's venv module (Debian: python3-venv)" >&2; return 1; }
    fi
  fi
  # Reinstall only when pyproject.toml or the extras changed since the last install.
  stamp="$venv/.toolweave-installed"
  local want
  want="$(cat pyproject.toml; echo "extras=$extras")"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    local target="."
    [ -z "$extras" ] || target=".[$extras]"     # pip refuses an empty ".[]"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -e "$target"
    printf '%s' "$want" >"$stamp"
  fi
  export VIRTUAL_ENV="$venv"
  export PATH="$venv/bin:$PATH"
}
