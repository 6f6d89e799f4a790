package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The repository's container files are for users; no Docker engine runs
// on the development machines or in CI, so these tests read the files
// and check what the image and the compose set-up promise.

func readRepoFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// instruction is one Dockerfile instruction, continuation lines joined.
type instruction struct{ cmd, args string }

func dockerfileStages(text string) [][]instruction {
	var stages [][]instruction
	var line string
	for _, l := range strings.Split(text, "\n") {
		t := strings.TrimSpace(l)
		if line == "" && (t == "" || strings.HasPrefix(t, "#")) {
			continue
		}
		if strings.HasSuffix(t, `\`) {
			line += strings.TrimSuffix(t, `\`) + " "
			continue
		}
		line += t
		cmd, args, _ := strings.Cut(line, " ")
		line = ""
		in := instruction{strings.ToUpper(cmd), strings.TrimSpace(args)}
		if in.cmd == "FROM" {
			stages = append(stages, nil)
		}
		stages[len(stages)-1] = append(stages[len(stages)-1], in)
	}
	return stages
}

// execForm reads a JSON-array instruction argument: ["a", "b"].
func execForm(t *testing.T, what, args string) []string {
	t.Helper()
	if !strings.HasPrefix(args, "[") {
		t.Fatalf("%s is not in exec form: %s", what, args)
	}
	var out []string
	for _, m := range regexp.MustCompile(`"((?:[^"\\]|\\.)*)"`).FindAllStringSubmatch(args, -1) {
		out = append(out, m[1])
	}
	return out
}

// TestDockerfile: the image builds godoo without cgo in a build stage, and
// its final stage runs it as a fixed non-root user, keeps the data
// directory (the default one) in a volume, checks its health with godoo
// healthcheck and carries the OCI labels.
func TestDockerfile(t *testing.T) {
	stages := dockerfileStages(readRepoFile(t, "Dockerfile"))
	if len(stages) < 2 {
		t.Fatalf("the Dockerfile has %d stages, want a build stage and a final one", len(stages))
	}
	build := stages[0]
	if !slices.ContainsFunc(build, func(in instruction) bool {
		return in.cmd == "RUN" && strings.Contains(in.args, "CGO_ENABLED=0") && strings.Contains(in.args, "go build") &&
			strings.Contains(in.args, "./cmd/godoo")
	}) {
		t.Error("the build stage does not build ./cmd/godoo with CGO_ENABLED=0")
	}
	final := stages[len(stages)-1]
	get := func(cmd string) []string {
		var out []string
		for _, in := range final {
			if in.cmd == cmd {
				out = append(out, in.args)
			}
		}
		return out
	}
	one := func(cmd string) string {
		t.Helper()
		v := get(cmd)
		if len(v) != 1 {
			t.Fatalf("the final stage has %d %s instructions, want 1", len(v), cmd)
		}
		return v[0]
	}

	user := one("USER")
	uid, gid, _ := strings.Cut(user, ":")
	if n, err := strconv.Atoi(uid); err != nil || n == 0 {
		t.Errorf("USER %s is not a fixed non-root uid", user)
	}
	if n, err := strconv.Atoi(gid); gid != "" && (err != nil || n == 0) {
		t.Errorf("USER %s has a root or named group", user)
	}

	env := strings.Join(get("ENV"), " ")
	dataDir := regexp.MustCompile(`GODOO_DATA_DIR=(\S+)`).FindStringSubmatch(env)
	if dataDir == nil {
		t.Fatal("the image does not set GODOO_DATA_DIR")
	}
	if vols := execForm(t, "VOLUME", one("VOLUME")); !slices.Contains(vols, dataDir[1]) {
		t.Errorf("VOLUME %v does not hold the data directory %s", vols, dataDir[1])
	}
	if !slices.ContainsFunc(get("COPY"), func(a string) bool {
		return strings.Contains(a, "--chown="+user) && strings.HasSuffix(a, " "+dataDir[1])
	}) {
		t.Errorf("the data directory %s is not copied in owned by %s, so the user could not write the volume", dataDir[1], user)
	}

	entry := execForm(t, "ENTRYPOINT", one("ENTRYPOINT"))
	if len(entry) != 1 || !slices.ContainsFunc(get("COPY"), func(a string) bool { return strings.HasSuffix(a, " "+entry[0]) }) {
		t.Errorf("ENTRYPOINT %v is not the binary the stage copies in", entry)
	}
	if cmd := execForm(t, "CMD", one("CMD")); !slices.Equal(cmd, []string{"serve"}) {
		t.Errorf("CMD %v, want serve", cmd)
	}

	hc := one("HEALTHCHECK")
	_, cmdArgs, ok := strings.Cut(hc, "CMD ")
	if !ok {
		t.Fatalf("HEALTHCHECK %s has no CMD", hc)
	}
	check := execForm(t, "HEALTHCHECK CMD", cmdArgs)
	if len(check) < 2 || check[0] != entry[0] || check[1] != "healthcheck" {
		t.Fatalf("HEALTHCHECK runs %v, want %s healthcheck", check, entry[0])
	}
	checkFlags(t, "healthcheck", check[2:])

	labels := strings.Join(get("LABEL"), " ")
	for _, l := range []string{"org.opencontainers.image.title", "org.opencontainers.image.description", "org.opencontainers.image.version"} {
		if !strings.Contains(labels, l+"=") {
			t.Errorf("the image lacks the label %s", l)
		}
	}
	if !strings.Contains(env, "GODOO_HTTP_ADDR=0.0.0.0:") {
		t.Error("serve does not listen on the container's interfaces")
	}

	ignore := strings.Fields(readRepoFile(t, ".dockerignore"))
	for _, p := range []string{".git", ".env"} {
		if !slices.Contains(ignore, p) {
			t.Errorf(".dockerignore lacks %s", p)
		}
	}
}

