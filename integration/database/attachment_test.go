package database_test

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/godoo/godoo/integration/internal/itest"
	"github.com/godoo/godoo/models"

	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// attachmentEnv runs fn on both stores with a filestore in a temporary
// folder; root is the folder of the test database's files.
func attachmentEnv(t *testing.T, fn func(t *testing.T, e *itest.Env, root string)) {
	attachmentEnvs(t, itest.EachStore, fn)
}

// attachmentEnvs is attachmentEnv with the stores' subtests run by each
// (itest.EachStore or itest.EachStoreInTurn).
func attachmentEnvs(t *testing.T, each func(*testing.T, services.Config, godoorpc.Options, func(*testing.T, *itest.Env)),
	fn func(t *testing.T, e *itest.Env, root string)) {
	dir := t.TempDir()
	each(t, services.Config{ListDB: true, FilestoreDir: dir}, godoorpc.Options{}, func(t *testing.T, e *itest.Env) {
		fn(t, e, filepath.Join(dir, e.DB))
	})
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func sha1Hex(s string) string {
	sum := sha1.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// storedPath is where the filestore keeps content.
func storedPath(root, content string) string {
	sum := sha1Hex(content)
	return filepath.Join(root, sum[:2], sum)
}

func fileExists(t *testing.T, path string) bool {
	t.Helper()
	_, err := os.Stat(path)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return err == nil
}

// readOne reads fields of one record of e as admin.
func readOne(t *testing.T, e *itest.Env, c itest.Caller, model string, id any, fields []any, ctx map[string]any) map[string]any {
	t.Helper()
	var kw map[string]any
	if ctx != nil {
		kw = map[string]any{"context": ctx}
	}
	return e.MustKw(t, c, model, "read", []any{[]any{id}, fields}, kw).([]any)[0].(map[string]any)
}

// TestAttachmentContent checks what ir.attachment keeps of a content
// written through datas: the file at <filestore>/<db>/<ab>/<sha1>, its
// size, checksum and mimetype, the content read back through datas and
// raw, and bin_size's human size.
func TestAttachmentContent(t *testing.T) {
	attachmentEnv(t, func(t *testing.T, e *itest.Env, root string) {
		e.EachProtocol(t, func(t *testing.T, c itest.Caller) {
			content := "hello attachment " + c.Protocol()
			id := e.MustKw(t, c, "ir.attachment", "create", []any{map[string]any{"name": "hello.txt", "datas": b64(content)}}, nil)
			rec := readOne(t, e, c, "ir.attachment", id, []any{"datas", "raw", "file_size", "checksum", "mimetype", "store_fname", "type", "db_datas"}, nil)
			sum := sha1Hex(content)
			itest.Equal(t, "datas", rec["datas"], b64(content))
			itest.Equal(t, "raw", rec["raw"], b64(content))
			itest.Equal(t, "file_size", rec["file_size"], int64(len(content)))
			itest.Equal(t, "checksum", rec["checksum"], sum)
			itest.Equal(t, "store_fname", rec["store_fname"], sum[:2]+"/"+sum)
			itest.Equal(t, "mimetype", rec["mimetype"], "text/plain")
			itest.Equal(t, "type", rec["type"], "binary")
			itest.Equal(t, "db_datas", rec["db_datas"], false)
			got, err := os.ReadFile(storedPath(root, content))
			if err != nil || string(got) != content {
				t.Fatalf("file = %q, %v", got, err)
			}
			rec = readOne(t, e, c, "ir.attachment", id, []any{"datas"}, map[string]any{"bin_size": true})
			itest.Equal(t, "datas with bin_size", rec["datas"], fmt.Sprintf("%d.00 bytes", len(content)))
			// raw writes the bytes themselves; the mimetype comes from them
			// when the name has no known extension.
			pdf := "%PDF-1.4\nrest of a pdf"
			id = e.MustKw(t, c, "ir.attachment", "create", []any{map[string]any{"name": "picture", "raw": pdf}}, nil)
			rec = readOne(t, e, c, "ir.attachment", id, []any{"datas", "mimetype", "file_size"}, nil)
			itest.Equal(t, "raw datas", rec["datas"], b64(pdf))
			itest.Equal(t, "sniffed mimetype", rec["mimetype"], "application/pdf")
			// A client cannot point a row at a file of its choosing.
			_, f := e.Kw(t, c, "ir.attachment", "create", []any{map[string]any{"name": "evil", "store_fname": "../../../etc/passwd"}}, nil)
			if f != nil {
				t.Fatalf("create with store_fname: %v", f)
			}
			// Rewriting the content replaces file, size and checksum.
			e.MustKw(t, c, "ir.attachment", "write", []any{[]any{id}, map[string]any{"datas": b64("other")}}, nil)
			rec = readOne(t, e, c, "ir.attachment", id, []any{"datas", "checksum", "file_size"}, nil)
			itest.Equal(t, "rewritten datas", rec["datas"], b64("other"))
			itest.Equal(t, "rewritten checksum", rec["checksum"], sha1Hex("other"))
			if fileExists(t, storedPath(root, pdf)) {
				t.Error("the file of the replaced content was not collected")
			}
		})
	})
}

// TestAttachmentDedupAndCollection checks that equal contents are one
// file, that a file goes once no attachment refers to it, and that a
// rolled-back transaction neither leaks the file it wrote nor loses a file
// another attachment uses.
func TestAttachmentDedupAndCollection(t *testing.T) {
	attachmentEnv(t, func(t *testing.T, e *itest.Env, root string) {
		c := itest.JSONCaller{Base: e.Srv.URL}
		content := "shared content"
		a := e.MustKw(t, c, "ir.attachment", "create", []any{map[string]any{"name": "a.txt", "datas": b64(content)}}, nil)
		b := e.MustKw(t, c, "ir.attachment", "create", []any{map[string]any{"name": "b.txt", "datas": b64(content)}}, nil)
		ra := readOne(t, e, c, "ir.attachment", a, []any{"store_fname"}, nil)
		rb := readOne(t, e, c, "ir.attachment", b, []any{"store_fname"}, nil)
		itest.Equal(t, "second attachment's file", rb["store_fname"], ra["store_fname"])
		sum := sha1Hex(content)
		entries, err := os.ReadDir(filepath.Join(root, sum[:2]))
		if err != nil || len(entries) != 1 {
			t.Fatalf("files for one content: %v, %v", entries, err)
		}
		e.MustKw(t, c, "ir.attachment", "unlink", []any{[]any{a}}, nil)
		if !fileExists(t, storedPath(root, content)) {
			t.Fatal("file deleted while another attachment refers to it")
		}
		itest.Equal(t, "content of the remaining attachment", readOne(t, e, c, "ir.attachment", b, []any{"datas"}, nil)["datas"], b64(content))

		// A rolled-back create (no name: a NOT NULL error after the file
		// was written) with the same content loses nothing...
		if _, f := e.Kw(t, c, "ir.attachment", "create", []any{map[string]any{"datas": b64(content)}}, nil); f == nil {
			t.Fatal("create without a name succeeded")
		}
		if !fileExists(t, storedPath(root, content)) {
			t.Fatal("a rolled-back transaction lost a file another attachment uses")
		}
		// ...and with a new content leaves no file behind.
		if _, f := e.Kw(t, c, "ir.attachment", "create", []any{map[string]any{"datas": b64("never committed")}}, nil); f == nil {
			t.Fatal("create without a name succeeded")
		}
		if fileExists(t, storedPath(root, "never committed")) {
			t.Fatal("a rolled-back transaction leaked its file")
		}

		e.MustKw(t, c, "ir.attachment", "unlink", []any{[]any{b}}, nil)
		if fileExists(t, storedPath(root, content)) {
			t.Fatal("file kept after its last attachment was unlinked")
		}
		if m, _ := filepath.Glob(filepath.Join(root, "checklist", "*", "*")); len(m) != 0 {
			t.Errorf("checklist not emptied: %v", m)
		}
	})
}

// TestAttachmentLocationDB checks the system parameter
// ir_attachment.location = db: contents go to db_datas, no file.
func TestAttachmentLocationDB(t *testing.T) {
	attachmentEnv(t, func(t *testing.T, e *itest.Env, root string) {
		c := itest.JSONCaller{Base: e.Srv.URL}
		e.MustKw(t, c, "ir.config_parameter", "create", []any{map[string]any{"key": "ir_attachment.location", "value": "db"}}, nil)
		content := "kept in the database"
		id := e.MustKw(t, c, "ir.attachment", "create", []any{map[string]any{"name": "db.txt", "datas": b64(content)}}, nil)
		rec := readOne(t, e, c, "ir.attachment", id, []any{"datas", "db_datas", "store_fname", "checksum", "file_size"}, nil)
		itest.Equal(t, "datas", rec["datas"], b64(content))
		itest.Equal(t, "db_datas", rec["db_datas"], b64(content))
		itest.Equal(t, "store_fname", rec["store_fname"], false)
		itest.Equal(t, "checksum", rec["checksum"], sha1Hex(content))
		itest.Equal(t, "file_size", rec["file_size"], int64(len(content)))
		if fileExists(t, storedPath(root, content)) {
			t.Fatal("a file was written with ir_attachment.location = db")
		}
	})
}

// TestAttachmentAccess checks that an attachment's access follows its
// record's: a user who cannot read the record cannot read or find the
// attachment, nor attach to it; a public attachment may be read, not
// changed; generate_access_token gives each attachment its token.
func TestAttachmentAccess(t *testing.T) {
	attachmentEnv(t, func(t *testing.T, e *itest.Env, _ string) {
		c := itest.JSONCaller{Base: e.Srv.URL}
		uid := itest.Login(t, c, e.DB, "demo", "demo")
		demo := func(method string, args ...any) (any, *itest.Fault) {
			return c.Call(t, "object", "execute_kw", e.DB, uid, "demo", "ir.attachment", method, args)
		}
		partner := e.MustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "Attached"}}, nil)
		param := e.MustKw(t, c, "ir.config_parameter", "create", []any{map[string]any{"key": "attached.param", "value": "x"}}, nil)
		onPartner := e.MustKw(t, c, "ir.attachment", "create", []any{map[string]any{"name": "p.txt", "datas": b64("partner's"),
			"res_model": "res.partner", "res_id": partner}}, nil)
		onParam := e.MustKw(t, c, "ir.attachment", "create", []any{map[string]any{"name": "s.txt", "datas": b64("secret"),
			"res_model": "ir.config_parameter", "res_id": param}}, nil)

		got, f := demo("read", []any{onPartner}, []any{"datas", "res_name"})
		if f != nil {
			t.Fatalf("demo reads the attachment of a partner: %v", f)
		}
		itest.Equal(t, "demo's read", got.([]any)[0].(map[string]any)["datas"], b64("partner's"))
		itest.Equal(t, "res_name", got.([]any)[0].(map[string]any)["res_name"], "Attached")

		_, f = demo("read", []any{onParam}, []any{"datas"})
		itest.WantFault(t, c.Protocol(), f, 4, "")
		ids, f := demo("search", []any{[]any{"id", "in", []any{onPartner, onParam}}})
		if f != nil {
			t.Fatal(f)
		}
		itest.Equal(t, "demo's search", ids, []any{onPartner})
		_, f = demo("create", map[string]any{"name": "x.txt", "datas": b64("x"), "res_model": "ir.config_parameter", "res_id": param})
		itest.WantFault(t, c.Protocol(), f, 4, "")
		_, f = demo("write", []any{onPartner}, map[string]any{"res_model": "ir.config_parameter", "res_id": param})
		itest.WantFault(t, c.Protocol(), f, 4, "")

		// Public: readable by a user who cannot read the record, not
		// writable.
		e.MustKw(t, c, "ir.attachment", "write", []any{[]any{onParam}, map[string]any{"public": true}}, nil)
		got, f = demo("read", []any{onParam}, []any{"datas"})
		if f != nil {
			t.Fatalf("demo reads a public attachment: %v", f)
		}
		itest.Equal(t, "public datas", got.([]any)[0].(map[string]any)["datas"], b64("secret"))
		_, f = demo("write", []any{onParam}, map[string]any{"name": "changed"})
		itest.WantFault(t, c.Protocol(), f, 4, "")

		// Markup from a user who may not change views is served as text.
		page, f := demo("create", map[string]any{"name": "page.html", "datas": b64("<script>alert(1)</script>")})
		if f != nil {
			t.Fatal(f)
		}
		itest.Equal(t, "mimetype of demo's page", readOne(t, e, c, "ir.attachment", page, []any{"mimetype"}, nil)["mimetype"], "text/plain")
		page = e.MustKw(t, c, "ir.attachment", "create", []any{map[string]any{"name": "page.html", "datas": b64("<p>admin's</p>")}}, nil)
		itest.Equal(t, "mimetype of admin's page", readOne(t, e, c, "ir.attachment", page, []any{"mimetype"}, nil)["mimetype"], "text/html")

		// An attachment of no record is its creator's.
		mine, f := demo("create", map[string]any{"name": "mine.txt", "datas": b64("mine")})
		if f != nil {
			t.Fatal(f)
		}
		if _, f := demo("write", []any{mine}, map[string]any{"name": "still mine"}); f != nil {
			t.Fatalf("demo writes its own attachment: %v", f)
		}

		tokens, f := demo("generate_access_token", []any{onPartner})
		if f != nil {
			t.Fatal(f)
		}
		list, _ := tokens.([]any)
		if len(list) != 1 || len(list[0].(string)) < 32 {
			t.Fatalf("tokens = %#v", tokens)
		}
		again, _ := demo("generate_access_token", []any{onPartner})
		itest.Equal(t, "second generate_access_token", again, tokens)
		itest.Equal(t, "stored token", readOne(t, e, c, "ir.attachment", onPartner, []any{"access_token"}, nil)["access_token"], list[0])
	})
}

