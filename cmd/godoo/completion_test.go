package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// completionWords are every word a completion script must offer:
// commands, subcommands, flags, their values and arguments.
func completionWords() []string {
	out := topWords()
	for _, c := range commands {
		out = append(out, strings.Fields(c.path)...)
		out = append(out, c.argValues...)
		for _, d := range completionFlags(c) {
			out = append(out, d.name)
			if d.short != "" {
				out = append(out, d.short)
			}
			out = append(out, d.choices...)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// TestCompletionScripts: each shell's script names every command,
// subcommand, flag and value, and its shell reads it without error when it
// is installed.
func TestCompletionScripts(t *testing.T) {
	isolate(t)
	for _, shell := range []struct{ name, check string }{{"bash", "bash -n"}, {"zsh", "zsh -n"}, {"fish", "fish -n"}} {
		t.Run(shell.name, func(t *testing.T) {
			script := mustRun(t, "", "completion", shell.name).stdout
			for _, w := range completionWords() {
				if !strings.Contains(script, w) {
					t.Errorf("the %s script lacks %q", shell.name, w)
				}
			}
			args := strings.Fields(shell.check)
			if _, err := exec.LookPath(args[0]); err != nil {
				t.Logf("%s is not installed: its syntax check is not run", args[0])
				return
			}
			path := filepath.Join(t.TempDir(), "godoo."+shell.name)
			if err := os.WriteFile(path, []byte(script), 0o600); err != nil {
				t.Fatal(err)
			}
			if out, err := exec.Command(args[0], append(args[1:], path)...).CombinedOutput(); err != nil {
				t.Errorf("%s rejects the script: %v\n%s", shell.check, err, out)
			}
		})
	}
}

// completionCases are command lines, the word being completed last, and
// what completing it must and must not offer.
var completionCases = []struct {
	line      string
	want, not []string
}{
	{"godoo ", []string{"serve", "db", "user", "apikey", "bench", "healthcheck", "config", "completion", "version"}, nil},
	{"godoo db cr", []string{"create"}, []string{"list", "drop"}},
	{"godoo db create --d", []string{"--data-dir", "--db-url", "--demo"}, []string{"--db", "--http-addr"}},
	{"godoo db list --", []string{"--data-dir", "--db-url", "--log-level", "--config"}, []string{"--admin-password", "--demo"}},
	{"godoo serve --log-level w", []string{"warn", "warning"}, []string{"info"}},
	{"godoo serve --proxy-mode ", []string{"True", "False"}, nil},
	{"godoo apikey list --kind ", []string{"native", "header"}, nil},
	{"godoo apikey create --ex", []string{"--expires"}, nil},
	{"godoo completion ", []string{"bash", "zsh", "fish"}, nil},
	{"godoo config ", []string{"reference"}, nil},
}

// TestBashCompletion runs the bash script as bash's completion would.
func TestBashCompletion(t *testing.T) {
	isolate(t)
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed")
	}
	script := filepath.Join(t.TempDir(), "godoo.bash")
	if err := os.WriteFile(script, []byte(mustRun(t, "", "completion", "bash").stdout), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range completionCases {
		t.Run(tc.line, func(t *testing.T) {
			words := strings.Split(tc.line, " ")
			var quoted []string
			for _, w := range words {
				quoted = append(quoted, "'"+w+"'")
			}
			prog := `source "$1"; COMP_WORDS=(` + strings.Join(quoted, " ") + `); COMP_CWORD=$((${#COMP_WORDS[@]}-1)); _godoo; printf '%s\n' "${COMPREPLY[@]}"`
			out, err := exec.Command("bash", "-c", prog, "bash", script).CombinedOutput()
			if err != nil {
				t.Fatalf("bash: %v\n%s", err, out)
			}
			checkOffered(t, strings.Fields(string(out)), tc.want, tc.not)
		})
	}
}

// TestFishCompletion asks fish itself (complete -C) what the fish script
// offers, where fish is installed.
func TestFishCompletion(t *testing.T) {
	isolate(t)
	if _, err := exec.LookPath("fish"); err != nil {
		t.Skip("fish is not installed: its completion cannot be run")
	}
	script := filepath.Join(t.TempDir(), "godoo.fish")
	if err := os.WriteFile(script, []byte(mustRun(t, "", "completion", "fish").stdout), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range completionCases {
		t.Run(tc.line, func(t *testing.T) {
			out, err := exec.Command("fish", "--no-config", "-c", `source $argv[1]; complete -C $argv[2]`, script, tc.line).CombinedOutput()
			if err != nil {
				t.Fatalf("fish: %v\n%s", err, out)
			}
			var offered []string
			for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
				w, _, _ := strings.Cut(line, "\t")
				offered = append(offered, w)
			}
			checkOffered(t, offered, tc.want, tc.not)
		})
	}
}

func checkOffered(t *testing.T, offered, want, not []string) {
	t.Helper()
	for _, w := range want {
		if !slices.Contains(offered, w) {
			t.Errorf("%q is not offered: %q", w, offered)
		}
	}
	for _, w := range not {
		if slices.Contains(offered, w) {
			t.Errorf("%q is offered: %q", w, offered)
		}
	}
}
