package models

import (
	"context"
	"strings"
)

// apiKeyModel is auth.api.key (OCA auth_api_key): keys sent in the API-KEY
// header of routes that opt in, each running as its user_id. Administrators
// manage them for any user. Unlike the OCA module, the clear key is never
// stored: writing key stores its SHA-256 in key_hash, and reading key or
// key_hash gives an empty value. key_hash is write-only so that no client,
// administrators included, reads, searches or sorts on it, and a value a
// client gives for it is replaced by the hash of the key.
func apiKeyModel() *Model {
	m := &Model{Name: "auth.api.key", Description: "API Key", Table: "auth_api_key", Order: "name",
		Constraints: []SQLConstraint{
			{Name: "auth_api_key_name_uniq", Columns: []string{"name"}, Message: "The name of an API key must be unique."},
			{Name: "auth_api_key_key_hash_uniq", Columns: []string{"key_hash"}, Message: "This key is already in use by another API key."},
		}}
	for _, f := range []*Field{
		{Name: "name", Type: Char, String: "Name", Column: "name", Required: true},
		{Name: "key", Type: Char, String: "Key", WriteOnly: true,
			Help: "The key itself. It is stored hashed and cannot be read back. Put any value here when the key comes from the server configuration."},
		{Name: "key_hash", Type: Char, String: "Key Hash", Column: "key_hash", Required: true, Readonly: true, WriteOnly: true},
		{Name: "user_id", Type: Many2one, String: "User", Column: "user_id", Relation: "res.users", Required: true,
			Help: "The user as whom requests with this key run."},
		withDefault(boolean("active", "Active"), true),
		{Name: "last_used", Type: Datetime, String: "Last Used", Column: "last_used", Readonly: true},
		{Name: "group_ids", Type: Many2many, String: "Groups", Relation: "auth.api.key.group", RelTable: "auth_api_key_group_rel", RelCol: "key_id", RelOther: "group_id"},
	} {
		m.AddField(f)
	}
	m.BeforeCreate = func(ctx context.Context, env *Env, vals map[string]any) error {
		if s, _ := vals["key"].(string); strings.TrimSpace(s) == "" {
			return env.notNullError(m, m.Fields["key"])
		}
		return hashHeaderKey(env, vals)
	}
	m.AfterCreate = func(ctx context.Context, env *Env, id int64, vals map[string]any) error {
		name, _ := vals["name"].(string)
		uid, _ := toInt64(vals["user_id"])
		return env.Audit(ctx, "created", "header", id, name, uid)
	}
	m.BeforeWrite = func(ctx context.Context, env *Env, ids []int64, vals map[string]any) error {
		if _, ok := vals["key"]; ok {
			if s, _ := vals["key"].(string); strings.TrimSpace(s) == "" {
				return env.notNullError(m, m.Fields["key"])
			}
		}
		return hashHeaderKey(env, vals)
	}
	m.AfterWrite = func(ctx context.Context, env *Env, ids []int64, vals map[string]any) error {
		event := ""
		switch {
		case vals["active"] == false:
			event = "archived"
		case vals["key_hash"] != nil:
			event = "rotated"
		}
		if event == "" {
			return nil
		}
		for _, id := range ids {
			if err := env.Audit(ctx, event, "header", id, "", 0); err != nil {
				return err
			}
		}
		return nil
	}
	m.BeforeUnlink = func(ctx context.Context, env *Env, ids []int64) error {
		for _, id := range ids {
			if err := env.Audit(ctx, "revoked", "header", id, "", 0); err != nil {
				return err
			}
		}
		return nil
	}
	return m
}

func hashHeaderKey(env *Env, vals map[string]any) error {
	delete(vals, "key_hash")
	key, ok := vals["key"].(string)
	if !ok {
		return nil
	}
	if env.Registry.HeaderKeyHash == nil {
		return &Error{Kind: KindInternal, Message: "no header key hasher configured"}
	}
	vals["key_hash"] = env.Registry.HeaderKeyHash(key)
	delete(vals, "key")
	return nil
}

func apiKeyGroupModel() *Model {
	m := &Model{Name: "auth.api.key.group", Description: "API Key Group", Table: "auth_api_key_group", Order: "name",
		Constraints: []SQLConstraint{{Name: "auth_api_key_group_code_uniq", Columns: []string{"code"}, Message: "The code of an API key group must be unique."}}}
	for _, f := range []*Field{
		{Name: "name", Type: Char, String: "Name", Column: "name", Required: true},
		{Name: "code", Type: Char, String: "Code", Column: "code", Required: true},
		{Name: "auth_api_key_ids", Type: Many2many, String: "API Keys", Relation: "auth.api.key", RelTable: "auth_api_key_group_rel", RelCol: "group_id", RelOther: "key_id"},
	} {
		m.AddField(f)
	}
	return m
}
