package rpc_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/rpc"
)

var update = flag.Bool("update", false, "rewrite the golden files of the error table")

// kindNames name the kinds in the golden files' names.
var kindNames = map[models.Kind]string{
	models.KindInternal:     "internal",
	models.KindUser:         "user",
	models.KindValidation:   "validation",
	models.KindMissing:      "missing",
	models.KindAccess:       "access",
	models.KindAccessDenied: "access_denied",
	models.KindRetryable:    "retryable",
	models.KindServer:       "server",
	models.KindNotFound:     "not_found",
}

// protocols are the answers the error table gives.
var protocols = []string{"xmlrpc", "legacy", "jsonrpc", "web", "route", "json2"}

// TestErrorTable renders every row of the error table (each kind, and
// each kind with each of its reasons) on every protocol, and compares the
// answers, status, headers and body, with the golden files in
// testdata/errors. Rows with a reason are rendered with the reason's own
// text and with a message of the error's (the login cool-down's way).
func TestErrorTable(t *testing.T) {
	rows := rpc.ErrorTable()
	slices.SortFunc(rows, func(a, b models.Error) int {
		return int(a.Kind-b.Kind)*100 + int(a.Reason-b.Reason)
	})
	for _, r := range rows {
		name := kindNames[r.Kind]
		if name == "" {
			t.Fatalf("kind %d has no name in the test", r.Kind)
		}
		if r.Reason != models.ReasonNone {
			name += "-" + strings.NewReplacer(" ", "_", "'", "").Replace(r.Reason.String())
		}
		t.Run(name, func(t *testing.T) {
			var b strings.Builder
			variants := []string{"Bad <value> & \"quotes\" \x01é"}
			if r.Reason != models.ReasonNone {
				variants = []string{"", "Too many login failures, please wait a bit before trying again."}
			}
			for _, msg := range variants {
				e := &models.Error{Kind: r.Kind, Reason: r.Reason, Message: msg}
				if r.Kind == models.KindServer {
					e.Name = "builtins.TypeError"
				}
				for _, p := range protocols {
					rec := rpc.ErrorAnswer(p, e, "search_read", "0123456789ab")
					fmt.Fprintf(&b, "== %s, message %q\n%d\n", p, msg, rec.Code)
					for _, h := range []string{"Content-Type", "Www-Authenticate", "Cache-Control", "X-Content-Type-Options"} {
						if v := rec.Header().Get(h); v != "" {
							fmt.Fprintf(&b, "%s: %s\n", h, v)
						}
					}
					fmt.Fprintf(&b, "%s\n\n", rec.Body.String())
				}
			}
			path := filepath.Join("testdata", "errors", name+".txt")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to write it)", err)
			}
			if got := b.String(); got != string(want) {
				t.Errorf("answers differ from %s:\n%s", path, got)
			}
		})
	}
}

// TestErrorTableComplete checks that the table has a row for every kind
// and for every reason, so that no error can fall through to an answer
// nobody chose.
func TestErrorTableComplete(t *testing.T) {
	kinds := map[models.Kind]bool{}
	reasons := map[models.Reason]bool{}
	for _, r := range rpc.ErrorTable() {
		if r.Reason == models.ReasonNone {
			kinds[r.Kind] = true
		}
		reasons[r.Reason] = true
	}
	for k := range kindNames {
		if !kinds[k] {
			t.Errorf("no row for kind %s", kindNames[k])
		}
	}
	if len(kinds) != len(kindNames) {
		t.Errorf("%d kinds in the table, %d known to the test", len(kinds), len(kindNames))
	}
	for _, r := range models.Reasons() {
		if r.String() == models.ReasonNone.String() {
			t.Errorf("reason %d has no name in models.Reason.String", int(r))
		}
		if !reasons[r] {
			t.Errorf("no row for reason %q", r)
		}
	}
}

// TestKeyErrorTexts checks that a KeyError reads as Python's: its key
// itself as the JSON-RPC message, its repr in a traceback, whether the
// key is a string or None.
func TestKeyErrorTexts(t *testing.T) {
	cases := []struct {
		name      string
		key       any
		xml, json string
	}{
		{"string key", "child_of", "KeyError: 'child_of'\n", `"message": "child_of"`},
		{"None", nil, "KeyError: None\n", `"message": "None"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := rpc.ErrorAnswer("xmlrpc", models.KeyError(tc.key), "search", "").Body.String(); !strings.Contains(got, tc.xml) {
				t.Errorf("XML-RPC fault %s lacks %q", got, tc.xml)
			}
			if got := rpc.ErrorAnswer("jsonrpc", models.KeyError(tc.key), "search", "").Body.String(); !strings.Contains(got, tc.json) {
				t.Errorf("JSON-RPC error %s lacks %q", got, tc.json)
			}
		})
	}
}