// TestAttachmentFields checks a binary field declared attachment
// (res.partner's image_1920): its value is an ir.attachment of the record
// with res_field set, its content a file of the filestore; it reads back
// the same, with bin_size as a human size; emptying it deletes the
// attachment, and so does deleting the record, whose file is then
// collected.
func TestAttachmentFields(t *testing.T) {
	attachmentEnv(t, func(t *testing.T, e *itest.Env, root string) {
		e.EachProtocol(t, func(t *testing.T, c itest.Caller) {
			desc := e.MustKw(t, c, "res.partner", "fields_get", []any{[]any{"image_1920"}, []any{"attachment", "store", "type"}}, nil).(map[string]any)
			itest.Equal(t, "fields_get image_1920", desc["image_1920"], map[string]any{"attachment": true, "store": true, "type": "binary"})
			content := "not an image, but a field value of " + c.Protocol()
			p := e.MustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "With image", "image_1920": b64(content)}}, nil)
			itest.Equal(t, "image_1920", readOne(t, e, c, "res.partner", p, []any{"image_1920"}, nil)["image_1920"], b64(content))
			itest.Equal(t, "image_1920 with bin_size", readOne(t, e, c, "res.partner", p, []any{"image_1920"}, map[string]any{"bin_size": true})["image_1920"],
				fmt.Sprintf("%d.00 bytes", len(content)))
			dom := []any{[]any{"res_model", "=", "res.partner"}, []any{"res_id", "=", p}, []any{"res_field", "=", "image_1920"}}
			atts := e.MustKw(t, c, "ir.attachment", "search_read", []any{dom, []any{"name", "store_fname", "file_size"}}, nil).([]any)
			if len(atts) != 1 {
				t.Fatalf("attachments of the field: %v", atts)
			}
			sum := sha1Hex(content)
			itest.Equal(t, "the field's attachment", atts[0].(map[string]any)["store_fname"], sum[:2]+"/"+sum)
			hasImage := []any{[]any{"id", "=", p}, []any{"image_1920", "!=", false}}
			noImage := []any{[]any{"id", "=", p}, []any{"image_1920", "=", false}}
			itest.Equal(t, "partners with an image", e.Count(t, "res.partner", hasImage), int64(1))
			itest.Equal(t, "partners without an image", e.Count(t, "res.partner", noImage), int64(0))
			// A search that names neither res_field nor id does not list it.
			itest.Equal(t, "the record's listed attachments", e.Count(t, "ir.attachment", []any{[]any{"res_model", "=", "res.partner"}, []any{"res_id", "=", p}}), int64(0))
			if !fileExists(t, storedPath(root, content)) {
				t.Fatal("no file for the field's value")
			}
			// Rewritten: the same attachment, a new file, the old one gone.
			e.MustKw(t, c, "res.partner", "write", []any{[]any{p}, map[string]any{"image_1920": b64("second " + content)}}, nil)
			itest.Equal(t, "rewritten image_1920", readOne(t, e, c, "res.partner", p, []any{"image_1920"}, nil)["image_1920"], b64("second "+content))
			itest.Equal(t, "attachments after a rewrite", e.Count(t, "ir.attachment", dom), int64(1))
			if fileExists(t, storedPath(root, content)) {
				t.Error("the replaced value's file was not collected")
			}
			// Emptied: no attachment left.
			e.MustKw(t, c, "res.partner", "write", []any{[]any{p}, map[string]any{"image_1920": false}}, nil)
			itest.Equal(t, "emptied image_1920", readOne(t, e, c, "res.partner", p, []any{"image_1920"}, nil)["image_1920"], false)
			itest.Equal(t, "attachments after emptying", e.Count(t, "ir.attachment", dom), int64(0))
			itest.Equal(t, "emptied: partners with an image", e.Count(t, "res.partner", hasImage), int64(0))
			itest.Equal(t, "emptied: partners without an image", e.Count(t, "res.partner", noImage), int64(1))
			// Deleted with the record.
			e.MustKw(t, c, "res.partner", "write", []any{[]any{p}, map[string]any{"image_1920": b64(content)}}, nil)
			e.MustKw(t, c, "res.partner", "unlink", []any{[]any{p}}, nil)
			itest.Equal(t, "attachments after the record's unlink", e.Count(t, "ir.attachment", dom), int64(0))
			if fileExists(t, storedPath(root, content)) {
				t.Error("the deleted record's file was not collected")
			}
		})
	})
}

