package main

import (
	"reflect"
	"strings"
	"testing"

	"github.com/godoo/godoo/auth"
)

// TestHeaderKeysConfig checks the [api_key_<name>] sections: key_hash as
// godoo apikey hash prints it, the clear key (named by the warning of
// serve), key_groups, and the mistakes refused when the file is read.
func TestHeaderKeysConfig(t *testing.T) {
	hash := auth.ConfigKeyHash("shop-secret")
	cases := []struct {
		name     string
		sections map[string]map[string]string
		want     map[string]auth.ConfigKey
		clear    []string
		err      string
	}{
		{name: "hashed with groups", sections: map[string]map[string]string{"api_key_shop": {"key_hash": hash, "key_groups": "shop, web ,"}},
			want: map[string]auth.ConfigKey{"shop": {Hash: hash, Groups: []string{"shop", "web"}}}},
		{name: "clear", sections: map[string]map[string]string{"api_key_old": {"key": "in-clear"}, "options": {"x": "y"}},
			want: map[string]auth.ConfigKey{"old": {Key: "in-clear"}}, clear: []string{"old"}},
		{name: "neither", sections: map[string]map[string]string{"api_key_x": {"key_groups": "a"}}, err: "one of key_hash"},
		{name: "both", sections: map[string]map[string]string{"api_key_x": {"key": "k", "key_hash": hash}}, err: "one of key_hash"},
		{name: "no name", sections: map[string]map[string]string{"api_key_": {"key": "k"}}, err: "needs a key name"},
		{name: "a bad hash", sections: map[string]map[string]string{"api_key_x": {"key_hash": "sha256$ABC"}}, err: "64 lowercase hex"},
		{name: "a clear key as hash", sections: map[string]map[string]string{"api_key_x": {"key_hash": "shop-secret"}}, err: "64 lowercase hex"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := headerKeys("godoo.conf", c.sections)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error = %v, want one containing %q", err, c.err)
				}
				if strings.Contains(err.Error(), "k\"") || strings.Contains(err.Error(), "shop-secret") {
					t.Errorf("the error shows a secret: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("header keys = %#v, want %#v", got, c.want)
			}
			if cl := clearHeaderKeys(got); !reflect.DeepEqual(cl, c.clear) {
				t.Errorf("clear keys = %v, want %v", cl, c.clear)
			}
		})
	}
}
