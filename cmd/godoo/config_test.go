package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kolo/xmlrpc"
)

// TestSetOption checks that a new master password lands in [options] and
// leaves the rest of the file alone, and that the file ends with mode 0600
// whatever its mode was, created when it was missing.
func TestSetOption(t *testing.T) {
	const missing = "(missing)"
	cases := []struct {
		name, in, want string
		mode           os.FileMode
	}{
		{"replaces", "[options]\nadmin_passwd = old\nhttp_port = 8069\n[api_key_shop]\nadmin_passwd = not-this-one\n",
			"[options]\nadmin_passwd = $new\nhttp_port = 8069\n[api_key_shop]\nadmin_passwd = not-this-one\n", 0o600},
		{"adds to options", "# comment\n[options]\nhttp_port = 8069\n", "# comment\n[options]\nadmin_passwd = $new\nhttp_port = 8069\n", 0o600},
		{"adds options", "[api_key_shop]\nkey = k\n", "[options]\nadmin_passwd = $new\n[api_key_shop]\nkey = k\n", 0o600},
		{"world-readable", "[options]\nadmin_passwd = old\n", "[options]\nadmin_passwd = $new\n", 0o644},
		{"group-writable", "[options]\n", "[options]\nadmin_passwd = $new\n", 0o660},
		{"empty", "", "[options]\nadmin_passwd = $new\n", 0o644},
		{"missing", missing, "[options]\nadmin_passwd = $new\n", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "godoo.conf")
			if tc.in != missing {
				if err := os.WriteFile(path, []byte(tc.in), tc.mode); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(path, tc.mode); err != nil { // whatever the umask
					t.Fatal(err)
				}
				// A temporary file of an earlier scheme must not lend its mode.
				if err := os.WriteFile(path+".tmp", nil, 0o666); err != nil {
					t.Fatal(err)
				}
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
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if e.Name() != "godoo.conf" && e.Name() != "godoo.conf.tmp" {
					t.Errorf("setOption left %s behind", e.Name())
				}
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
	if err := os.WriteFile(conf, []byte("[options]\nadmin_passwd = first-Master-1\ndata_dir = "+dir+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(conf, 0o644); err != nil {
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
	if info, err := os.Stat(conf); err != nil {
		t.Error(err)
	} else if info.Mode().Perm() != 0o600 {
		t.Errorf("the config file holding the hash has mode %v, want 0600", info.Mode().Perm())
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