// largeSize is the content of TestAttachmentLargeFile: 50 MB.
const largeSize = 50 << 20

// TestAttachmentLargeFile writes and reads a 50 MB attachment through the
// one call path (services.Object.Execute, as every protocol calls it) and
// measures what each call allocates: the write goes from the base64 text
// to the file while hashing, without a decoded copy; the read holds the
// base64 text it answers and no decoded copy beside it. The figures are
// logged (go test ./integration/database -run TestAttachmentLargeFile -v).
func TestAttachmentLargeFile(t *testing.T) {
	// The allocations measured are the process's: one store at a time.
	attachmentEnvs(t, itest.EachStoreInTurn, func(t *testing.T, e *itest.Env, root string) {
		ctx := context.Background()
		id, err := e.Set.Auth.Password(ctx, services.Credentials{DB: e.DB, UID: 2, Password: itest.AdminPassword})
		if err != nil {
			t.Fatal(err)
		}
		content := bytes.Repeat([]byte("0123456789abcdef"), largeSize/16)
		text := base64.StdEncoding.EncodeToString(content)
		sum := sha1.Sum(content)
		content = nil
		var att any
		created := allocatedBy(func() {
			att, err = e.Set.Object.Execute(ctx, id, "ir.attachment", "create", []any{map[string]any{"name": "large.bin", "datas": text}}, nil)
		})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: create of a %d MB attachment allocated %.1f MB", e.Name, largeSize>>20, float64(created)/(1<<20))
		if created > 8<<20 {
			t.Errorf("create allocated %d bytes: the content was held in memory", created)
		}
		hexSum := hex.EncodeToString(sum[:])
		st, err := os.Stat(filepath.Join(root, hexSum[:2], hexSum))
		if err != nil || st.Size() != largeSize {
			t.Fatalf("stored file: %v, %v", st, err)
		}
		var got any
		read := allocatedBy(func() {
			got, err = e.Set.Object.Execute(ctx, id, "ir.attachment", "read", []any{[]any{att}, []any{"datas"}}, nil)
		})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: read of it (%.1f MB of base64) allocated %.1f MB", e.Name, float64(len(text))/(1<<20), float64(read)/(1<<20))
		if read > uint64(len(text))+8<<20 {
			t.Errorf("read allocated %d bytes for %d of text: a decoded copy was held beside it", read, len(text))
		}
		recs := recordsOf(got)
		if len(recs) != 1 || recs[0]["datas"] != text {
			t.Fatal("the content read back differs")
		}
	})
}

