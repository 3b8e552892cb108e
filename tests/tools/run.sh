#!/usr/bin/env bash
# One entry point for people and CI:
#   bash tests/tools/run.sh serve   build and serve the app at http://127.0.0.1:8080/
#   bash tests/tools/run.sh test    run every test (native Rust, then browser tests)
#   bash tests/tools/run.sh build   build the static site into dist/
#   bash tests/tools/run.sh bench   benchmark against the anchor pages in bench/ (writes BENCHMARKS.md)
#   bash tests/tools/run.sh soak    the leak soak test (tests/soak/soak.mjs; a few minutes, not in `test`)
# Each installs what is missing and skips what is present (versions are checked).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/[^0-9.]/,""); print; exit}' Cargo.lock)
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "Installing Debian packages: ${missing[*]}"
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

setup_node() {
  local stamp=node_modules/.am-lock-stamp
  if [ -f "$stamp" ] && cmp -s package-lock.json "$stamp"; then return 0; fi
  say "Installing npm packages (Leaflet, wasm-opt, Playwright)"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
}

# Rust for wasm32: rustup's target where it exists, else Debian's rustc-web with build-std
# (rustup cannot download the wasm32 std on these machines; see ../shared/TOOLCHAIN.md).
setup_wasm_rust() {
  if command -v rustup >/dev/null 2>&1 && rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    WASM_ENV=()
    return 0
  fi
  apt_install rustc-web cargo-web rust-web-src rust-web-llvm lld-22 rust-web-clippy
  WASM_ENV=(PATH="/usr/bin:$PATH" RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort RUSTC=/usr/bin/rustc)
}

setup_tools() {
  if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
    say "Installing trunk $TRUNK_VERSION (about 12 minutes, once)"
    cargo install --locked trunk --version "$TRUNK_VERSION"
  fi
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
    say "Installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
    # Not --locked: one of its locked dependencies is no longer on the registry.
    cargo install --force wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
  fi
}

setup() {
  setup_node
  setup_wasm_rust
  setup_tools
}

# Trunk runs cargo with --offline (Trunk.toml), so the crates of the app and, with
# build-std, of the standard library must be downloaded first: this does that (and
# compiles, which Trunk then reuses).
prefetch() {
  env "${WASM_ENV[@]}" cargo build --quiet --release --target wasm32-unknown-unknown --bin activity-map
  # The build step Trunk's hook runs to split the wasm (tests/tools/split-wasm.mjs): a
  # host program, so built without the wasm toolchain's settings.
  cargo build --quiet --release -p wasm-split-step
}

build() {
  say "Building the app (release)"
  prefetch
  env "${WASM_ENV[@]}" trunk build --release
  local wasm
  for wasm in dist/*.wasm; do
    printf '%s: %s bytes raw, %s bytes gzip\n' "$wasm" "$(stat -c %s "$wasm")" "$(gzip -9c "$wasm" | wc -c)"
  done
}

# The benchmark's own npm packages (bench/package-lock.json: Leaflet.markercluster, supercluster).
setup_bench_node() {
  local stamp=bench/node_modules/.am-lock-stamp
  if [ -f "$stamp" ] && cmp -s bench/package-lock.json "$stamp"; then return 0; fi
  say "Installing the benchmark's npm packages (bench/)"
  (cd bench && npm ci --no-audit --no-fund --loglevel=error)
  cp bench/package-lock.json "$stamp"
}

# Feeds for the benchmark, made once by genfeed (deterministic: same count and seed, same bytes).
bench_feeds() {
  mkdir -p bench/feeds
  local n
  # 3000: about as many events as parkrun lists (the Lighthouse runs use it).
  for n in 1000 3000 10000 100000; do
    [ -s "bench/feeds/feed-$n.json" ] && continue
    say "Generating bench/feeds/feed-$n.json"
    cargo run --release --quiet --bin genfeed -- --count "$n" --seed 1 --out "bench/feeds/feed-$n.json.part"
    mv "bench/feeds/feed-$n.json.part" "bench/feeds/feed-$n.json"
  done
}

case "${1:-}" in
  serve)
    setup
    prefetch
    say "Serving at http://127.0.0.1:8080/ (Ctrl-C to stop)"
    exec env "${WASM_ENV[@]}" trunk serve --release
    ;;
  build)
    setup
    build
    ;;
  test)
    setup
    # A font with Urdu's letters: the right-to-left tests measure laid-out text.
    apt_install chromium fonts-noto-core
    say "Format and lints (cargo fmt, clippy for the host and for wasm32)"
    cargo fmt --check
    cargo clippy --quiet --workspace --all-targets -- -D warnings
    env "${WASM_ENV[@]}" cargo clippy --quiet --target wasm32-unknown-unknown --release --bin activity-map -- -D warnings
    say "Native tests (cargo test, then the doc tests)"
    mkdir -p target
    cargo test --workspace --all-targets 2>&1 | tee target/cargo-test.log
    # --all-targets leaves out the doc tests; appended to the same log, so the summary counts them.
    cargo test --workspace --doc 2>&1 | tee -a target/cargo-test.log
    build
    say "Browser tests (Playwright + Chromium)"
    set +e
    npx playwright test
    status=$?
    set -e
    node tests/tools/summary.mjs target/cargo-test.log target/playwright-results.json
    exit $status
    ;;
  bench)
    setup
    apt_install chromium
    build
    bench_feeds
    setup_bench_node
    say "Benchmark (about 25 minutes, Lighthouse included; progress below)"
    node bench/run.mjs "${@:2}"
    ;;
  bench-pack)
    setup
    apt_install chromium
    build
    say "Pack benchmark (a tiled feed of 1,000,000; a few minutes; writes target/bench/pack.md)"
    node bench/pack.mjs "${@:2}"
    ;;
  soak)
    setup
    apt_install chromium
    build
    say "Soak test (widget remounts and a scripted session; a few minutes)"
    node tests/soak/soak.mjs "${@:2}"
    ;;
  *)
    echo "usage: bash tests/tools/run.sh serve|build|test|bench|bench-pack|soak" >&2
    exit 2
    ;;
esac
