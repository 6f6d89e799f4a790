package integration_test

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestCITestCommand checks that the README's test command is exactly the one
// .ci/run and .ci/stress run (readme_tests in .ci/lib.sh), so that CI runs
// what a user runs, with the same default timeout.
func TestCITestCommand(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("Run every test[^\n]*\n\n```sh\n([^\n]*)\n```").FindSubmatch(readme)
	if m == nil {
		t.Fatal("the README lost its test command")
	}
	lib, err := os.ReadFile("../.ci/lib.sh")
	if err != nil {
		t.Fatal(err)
	}
	ci := regexp.MustCompile(`(?m)^readme_tests\(\) \{\n  (.*)\n\}`).FindSubmatch(lib)
	if ci == nil {
		t.Fatal(".ci/lib.sh lost readme_tests")
	}
	if string(m[1]) != string(ci[1]) {
		t.Errorf("the README runs\n\t%s\nbut CI runs\n\t%s", m[1], ci[1])
	}
	if strings.Contains(string(ci[1]), "-timeout") {
		t.Errorf("CI's test command sets its own timeout: %s", ci[1])
	}
	for _, script := range []string{"../.ci/run", "../.ci/stress"} {
		b, err := os.ReadFile(script)
		if err != nil {
			t.Fatal(err)
		}
		if !regexp.MustCompile(`(?m)^\s*(if )?readme_tests\b`).Match(b) || strings.Contains(string(b), "go test -count") {
			t.Errorf("%s does not run readme_tests, or runs go test tests of its own", script)
		}
	}
}
