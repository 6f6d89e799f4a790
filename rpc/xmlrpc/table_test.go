package xmlrpc_test

import (
	"strconv"
	"testing"

	"github.com/godoo/godoo/rpc/rpctest"
	"github.com/godoo/godoo/rpc/xmlrpc"
)

// TestTableTemplates checks that the XML-RPC table templates are shared
// per set of names, told apart by the names themselves, and bounded.
func TestTableTemplates(t *testing.T) {
	a, _ := xmlrpc.TableTemplateOf([]string{"id", "name"})
	b, _ := xmlrpc.TableTemplateOf([]string{"id", "name"})
	c, _ := xmlrpc.TableTemplateOf([]string{"id", "nam", "e"})
	if a != b {
		t.Error("the same names got two templates")
	}
	if a == c {
		t.Error("other names got the same template")
	}
	peak := 0
	for i := range 5000 {
		_, n := xmlrpc.TableTemplateOf([]string{"id", "field_" + strconv.Itoa(i), "name"})
		peak = max(peak, n)
	}
	if peak > xmlrpc.MaxTableTemplateBytes {
		t.Fatalf("the template cache grew to %d bytes, past its bound of %d", peak, xmlrpc.MaxTableTemplateBytes)
	}
	// Encoding stays right whatever the cache holds.
	recs := rpctest.SearchReadRecords(3)
	if got, want := encode(t, rpctest.TableOf(recs)), encode(t, recs); got != want {
		t.Fatalf("after the cache was emptied:\n%s\nwant\n%s", got, want)
	}
}
