package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kolo/xmlrpc"
)

// TestSetOption checks that a new master password lands in [options] and
// leaves the rest of the file alone.
func TestSetOption(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"replaces", "[options]\nadmin_passwd = old\nhttp_port = 8069\n[api_key_shop]\nadmin_passwd = not-this-one\n",
			"[options]\nadmin_passwd = $new\nhttp_port = 8069\n[api_key_shop]\nadmin_passwd = not-this-one\n"},
		{"adds to options", "# comment\n[options]\nhttp_port = 8069\n", "# comment\n[options]\nadmin_passwd = $new\nhttp_port = 8069\n"},
		{"adds options", "[api_key_shop]\nkey = k\n", "[options]\nadmin_passwd = $new\n[api_key_shop]\nkey = k\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "godoo.conf")
			if err := os.WriteFile(path, []byte(tc.in), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := setOption(path, "admin_passwd", "$new"); err != nil {
				t.Fatal(err)
			}
			got, _ := os.ReadFile(path)
			if string(got) != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
			vals, err := readINI(path)
			if err != nil {
				t.Fatal(err)
			}
			if vals["options"]["admin_passwd"] != "$new" {
				t.Errorf("readINI sees %q", vals["options"]["admin_passwd"])
			}
			if info, _ := os.Stat(path); info.Mode().Perm() != 0o600 {
				t.Errorf("mode %v, want 0600", info.Mode().Perm())
			}
		})
	}
}

// TestServeSavesMasterPassword changes the master password over XML-RPC on
// a server started with a configuration file: the file then holds the new
// password's hash, never the clear text, and a restarted server accepts it.
func TestServeSavesMasterPassword(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	conf := filepath.Join(dir, "godoo.conf")
	if err := os.WriteFile(conf, []byte("[options]\nadmin_passwd = first-Master-1\ndata_dir = "+dir+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := startServe(t, "--config", conf)
	client, err := xmlrpc.NewClient("http://"+s.addr+"/xmlrpc/2/db", nil)
	if err != nil {
		t.Fatal(err)
	}
	var ok any
	if err := client.Call("change_admin_password", []any{"first-Master-1", "second-Master-2"}, &ok); err != nil || ok != true {
		t.Fatalf("change_admin_password: %v %v", ok, err)
	}
	client.Close()
	s.shutdown(t)
	vals, err := readINI(conf)
	if err != nil {
		t.Fatal(err)
	}
	saved := vals["options"]["admin_passwd"]
	if !strings.HasPrefix(saved, "$pbkdf2-sha512$") {
		t.Fatalf("the config file holds %q, want a hash", saved)
	}
	s = startServe(t, "--config", conf)
	client, err = xmlrpc.NewClient("http://"+s.addr+"/xmlrpc/2/db", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	var countries any
	if err := client.Call("list_countries", []any{"second-Master-2"}, &countries); err != nil {
		t.Fatalf("the saved master password is refused after a restart: %v", err)
	}
}
