package xmlrpc_test

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	kolo "github.com/kolo/xmlrpc"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/rpc/rpctest"
	"github.com/godoo/godoo/rpc/xmlrpc"
)

// checkDecodeLikeEncodingXML decodes doc with DecodeMethodCall and with the
// encoding/xml decoder alone, and fails unless both give the same method
// and params, or the same error. It also checks the fast parser on its own:
// when it accepts doc, encoding/xml must accept it with the same result.
// It reports whether the fast parser and encoding/xml accepted doc.
func checkDecodeLikeEncodingXML(t *testing.T, doc []byte) (fast, valid bool) {
	t.Helper()
	const maxDepth = 8
	wantMethod, wantParams, wantErr := xmlrpc.DecodeMethodCallXML(bytes.NewReader(doc), maxDepth)
	fastMethod, fastParams, fast := xmlrpc.ParseMethodCallFast(doc, maxDepth)
	valid = wantErr == nil
	if fast && (wantErr != nil || fastMethod != wantMethod || !sameValue(fastParams, wantParams)) {
		t.Fatalf("fast parser accepted %q as %q %#v; encoding/xml gives %q %#v, %v", doc, fastMethod, fastParams, wantMethod, wantParams, wantErr)
	}
	method, params, err := xmlrpc.DecodeMethodCall(bytes.NewReader(doc), maxDepth)
	if wantErr != nil {
		var got, want *models.Error
		if !errors.As(err, &got) || !errors.As(wantErr, &want) || got.Kind != want.Kind || got.Name != want.Name || got.Message != want.Message {
			t.Fatalf("document %q: error %v, want %v", doc, err, wantErr)
		}
		if method != "" || params != nil {
			t.Fatalf("document %q: results with an error", doc)
		}
		return fast, valid
	}
	if err != nil || method != wantMethod || !sameValue(params, wantParams) || (params == nil) != (wantParams == nil) {
		t.Fatalf("document %q: got %q %#v, %v; want %q %#v", doc, method, params, err, wantMethod, wantParams)
	}
	return fast, valid
}

// decodeCorpus returns the request documents of the testdata and those
// Go and Python clients write for random values.
func decodeCorpus(t testing.TB) [][]byte {
	var docs [][]byte
	files, _ := filepath.Glob(filepath.Join("testdata", "xmlrpc", "call_*.xml"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, b)
	}
	rng := rand.New(rand.NewPCG(7, 8))
	for len(docs) < 200 {
		v := rpctest.RandomValue(rng, 0)
		var buf bytes.Buffer
		if xmlrpc.EncodeResponse(&buf, []any{"odoo", int64(2), v}) == nil {
			docs = append(docs, []byte(responseToCall(buf.String())))
		}
		if body, err := kolo.EncodeMethodCall("execute_kw", "odoo", 2, v); err == nil {
			docs = append(docs, body)
		}
	}
	return docs
}

// TestFastParserAccepts makes sure that the well-formed documents clients
// write take the fast path (and decode as encoding/xml decodes them). kolo
// escapes no member name and keeps control characters: many of its
// documents here are not XML.
func TestFastParserAccepts(t *testing.T) {
	taken, valid := 0, 0
	for _, doc := range decodeCorpus(t) {
		fast, ok := checkDecodeLikeEncodingXML(t, doc)
		if !ok {
			continue
		}
		valid++
		if fast {
			taken++
		} else if !bytes.Contains(doc, []byte("xmlns:")) {
			t.Errorf("fast parser left to encoding/xml: %q", doc)
		}
	}
	if valid < 100 {
		t.Errorf("only %d well-formed documents in the corpus", valid)
	}
	for _, doc := range []string{
		"<methodCall><methodName>version</methodName></methodCall>",
		"\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\" ?>\r\n<methodCall >\r\n<methodName>m</methodName ><params/></methodCall>\r\n",
		call("<value><string>a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos; &#233;&#x1F389;&#13;\r\n</string></value>"),
		call("<value><string><![CDATA[<not> & markup]]>x<!-- c -->y</string></value>"),
		call("<value>untyped &amp; text</value>", "<value/>", "<value></value>", "<value>\n<i4> 7 </i4>\n</value>"),
		call("<value><base64>aGVs\nbG8=</base64></value>", "<value><dateTime.iso8601>20240102T03:04:05</dateTime.iso8601></value>"),
		call("<value><nil/></value>", "<value><i8>-9223372036854775808</i8></value>", "<value><double>1e-7</double></value>"),
		call("<value><struct><member><name>a&amp;b</name><value><array><data/></array></value></member></struct></value>"),
	} {
		if fast, _ := checkDecodeLikeEncodingXML(t, []byte(doc)); !fast {
			t.Errorf("fast parser left to encoding/xml: %q", doc)
		}
	}
}

// TestDecodeLikeEncodingXML decodes the corpus and many mutations of it
// with both decoders.
func TestDecodeLikeEncodingXML(t *testing.T) {
	docs := decodeCorpus(t)
	rng := rand.New(rand.NewPCG(9, 10))
	n := 20000
	if testing.Short() {
		n = 2000
	}
	taken, valid := 0, 0
	for range n {
		doc := docs[rng.IntN(len(docs))]
		for range 1 + rng.IntN(3) {
			doc = mutateXML(rng, doc)
		}
		fast, ok := checkDecodeLikeEncodingXML(t, doc)
		if fast {
			taken++
		}
		if ok {
			valid++
		}
	}
	t.Logf("of %d mutated documents, encoding/xml decoded %d, the fast parser %d", n, valid, taken)
}