// TestAttachmentLargeFileOverRPC reads a 50 MB attachment's datas over
// XML-RPC and JSON-RPC (real HTTP, the answer read as it comes) and
// measures what the server allocates for the call: the base64 text the
// read makes, and the answer written in pieces as it is encoded rather
// than built whole (about 67 MB more, in a buffer that grew by copies of
// itself: some 200 MB). The figures are logged (go test
// ./integration/database -run TestAttachmentLargeFileOverRPC -v).
func TestAttachmentLargeFileOverRPC(t *testing.T) {
	// The allocations measured are the process's: one store at a time.
	attachmentEnvs(t, itest.EachStoreInTurn, func(t *testing.T, e *itest.Env, root string) {
		ctx := context.Background()
		id, err := e.Set.Auth.Password(ctx, services.Credentials{DB: e.DB, UID: 2, Password: itest.AdminPassword})
		if err != nil {
			t.Fatal(err)
		}
		text := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte("0123456789abcdef"), largeSize/16))
		att, err := e.Set.Object.Execute(ctx, id, "ir.attachment", "create", []any{map[string]any{"name": "large.bin", "datas": text}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		calls := []struct {
			protocol, path, contentType, body string
			head, tail                        string // around the text in the answer
		}{
			{"xmlrpc", "/xmlrpc/2/object", "text/xml", fmt.Sprintf(`<?xml version="1.0"?><methodCall><methodName>execute_kw</methodName><params>`+
				`<param><value><string>%s</string></value></param><param><value><int>2</int></value></param>`+
				`<param><value><string>%s</string></value></param><param><value><string>ir.attachment</string></value></param>`+
				`<param><value><string>read</string></value></param><param><value><array><data><value><array><data>`+
				`<value><int>%d</int></value></data></array></value><value><array><data><value><string>datas</string></value>`+
				`</data></array></value></data></array></value></param></params></methodCall>`, e.DB, itest.AdminPassword, att),
				"<name>datas</name>\n<value><string>", "</string></value>"},
			{"jsonrpc", "/jsonrpc", "application/json", fmt.Sprintf(`{"jsonrpc": "2.0", "method": "call", "id": 1, "params": {"service": "object",`+
				` "method": "execute_kw", "args": [%q, 2, %q, "ir.attachment", "read", [[%d], ["datas"]]]}}`, e.DB, itest.AdminPassword, att),
				`"datas": "`, `"`},
		}
		for _, c := range calls {
			post := func(into io.Writer) {
				t.Helper()
				resp, err := http.Post(e.Srv.URL+c.path, c.contentType, bytes.NewReader([]byte(c.body)))
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				if _, err := io.Copy(into, resp.Body); err != nil {
					t.Fatal(err)
				}
			}
			post(io.Discard) // the first call's one-time costs are not measured
			allocated := allocatedBy(func() { post(io.Discard) })
			t.Logf("%s: read of a %d MB attachment (%.1f MB of base64) over %s allocated %.1f MB",
				e.Name, largeSize>>20, float64(len(text))/(1<<20), c.protocol, float64(allocated)/(1<<20))
			if allocated > uint64(len(text))+16<<20 {
				t.Errorf("%s: the read allocated %d bytes for %d of text: the answer was held whole beside it", c.protocol, allocated, len(text))
			}
			var answer bytes.Buffer
			post(&answer)
			if !bytes.Contains(answer.Bytes(), []byte(c.head+text+c.tail)) {
				t.Errorf("%s: the answer (%d bytes) does not hold the content", c.protocol, answer.Len())
			}
		}
	})
}

