# Shared by .ci/run and .ci/stress; sourced, not run.

# readme_tests runs the README's test command, exactly as the README shows
# it (integration/ci_test.go checks that the two agree).
readme_tests() {
  GODOO_TEST_DSN=private go test -count=1 ./...
}

# ensure_commands installs, with apt-get, the Debian package of each
# command:package pair whose command is missing, so that the tests that
# use it run instead of skipping (the completion tests run zsh and fish,
# GODOO_TEST_DSN=private runs initdb and postgres). A command counts as
# present on the PATH or in /usr/lib/postgresql/<version>/bin, where
# Debian keeps the PostgreSQL server's programs and where
# models/storetest/sharedpg looks for them.
ensure_commands() {
  local missing=() cmd
  for pair in "$@"; do
    cmd=${pair%%:*}
    command -v "$cmd" >/dev/null 2>&1 || compgen -G "/usr/lib/postgresql/*/bin/$cmd" >/dev/null ||
      missing+=("${pair#*:}")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "installing ${missing[*]}"
    if ! { DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null ||
      { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null; }; }; then
      echo "could not install ${missing[*]}; the tests that need them say so and skip"
    fi
  fi
}