// checkFlags fails unless args are flags the command accepts.
func checkFlags(t *testing.T, path string, args []string) {
	t.Helper()
	fs, _ := lookupCommand(path).flags()
	if pos, err := parseArgs(fs, args); err != nil || len(pos) > 0 {
		t.Errorf("godoo %s does not take %v: %v", path, args, err)
	}
}

// yamlPaths reads the block mappings and sequences of a simple YAML file
// (compose's) into paths such as services/db/ports/0, each with its value
// ("" for a mapping).
func yamlPaths(text string) map[string]string {
	type level struct {
		indent int
		key    string
		items  int
	}
	out := map[string]string{}
	var stack []level
	for _, line := range strings.Split(text, "\n") {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		indent := len(line) - len(strings.TrimLeft(line, " "))
		for len(stack) > 0 && stack[len(stack)-1].indent >= indent {
			stack = stack[:len(stack)-1]
		}
		var parts []string
		for _, l := range stack {
			parts = append(parts, l.key)
		}
		var key, value string
		if item, ok := strings.CutPrefix(t, "- "); ok {
			if len(stack) > 0 {
				key = strconv.Itoa(stack[len(stack)-1].items)
				stack[len(stack)-1].items++
			}
			value = item
		} else {
			k, v, _ := strings.Cut(t, ":")
			key, value = k, strings.TrimSpace(v)
		}
		out[strings.Join(append(parts, key), "/")] = value
		if value == "" {
			stack = append(stack, level{indent: indent, key: key})
		}
	}
	return out
}

// TestCompose: docker-compose.yml keeps PostgreSQL inside the compose
// network, holds no secret (each comes from .env, required, with no
// default, and .env.example lists it), runs two godoo instances on the one
// database, each with a health check by godoo healthcheck, and .env stays
// out of git and of the image.
func TestCompose(t *testing.T) {
	paths := yamlPaths(readRepoFile(t, "docker-compose.yml"))
	example := readRepoFile(t, ".env.example")
	if _, ok := paths["services/db"]; !ok {
		t.Fatal("docker-compose.yml has no db service")
	}
	if _, ok := paths["services/db/ports"]; ok {
		t.Error("the db service publishes ports outside the compose network")
	}
	if !strings.Contains(paths["services/db/healthcheck/test"], "pg_isready") {
		t.Error("the db service has no pg_isready health check")
	}
	required := regexp.MustCompile(`^\$\{(\w+):\?[^}]+\}$`)
	var instances []string
	for p, v := range paths {
		parts := strings.Split(p, "/")
		if len(parts) == 4 && parts[2] == "environment" && strings.Contains(parts[3], "PASSWORD") {
			m := required.FindStringSubmatch(v)
			if m == nil {
				t.Errorf("%s = %q is not a required variable of .env (${NAME:?message})", p, v)
				continue
			}
			if !regexp.MustCompile(`(?m)^` + m[1] + `=$`).MatchString(example) {
				t.Errorf(".env.example does not list %s, empty", m[1])
			}
		}
		if len(parts) == 3 && parts[2] == "build" {
			instances = append(instances, parts[1])
		}
	}
	if len(instances) < 2 {
		t.Errorf("docker-compose.yml builds godoo for %v, want two instances", instances)
	}
	for _, s := range instances {
		test := paths["services/"+s+"/healthcheck/test"]
		check := execForm(t, s+" healthcheck", test)
		if len(check) < 3 || check[0] != "CMD" || check[2] != "healthcheck" {
			t.Errorf("%s's health check runs %v, want godoo healthcheck", s, check)
			continue
		}
		checkFlags(t, "healthcheck", check[3:])
		if paths["services/"+s+"/environment/GODOO_DB_HOST"] != "db" {
			t.Errorf("%s does not use the db service", s)
		}
	}
	for _, f := range []string{".gitignore", ".dockerignore"} {
		if !slices.Contains(strings.Fields(readRepoFile(t, f)), ".env") {
			t.Errorf("%s does not keep .env out", f)
		}
	}
}