// allocatedBy is how many bytes fn allocated on the heap (all goroutines).
func allocatedBy(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// recordsOf is a read's answer as records, whichever form it has.
func recordsOf(v any) []models.Record {
	switch x := v.(type) {
	case *models.Table:
		return x.Records()
	case []models.Record:
		return x
	}
	return nil
}

// TestAttachmentFilesFollowTheDatabase checks that db.duplicate_database
// gives the copy the files of its source, db.rename moves them, and
// db.drop deletes them, as Odoo does with its filestore.
func TestAttachmentFilesFollowTheDatabase(t *testing.T) {
	dir := t.TempDir()
	itest.EachStore(t, services.Config{ListDB: true, FilestoreDir: dir}, godoorpc.Options{}, func(t *testing.T, e *itest.Env) {
		c := itest.JSONCaller{Base: e.Srv.URL}
		content := "travels with its database"
		e.MustKw(t, c, "ir.attachment", "create", []any{map[string]any{"name": "t.txt", "datas": b64(content)}}, nil)
		copyName, renamed := itest.UniqueName("it_copy_"), itest.UniqueName("it_renamed_")
		if _, f := c.Call(t, "db", "duplicate_database", itest.MasterPassword, e.DB, copyName); f != nil {
			t.Fatalf("duplicate_database: %v", f)
		}
		if !fileExists(t, storedPath(filepath.Join(dir, copyName), content)) {
			t.Fatal("the copy has no file")
		}
		got, f := c.Call(t, "object", "execute_kw", copyName, int64(2), itest.AdminPassword, "ir.attachment", "search_read",
			[]any{[]any{[]any{"name", "=", "t.txt"}}, []any{"datas"}})
		if f != nil {
			t.Fatal(f)
		}
		if rows := got.([]any); len(rows) != 1 || rows[0].(map[string]any)["datas"] != b64(content) {
			t.Fatalf("the copy reads %v", got)
		}
		if _, f := c.Call(t, "db", "rename", itest.MasterPassword, copyName, renamed); f != nil {
			t.Fatalf("rename: %v", f)
		}
		if fileExists(t, filepath.Join(dir, copyName)) || !fileExists(t, storedPath(filepath.Join(dir, renamed), content)) {
			t.Fatal("the files did not move with the renamed database")
		}
		if _, f := c.Call(t, "db", "drop", itest.MasterPassword, renamed); f != nil {
			t.Fatalf("drop: %v", f)
		}
		if fileExists(t, filepath.Join(dir, renamed)) {
			t.Fatal("the dropped database's files are left")
		}
		if !fileExists(t, storedPath(filepath.Join(dir, e.DB), content)) {
			t.Fatal("the source lost its file")
		}
	})
}

// TestAttachmentDownload checks GET /web/content/<id>: without
// credentials, a private attachment is refused; it is served to a web
// session whose user reads its record, with its access_token, or once
// public, its content streamed from its file.
func TestAttachmentDownload(t *testing.T) {
	attachmentEnv(t, func(t *testing.T, e *itest.Env, _ string) {
		c := itest.JSONCaller{Base: e.Srv.URL}
		partner := e.MustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "Downloads"}}, nil)
		att := e.MustKw(t, c, "ir.attachment", "create", []any{map[string]any{"name": "report.pdf", "datas": b64("%PDF-1.4 report"),
			"res_model": "res.partner", "res_id": partner}}, nil)
		get := func(query string, cookie ...string) (int, string, http.Header) {
			t.Helper()
			req, err := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/web/content/%v?db=%s%s", e.Srv.URL, att, e.DB, query), nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, sid := range cookie {
				req.AddCookie(&http.Cookie{Name: "session_id", Value: sid})
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			return resp.StatusCode, string(body), resp.Header
		}
		if status, body, _ := get(""); status == http.StatusOK {
			t.Fatalf("a private attachment was served without credentials: %q", body)
		}
		if status, _, _ := get("&access_token=wrong"); status == http.StatusOK {
			t.Fatal("a wrong access_token was accepted")
		}
		// As Odoo's auth='public': the web session's user when there is
		// one, who reads the partner and so its attachment; a session that
		// is not valid is the public user's request.
		sid := itest.WebSession(t, e.Srv.URL, e.DB, "admin", itest.AdminPassword)
		if status, body, _ := get("", sid); status != http.StatusOK || body != "%PDF-1.4 report" {
			t.Fatalf("with admin's web session: HTTP %d %q", status, body)
		}
		if status, body, _ := get("", "not-a-session-"+sid[:8]); status == http.StatusOK {
			t.Fatalf("a made-up session was served as a user: %q", body)
		}
		tokens := e.MustKw(t, c, "ir.attachment", "generate_access_token", []any{[]any{att}}, nil).([]any)
		status, body, h := get("&access_token=" + tokens[0].(string))
		if status != http.StatusOK || body != "%PDF-1.4 report" {
			t.Fatalf("with the access_token: HTTP %d %q", status, body)
		}
		itest.Equal(t, "Content-Type", h.Get("Content-Type"), "application/pdf")
		itest.Equal(t, "Content-Disposition", h.Get("Content-Disposition"), `inline; filename=report.pdf`)
		e.MustKw(t, c, "ir.attachment", "write", []any{[]any{att}, map[string]any{"public": true}}, nil)
		if status, body, _ := get(""); status != http.StatusOK || body != "%PDF-1.4 report" {
			t.Fatalf("public: HTTP %d %q", status, body)
		}
	})
}
