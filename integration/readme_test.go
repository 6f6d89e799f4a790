package integration_test

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// TestREADMEExamples runs the README's Python and curl examples as written,
// against a quickstart-like server (SQLite, database "odoo"), changing only
// the address to the test server's.
func TestREADMEExamples(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```(python|sh)\n(.*?)```").FindAllStringSubmatch(string(readme), -1)
	var python, curl string
	for _, b := range blocks {
		switch {
		case b[1] == "python" && strings.Contains(b[2], "xmlrpc.client"):
			python = b[2]
		case b[1] == "sh" && strings.HasPrefix(b[2], "curl "):
			curl = b[2]
		}
	}
	if python == "" || curl == "" {
		t.Fatal("the README lost its Python or curl example")
	}

	const password = "Readme-Quickstart-1"
	_, url := quickstart(t, password)
	retarget := func(s string) string { return strings.ReplaceAll(s, "http://127.0.0.1:8069", url) }
	env := append(os.Environ(), "GODOO_PASSWORD="+password)

	cmd := exec.Command("python3", "-c", retarget(python))
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("README Python example failed: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "18.0") || !strings.Contains(string(out), "Ada Lovelace") {
		t.Errorf("README Python example printed:\n%s", out)
	}

	out = []byte(runREADME(t, curl, url, "GODOO_PASSWORD="+password))
	if !strings.Contains(string(out), `"result": [`) || !strings.Contains(string(out), "My Company") {
		t.Errorf("README curl example printed:\n%s", out)
	}
}
