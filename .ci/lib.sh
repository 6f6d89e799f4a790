# Shared by .ci/run and .ci/stress; sourced, not run.

# start_postgres starts the local PostgreSQL cluster when nothing answers on
# 127.0.0.1:5432, and waits until it does.
start_postgres() {
  if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
    echo "starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
    for _ in $(seq 1 30); do
      pg_isready -h 127.0.0.1 -p 5432 -q && break
      sleep 1
    done
  fi
  pg_isready -h 127.0.0.1 -p 5432
}

# readme_tests runs the README's test command, exactly as the README shows
# it (integration/ci_test.go checks that the two agree).
readme_tests() {
  GODOO_TEST_DSN='postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable' go test -count=1 ./...
}

# ensure_commands installs, with apt-get, the Debian package of each
# command:package pair whose command is missing, so that the tests that
# use it run instead of skipping (the completion tests run zsh and fish).
ensure_commands() {
  local missing=()
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "installing ${missing[*]}"
    if ! { DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null ||
      { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null; }; }; then
      echo "could not install ${missing[*]}; the tests that need them say so and skip"
    fi
  fi
}