// FuzzXMLRPCDecode checks on arbitrary input that DecodeMethodCall and the
// fast parser agree with the encoding/xml decoder.
func FuzzXMLRPCDecode(f *testing.F) {
	for _, doc := range decodeCorpus(f)[:40] {
		f.Add(doc)
	}
	for _, s := range xmlSnippets {
		f.Add([]byte(call("<value><string>" + s + "</string></value>")))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		checkDecodeLikeEncodingXML(t, doc)
	})
}

// xmlSnippets are pieces of XML, well-formed or not, that the mutations
// insert.
var xmlSnippets = []string{
	"&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#13;", "&#10;", "&#x1F389;", "&#233;", "&#0;", "&#1;", "&#xD800;",
	"&#x110000;", "&#X41;", "&#;", "&#x;", "&#0065;", "&bogus;", "&lt", "&", "&#99999999999999999999;",
	"\r\n", "\r", "\n", "\t", " ", "<!-- c -->", "<!---->", "<!-- - -->", "<!-- -- -->", "<!-->", "<!--",
	"<![CDATA[x]]>", "<![CDATA[\r\n]]>", "<![CDATA[]]>", "<![CDATA[", "]]>", "]]", "]", "<", ">", "/>", "</", "<>",
	"<value>", "</value>", "<string>", "</string>", "<int>1</int>", "<nil/>", "<value/>", "<data>", "</data>",
	"<array>", "</array>", "<struct>", "</struct>", "<member>", "<name>k</name>", "<param>", "</params>",
	"<?pi x?>", "<?xml version='1.0'?>", "<?xml?>", "\xef\xbb\xbf", "\x00", "\x01", "\x1f", "\x7f", "\xff", "\xc3",
	"é", "日本", "\uFFFE", "\uFFFD", "\U0001F389", "a:", "ex:", "<ex:nil/>", " a='b'", " a=\"b\"", " a=b", "<!DOCTYPE x>",
	"<!ENTITY x 'y'>", "<value ", "< value>", "</value >", "<Value>", "<1>", "<-a>", "<a.b>", "<_a/>",
	"<boolean>1</boolean>", "<double>1.5</double>", "<i8>9223372036854775808</i8>", "<base64>AA==</base64>",
	"<dateTime.iso8601>20240230T00:00:00</dateTime.iso8601>", "0", "1", "-", "+", "_", ".", "e", "x", "inf",
	"version='1.0'", "encoding='latin-1'", "encoding='UTF-8'", "standalone='yes'", "version=\"1.1\"", "?>",
}

// xmlKeepSnippets are pieces that keep a document well-formed when put
// after a tag.
var xmlKeepSnippets = []string{
	"&amp;", "&lt;", "&#13;", "&#x1F389;", "&#32;", "\r\n", "\r", " ", "\t", "<!-- c -->", "<!---->", "<![CDATA[x]]>",
	"<![CDATA[ ]]>", "<![CDATA[\r\n]]>", "é", "]]", "x", "1", "<?pi?>",
}

// mutateXML returns a copy of doc with one random change: a snippet
// inserted (often one that keeps it well-formed, just after a tag), a range
// removed, duplicated or swapped with another byte.
func mutateXML(rng *rand.Rand, doc []byte) []byte {
	out := make([]byte, 0, len(doc)+32)
	i := rng.IntN(len(doc) + 1)
	switch rng.IntN(9) {
	case 6, 7, 8:
		if k := bytes.IndexByte(doc[min(i, len(doc)):], '>'); k >= 0 {
			i += k + 1
		}
		out = append(append(append(out, doc[:i]...), xmlKeepSnippets[rng.IntN(len(xmlKeepSnippets))]...), doc[i:]...)
	case 0, 1, 2:
		out = append(append(append(out, doc[:i]...), xmlSnippets[rng.IntN(len(xmlSnippets))]...), doc[i:]...)
	case 3:
		j := min(len(doc), i+1+rng.IntN(12))
		out = append(append(out, doc[:i]...), doc[j:]...)
	case 4:
		j := min(len(doc), i+1+rng.IntN(24))
		out = append(append(append(out, doc[:j]...), doc[i:j]...), doc[j:]...)
	default:
		out = append(out, doc...)
		if i < len(out) {
			const bytes = "<>/&;!?-[]\r\n \x00\xc3\xa9"
			out[i] = bytes[rng.IntN(len(bytes))]
		}
	}
	return out
}

// TestDecodeFallbackReadError checks that a request cut short by a read
// error is reported as before, whatever the fast parser would make of the
// bytes that arrived.
func TestDecodeFallbackReadError(t *testing.T) {
	boom := errors.New("http: request body too large")
	doc := call("<value><string>complete</string></value>")
	for _, cut := range []int{0, 10, len(doc) / 2, len(doc)} {
		_, _, err := xmlrpc.DecodeMethodCall(&failingReader{strings.NewReader(doc[:cut]), boom}, 10)
		if !errors.Is(err, boom) {
			t.Errorf("cut at %d: error %v does not wrap the read error", cut, err)
		}
	}
	// A syntax error before the point where reading failed is reported as
	// such, as encoding/xml reads no further.
	_, _, err := xmlrpc.DecodeMethodCall(&failingReader{strings.NewReader("<methodCall></x>" + strings.Repeat(" ", 10000)), boom}, 10)
	checkDecodeError(t, err, nameExpat, "mismatched tag")
}
