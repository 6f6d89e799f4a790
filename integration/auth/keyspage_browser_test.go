package auth_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/godoo/godoo/integration/internal/itest"
	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// chromiumPath finds a Chromium to drive: Debian's chromium package (which
// .ci/run installs when it is missing), or another Chrome on the PATH.
func chromiumPath() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// artifactsDir is where a browser test keeps its screenshots: under
// $GODOO_ARTIFACTS when set (CI keeps that directory), else in the test's
// temporary directory. The path is logged so a failing run can be looked at.
func artifactsDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if root := os.Getenv("GODOO_ARTIFACTS"); root != "" {
		dir = filepath.Join(root, strings.ReplaceAll(t.Name(), "/", "_"))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("screenshots in %s", dir)
	return dir
}

// newChromium starts a headless Chromium with a fresh profile and returns a
// tab's context, bounded by timeout; cleanup ends the browser.
func newChromium(t *testing.T, bin string, timeout time.Duration) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 1000),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
	}
	ctx, cancelTimeout := context.WithTimeout(context.Background(), timeout)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	tab, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
		cancelTimeout()
	})
	return tab
}

// TestKeysPageInChromium drives the key page in a real browser, on each
// store: sign in with godoo's login form, make a key and copy it with the
// copy button, call /auth/whoami/bearer with it, restrict it to read-only
// and see a write refused, revoke it and see it refused. Each step leaves a
// screenshot (see artifactsDir).
func TestKeysPageInChromium(t *testing.T) {
	bin := chromiumPath()
	if bin == "" {
		t.Skip("no Chromium found (chromium, chromium-browser, google-chrome): install Debian's chromium package, as .ci/run does, to run the browser tests")
	}
	itest.EachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *itest.Env) {
		dir := artifactsDir(t)
		tab := newChromium(t, bin, 2*time.Minute)
		step := 0
		shot := func(name string) {
			t.Helper()
			png, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatalf("screenshot %s: %v", name, err)
			}
			step++
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%02d-%s.png", step, name)), png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		act := func(what string, steps ...chromedp.Action[chromedp.Void]) {
			t.Helper()
			if err := chromedp.Do(tab, steps...); err != nil {
				shot("failed-" + strings.ReplaceAll(what, " ", "-"))
				t.Fatalf("%s: %v", what, err)
			}
		}
		// The page sends a browser without a session to the login form.
		act("open the key page", chromedp.Navigate(e.Srv.URL+"/web/keys"), chromedp.WaitVisible(chromedp.ID("login-form")))
		loc, _ := chromedp.Run(tab, chromedp.Location())
		if !strings.Contains(loc, "/web/login?redirect=%2Fweb%2Fkeys") {
			t.Errorf("the key page sent the browser to %s", loc)
		}
		act("sign in", chromedp.SetValue(chromedp.ID("db"), e.DB), chromedp.SendKeys(chromedp.ID("login-input"), "admin"),
			chromedp.SendKeys(chromedp.ID("password"), itest.AdminPassword))
		shot("login-form")
		act("submit the login form", chromedp.Click(chromedp.ID("sign-in")), chromedp.WaitVisible(chromedp.ID("create-form")))
		shot("signed-in")
		// The stylesheet and the script are godoo's own, allowed by the
		// page's Content-Security-Policy: the stylesheet applies.
		bg, err := chromedp.Run(tab, chromedp.Evaluate[string](`getComputedStyle(document.querySelector("header")).backgroundColor`))
		if err != nil || bg != "rgb(43, 52, 64)" {
			t.Errorf("the page's stylesheet did not apply: header background %q %v", bg, err)
		}

		// Make a native key, persistent (an administrator's choice).
		act("make a key", chromedp.SendKeys(chromedp.ID("create-name"), "browser"), chromedp.Click(chromedp.ID("create")),
			chromedp.WaitVisible(chromedp.ID("new-key")))
		shot("new-key-shown-once")
		shown, err := chromedp.Run(tab, chromedp.Value(chromedp.ID("new-key")))
		if err != nil || shown == "" {
			t.Fatalf("the new key's field: %q %v", shown, err)
		}

		// Copy it with the page's button and read the clipboard back.
		origin := e.Srv.URL
		if _, err := chromedp.CallBrowser(tab, browser.SetPermission, browser.SetPermissionParams{
			Permission: &browser.PermissionDescriptor{Name: "clipboard-read"}, Setting: browser.PermissionSettingGranted, Origin: origin}); err != nil {
			t.Logf("granting clipboard-read: %v", err)
		}
		act("copy the key", chromedp.Click(chromedp.ID("copy")), chromedp.WaitVisible(chromedp.CSS(`#copy[data-copied="true"]`)))
		shot("key-copied")
		key, err := chromedp.Run(tab, chromedp.Evaluate[string](`navigator.clipboard.readText()`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("reading the clipboard: %v", err)
		}
		if key != shown {
			t.Fatalf("the clipboard holds %d characters, not the key shown", len(key))
		}

		// The copied key works as a bearer key.
		if st, body := whoamiBearer(t, e, key); st != http.StatusOK || !strings.Contains(body, `"login": "admin"`) {
			t.Fatalf("whoami with the copied key: %d %s", st, body)
		}
		if _, f := keyExecute(t, e, key, "res.partner", "create", []any{map[string]any{"name": "Written before the restriction"}}); f != nil {
			t.Fatalf("an unrestricted key could not write: %v", f)
		}

		// The page lists it without its secret; restrict it to read-only.
		act("reload", chromedp.Navigate(e.Srv.URL+"/web/keys"), chromedp.WaitVisible(chromedp.CSS(`tr[data-name="browser"]`)))
		html, _ := chromedp.Run(tab, chromedp.OuterHTML(chromedp.CSS("html")))
		if strings.Contains(html, key) {
			t.Fatal("the key page shows the key's secret again")
		}
		rowID, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.querySelector('tr[data-name="browser"]').id`))
		if err != nil {
			t.Fatal(err)
		}
		suffix := strings.TrimPrefix(rowID, "key-") // native-<id>
		act("restrict to read-only", chromedp.Click(chromedp.ID("restrict-"+suffix)),
			chromedp.Click(chromedp.CSS(`#restrict-form-`+suffix+` input[name="read_only"]`)))
		shot("restrict-form")
		act("save the restriction", chromedp.Click(chromedp.ID("restrict-save-"+suffix)), chromedp.WaitVisible(chromedp.ID("notice")))
		row, _ := chromedp.Run(tab, chromedp.Text(chromedp.ID(rowID)))
		if !strings.Contains(row, "read-only") {
			t.Errorf("the key's row after the restriction: %q", row)
		}
		shot("restricted")
		if _, f := keyExecute(t, e, key, "res.partner", "search_count", []any{[]any{}}); f != nil {
			t.Errorf("the read-only key cannot read: %v", f)
		}
		if _, f := keyExecute(t, e, key, "res.partner", "create", []any{map[string]any{"name": "Refused"}}); f == nil ||
			!strings.Contains(f.Message, "read-only") {
			t.Errorf("the read-only key's write: %v", f)
		}

		// The audit shows the restriction and the refusal, without the key.
		act("read the audit", chromedp.Navigate(e.Srv.URL+"/web/keys?audit_since=1h"), chromedp.WaitVisible(chromedp.ID("audit")))
		audit, _ := chromedp.Run(tab, chromedp.Text(chromedp.ID("audit")))
		if !strings.Contains(audit, "restricted") || strings.Contains(audit, key) {
			t.Errorf("the audit: %q", audit)
		}
		shot("audit")

		// Revoke it: refused at once.
		act("revoke", chromedp.Click(chromedp.ID("revoke-"+suffix)), chromedp.WaitVisible(chromedp.ID("notice")),
			chromedp.WaitNotPresent(chromedp.ID(rowID)))
		shot("revoked")
		if st, body := whoamiBearer(t, e, key); st != http.StatusUnauthorized {
			t.Errorf("whoami with the revoked key: %d %s", st, body)
		}
		if _, f := keyExecute(t, e, key, "res.partner", "search_count", []any{[]any{}}); f == nil {
			t.Error("the revoked key still reads")
		}
		// A header key for the same user, made with the kind selector.
		act("make a header key", chromedp.SendKeys(chromedp.ID("create-name"), "gateway"),
			chromedp.SetValue(chromedp.ID("create-kind"), "header"), chromedp.Click(chromedp.ID("create")),
			chromedp.WaitVisible(chromedp.ID("new-key")))
		shot("header-key-shown-once")
		headerKey, err := chromedp.Run(tab, chromedp.Value(chromedp.ID("new-key")))
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest(http.MethodGet, e.Srv.URL+"/auth/whoami/api_key", nil)
		req.Header.Set("API-KEY", headerKey)
		req.Header.Set("X-Odoo-Database", e.DB)
		if a := itest.Do(t, req); a.Status != http.StatusOK || !strings.Contains(string(a.Body), `"mode": "api_key"`) {
			t.Errorf("whoami with the page's header key: %d %s", a.Status, a.Body)
		}
		shots, _ := filepath.Glob(filepath.Join(dir, "*.png"))
		if len(shots) != step {
			t.Errorf("%d screenshots written, want %d", len(shots), step)
		}
	})
}

// whoamiBearer calls /auth/whoami/bearer with key on e's database.
func whoamiBearer(t *testing.T, e *itest.Env, key string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.Srv.URL+"/auth/whoami/bearer", nil)
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("X-Odoo-Database", e.DB)
	a := itest.Do(t, req)
	return a.Status, string(a.Body)
}

var jsonSpaces = regexp.MustCompile(`\s+`)

// keyExecute calls execute_kw over JSON-RPC with key as the password.
func keyExecute(t *testing.T, e *itest.Env, key, model, method string, args []any) (any, *itest.Fault) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": "call", "id": 1, "params": map[string]any{
		"service": "object", "method": "execute_kw", "args": []any{e.DB, 2, key, model, method, args}}})
	resp, err := http.Post(e.Srv.URL+"/jsonrpc", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Result any
		Error  *struct {
			Code int
			Data struct{ Name, Message string }
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	if out.Error != nil {
		return nil, &itest.Fault{Code: out.Error.Code, Name: out.Error.Data.Name, Message: jsonSpaces.ReplaceAllString(out.Error.Data.Message, " ")}
	}
	return out.Result, nil
}
