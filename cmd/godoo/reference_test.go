package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestConfigReference: docs/configuration.md is exactly what godoo config
// reference prints from the settings and flag definitions, so the document
// cannot drift from them. After a change, regenerate it:
//
//	go run ./cmd/godoo config reference > docs/configuration.md
func TestConfigReference(t *testing.T) {
	isolate(t)
	got := mustRun(t, "", "config", "reference").stdout
	want, err := os.ReadFile(filepath.Join("..", "..", referencePath))
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != got {
		t.Errorf("%s differs from godoo config reference; regenerate it with\n\tgo run ./cmd/godoo config reference > %s", referencePath, referencePath)
	}
	for _, s := range settings {
		if !strings.Contains(got, "| `"+s.key+"` |") || !strings.Contains(got, s.env) {
			t.Errorf("the reference lacks the setting %s", s.key)
		}
	}
	for _, c := range commands {
		if !strings.Contains(got, "### godoo "+c.path+"\n") {
			t.Errorf("the reference lacks godoo %s", c.path)
		}
		for _, d := range completionFlags(c) {
			if !strings.Contains(got, "`"+mdCell(d.spelling())+"`") {
				t.Errorf("the reference lacks --%s of godoo %s", d.name, c.path)
			}
		}
	}
}

// TestREADMECommandLine: the README's command line section shows the usage
// lines of godoo --help, all of them and as they are.
func TestREADMECommandLine(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)\n## Command line\n.*?```\n(.*?)```").FindSubmatch(readme)
	if m == nil {
		t.Fatal("the README lost its command line section")
	}
	var want strings.Builder
	for _, c := range commands {
		want.WriteString(c.usageLine() + "\n")
	}
	if string(m[1]) != want.String() {
		t.Errorf("the README's command line block is\n%s\nbut the commands are\n%s", m[1], want.String())
	}
}
