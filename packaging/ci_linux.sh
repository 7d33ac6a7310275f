#!/usr/bin/env bash
# Linux packaging CI: build the bundle (.tar.gz and .deb), run the FROZEN self-test and a frozen
# `--demo --screenshot`, and compile the Windows installer script with makensis as a check.
# Idempotent (re-running rebuilds in place); fails loudly; prints its timings and sizes.
# Called by .ci/run; by hand: `bash packaging/ci_linux.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
T0=$(date +%s)
step() { printf '\n== packaging: %s (%ss)\n' "$1" "$(( $(date +%s) - T0 ))"; }
fail() { printf '\n!! packaging FAILED: %s\n' "$1" >&2; exit 1; }

export QT_QPA_PLATFORM=offscreen
export QT_LOGGING_RULES="qt.qpa.*=false"
OUT=$ROOT/build/ci
rm -rf "$OUT"
mkdir -p "$OUT"
# The frozen runs use throw-away data and config folders (the self-test also keeps its
# children off the real keyring; the screenshot runs below get the null keyring).
export AGENT_DESKTOP_DATA_DIR=$OUT/data AGENT_DESKTOP_CONFIG_DIR=$OUT/config
NULL_KEYRING=keyring.backends.null.Keyring

step "environment"
if [ ! -x .venv/bin/python ]; then
  python3 -c 'import sys; sys.path.insert(0, "."); import run; run.ensure_env()'
fi
PY=$ROOT/.venv/bin/python
# The `build` extra (PyInstaller, pinned in pyproject.toml).
WANT=$("$PY" -c 'import tomllib; d = tomllib.load(open("pyproject.toml", "rb")); print(" ".join(d["project"]["optional-dependencies"]["build"]))')
if ! "$PY" -c 'import sys, importlib.metadata as m; want = dict(r.split("==") for r in sys.argv[1:]); sys.exit(any(m.version(k) != v for k, v in want.items()))' $WANT 2>/dev/null; then
  "$PY" -m pip install -q $WANT || fail "could not install $WANT"
fi
if ! command -v makensis >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && apt-get install -y -qq nsis >/dev/null) || fail "apt-get install nsis failed"
  else
    fail "makensis is missing: apt-get install nsis"
  fi
fi
command -v dpkg-deb >/dev/null || fail "dpkg-deb is missing"

step "build (packaging/build.py --linux-only)"
B0=$(date +%s)
if [ "${PACKAGING_REUSE_BUNDLE:-0}" = 1 ] && [ -x dist/AgentDesktop/agent-desktop ]; then
  echo "PACKAGING_REUSE_BUNDLE=1: testing the bundle already in dist/"
elif ! "$PY" packaging/build.py --linux-only >"$OUT/build.log" 2>&1; then
  tail -40 "$OUT/build.log" >&2
  fail "packaging/build.py failed (full log: $OUT/build.log)"
else
  grep -vE '^[0-9]+ (INFO|WARNING): ' "$OUT/build.log" | grep -v '^\[build\] \$' || true
fi
BUILD_SECONDS=$(( $(date +%s) - B0 ))
EXE=$ROOT/dist/AgentDesktop/agent-desktop
[ -x "$EXE" ] || fail "no frozen executable at $EXE"

step "frozen --self-test"
S0=$(date +%s)
set +e
timeout 600 "$EXE" --self-test --output "$OUT/selftest.json" >"$OUT/selftest.stdout" 2>"$OUT/selftest.stderr"
RC=$?
set -e
cat "$OUT/selftest.json" 2>/dev/null || cat "$OUT/selftest.stdout"
SELFTEST_SECONDS=$(( $(date +%s) - S0 ))
if [ $RC != 0 ]; then
  tail -20 "$OUT/selftest.stderr" >&2
  fail "the frozen self-test failed (exit $RC)"
fi

