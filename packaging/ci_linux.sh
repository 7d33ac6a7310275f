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
# The frozen runs use throw-away data and config folders and no real keyring.
export AGENT_DESKTOP_DATA_DIR=$OUT/data AGENT_DESKTOP_CONFIG_DIR=$OUT/config
export PYTHON_KEYRING_BACKEND=keyring.backends.null.Keyring

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
if ! "$PY" packaging/build.py --linux-only >"$OUT/build.log" 2>&1; then
  tail -40 "$OUT/build.log" >&2
  fail "packaging/build.py failed (full log: $OUT/build.log)"
fi
grep -vE '^[0-9]+ (INFO|WARNING): ' "$OUT/build.log" | grep -v '^\[build\] \$' || true
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

step "frozen --demo --screenshot"
shot() {  # shot LABEL COMMAND... → seconds from start to the saved screenshot of data
  local label=$1; shift
  local png=$OUT/$label.png s0 rc
  rm -rf "$OUT/data" "$OUT/config"
  s0=$(date +%s.%N)
  set +e
  timeout 300 "$@" --demo --screenshot "$png" >"$OUT/$label.log" 2>&1
  rc=$?
  set -e
  if [ $rc != 0 ] || [ ! -s "$png" ]; then
    tail -20 "$OUT/$label.log" >&2
    fail "$label: --demo --screenshot failed (exit $rc)"
  fi
  python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$s0" "$(date +%s.%N)"
}
FROZEN_SHOT=$(shot frozen "$EXE")
UNFROZEN_SHOT=$(shot unfrozen "$PY" -m agent_desktop)

step "Windows installer script (makensis /DDRYRUN against the bundle's layout)"
"$PY" packaging/build.py --check-nsis "$ROOT/dist/AgentDesktop" || fail "installer.nsi does not compile"

step "sizes"
TGZ=$(ls dist/agent-desktop-*-linux-*.tar.gz)
DEB=$(ls dist/agent-desktop_*.deb)
BUNDLE_MB=$(du -sm dist/AgentDesktop | cut -f1)
TGZ_MB=$(( $(stat -c %s "$TGZ") / 1000000 ))
DEB_MB=$(( $(stat -c %s "$DEB") / 1000000 ))
dpkg-deb --info "$DEB" >/dev/null || fail "the .deb is not readable"
dpkg-deb --contents "$DEB" | grep -q './usr/share/applications/agent-desktop.desktop' || fail ".deb has no .desktop file"
dpkg-deb --contents "$DEB" | grep -q './usr/bin/agent-desktop -> /opt/agent-desktop/agent-desktop' || fail ".deb has no /usr/bin symlink"
cat <<EOF
packaging summary:
  bundle folder       ${BUNDLE_MB} MB   dist/AgentDesktop
  .tar.gz             ${TGZ_MB} MB   $TGZ  (target <= 90 MB)
  .deb                ${DEB_MB} MB   $DEB
  build               ${BUILD_SECONDS} s
  frozen self-test    ${SELFTEST_SECONDS} s
  --demo --screenshot frozen ${FROZEN_SHOT} s, unfrozen ${UNFROZEN_SHOT} s (start to first painted data)
  total               $(( $(date +%s) - T0 )) s
EOF
[ "$TGZ_MB" -le 90 ] || fail "the .tar.gz is ${TGZ_MB} MB, over the 90 MB target"
echo "packaging: OK"
