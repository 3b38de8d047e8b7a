#!/usr/bin/env bash
# Runs the curl examples between the readme-examples markers of README.md against a fresh authd
# and checks that each prints the status line written under it ("# HTTP/1.1 201 Created").
# Usage: readme_examples.sh path/to/authd path/to/README.md
set -eu
binary=$(realpath "$1")
readme=$(realpath "$2")
work=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work"  # no stray .env is read, and cookies.txt lands here

# A clean environment, as the C++ harness uses; sanitizer settings pass through.
env -i PATH="$PATH" ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
  AUTHD_HOST=127.0.0.1 AUTHD_PORT=0 AUTHD_DATA_DIR="$work/data" AUTHD_LOG_LEVEL=info \
  AUTHD_ARGON2_MEMORY_KIB=1024 AUTHD_ARGON2_ITERATIONS=1 "$binary" serve >"$work/authd.log" 2>&1 &
pid=$!

port=""
for _ in $(seq 300); do  # up to about 15 s
  port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$work/authd.log" | head -n 1)
  [ -n "$port" ] && break
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "authd exited before listening:"
    cat "$work/authd.log"
    exit 1
  fi
  sleep 0.05
done
if [ -z "$port" ]; then
  echo "authd did not log where it listens:"
  cat "$work/authd.log"
  exit 1
fi
base="http://127.0.0.1:$port"

# A hang guard, not a speed check: the examples themselves run exactly as printed.
curl() { command curl --max-time 60 "$@"; }

run=0
failed=0
command=""
while IFS= read -r line; do
  case "$line" in
    '# HTTP/'*)
      expected=${line#'# '}
      output=$(eval "${command//http:\/\/localhost:8000/$base}" 2>&1 || true)
      actual=$(printf '%s\n' "$output" | head -n 1 | tr -d '\r')
      run=$((run + 1))
      if [ "$actual" != "$expected" ]; then
        failed=$((failed + 1))
        printf 'FAIL: %s\n  expected: %s\n  got: %s\n' "$command" "$expected" "$actual"
      fi
      command=""
      ;;
    curl\ *|' '*)
      if [ -n "$command" ] || [ "${line#curl }" != "$line" ]; then
        line=${line%\\}
        command="$command${line# } "
      fi
      ;;
  esac
done < <(sed -n '/<!-- readme-examples:begin -->/,/<!-- readme-examples:end -->/p' "$readme")

kill -TERM "$pid"
status=0
wait "$pid" || status=$?
pid=""
if [ "$status" -ne 0 ]; then
  echo "authd exited with status $status after SIGTERM"
  failed=$((failed + 1))
fi

if [ "$run" -eq 0 ]; then
  echo "no examples found between the readme-examples markers of $readme"
  exit 1
fi
echo "$((run - failed)) of $run README examples printed their status line"
[ "$failed" -eq 0 ]