step "frozen and unfrozen --screenshot (start-up timings)"
shot() {  # shot LABEL COMMAND... → seconds from start to the saved screenshot of data
  local label=$1; shift
  local png=$OUT/$label.png s0 rc
  rm -rf "$OUT/data" "$OUT/config"
  s0=$(date +%s.%N)
  set +e
  PYTHON_KEYRING_BACKEND=$NULL_KEYRING timeout 300 "$@" --screenshot "$png" >"$OUT/$label.log" 2>&1
  rc=$?
  set -e
  if [ $rc != 0 ] || [ ! -s "$png" ]; then
    tail -20 "$OUT/$label.log" >&2
    fail "$label: --screenshot failed (exit $rc)"
  fi
  python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$s0" "$(date +%s.%N)"
}
# Whole start: the embedded demo server (seeded on the spot), sign-in, first painted data.
FROZEN_SHOT=$(shot frozen "$EXE" --demo)
UNFROZEN_SHOT=$(shot unfrozen "$PY" -m agent_desktop --demo)
# The client alone: both builds against one running demo server (the frozen one).
PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
AGENT_DESKTOP_DATA_DIR=$OUT/server "$EXE" --internal-server --demo --simulate 0 --host 127.0.0.1 --port "$PORT" >"$OUT/server.log" 2>&1 &
SERVER_PID=$!
trap 'kill $SERVER_PID 2>/dev/null || true' EXIT
healthy() { "$PY" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "http://127.0.0.1:$PORT/api/v1/health" 2>/dev/null; }
for _ in $(seq 1 240); do
  healthy && break
  kill -0 $SERVER_PID 2>/dev/null || { cat "$OUT/server.log" >&2; fail "the frozen --internal-server exited"; }
  sleep 0.5
done
healthy || fail "the frozen --internal-server did not answer"
FROZEN_CLIENT=$(shot frozen-client "$EXE" --demo-url "http://127.0.0.1:$PORT")
UNFROZEN_CLIENT=$(shot unfrozen-client "$PY" -m agent_desktop --demo-url "http://127.0.0.1:$PORT")
kill $SERVER_PID 2>/dev/null || true
wait $SERVER_PID 2>/dev/null || true
trap - EXIT

step "Windows installer script (makensis /DDRYRUN against the bundle's layout)"
"$PY" packaging/build.py --check-nsis "$ROOT/dist/AgentDesktop" || fail "installer.nsi does not compile"

step "sizes"
TGZ=$(ls dist/agent-desktop-*-linux-*.tar.gz)
DEB=$(ls dist/agent-desktop_*.deb)
BUNDLE_MB=$(du -sm dist/AgentDesktop | cut -f1)
TGZ_MB=$(( $(stat -c %s "$TGZ") / 1000000 ))
DEB_MB=$(( $(stat -c %s "$DEB") / 1000000 ))
dpkg-deb --info "$DEB" >/dev/null || fail "the .deb is not readable"
dpkg-deb --contents "$DEB" >"$OUT/deb-contents.txt" || fail "the .deb's contents are not readable"
grep -q './usr/share/applications/agent-desktop.desktop' "$OUT/deb-contents.txt" || fail ".deb has no .desktop file"
grep -q './usr/share/icons/hicolor/256x256/apps/agent-desktop.png' "$OUT/deb-contents.txt" || fail ".deb has no hicolor icons"
grep -q './usr/bin/agent-desktop -> /opt/agent-desktop/agent-desktop' "$OUT/deb-contents.txt" || fail ".deb has no /usr/bin symlink"
grep -q './opt/agent-desktop/_internal/' "$OUT/deb-contents.txt" || fail ".deb has no bundle in /opt/agent-desktop"
# The .deb's payload runs from where it lands (extracted, not installed: CI keeps the system as is).
dpkg-deb -x "$DEB" "$OUT/deb-root"
"$OUT/deb-root/opt/agent-desktop/agent-desktop" --self-test --only qt_plugins translations tls >"$OUT/deb-selftest.json" \
  || { cat "$OUT/deb-selftest.json"; fail "the .deb's agent-desktop does not pass its self-test"; }
rm -rf "$OUT/deb-root"
cat <<EOF
packaging summary:
  bundle folder       ${BUNDLE_MB} MB   dist/AgentDesktop
  .tar.gz             ${TGZ_MB} MB   $TGZ  (target <= 90 MB)
  .deb                ${DEB_MB} MB   $DEB
  build               ${BUILD_SECONDS} s
  frozen self-test    ${SELFTEST_SECONDS} s
  start to first painted data (--screenshot, includes ~0.8 s of settling):
    --demo (server seeded too)   frozen ${FROZEN_SHOT} s, unfrozen ${UNFROZEN_SHOT} s
    client on a running server   frozen ${FROZEN_CLIENT} s, unfrozen ${UNFROZEN_CLIENT} s
  total               $(( $(date +%s) - T0 )) s
EOF
[ "$TGZ_MB" -le 90 ] || fail "the .tar.gz is ${TGZ_MB} MB, over the 90 MB target"
echo "packaging: OK"
