package base

import (
	"context"
	"strings"

	"github.com/godoo/godoo/models"
)

// apiKeyBehaviour is auth.api.key's (OCA auth_api_key): keys sent in the
// API-KEY header of routes that opt in, each running as its user_id. Administrators
// manage them for any user. Unlike the OCA module, the clear key is never
// stored: writing key stores its SHA-256 in key_hash, and reading key or
// key_hash gives an empty value. key_hash is write-only so that no client,
// administrators included, reads, searches or sorts on it, and a value a
// client gives for it is replaced by the hash of the key.
func apiKeyBehaviour() *models.Behaviour {
	b := &models.Behaviour{}
	b.BeforeCreate = func(ctx context.Context, env *models.Env, vals map[string]any) error {
		if s, _ := vals["key"].(string); strings.TrimSpace(s) == "" {
			return keyRequired(env)
		}
		if err := normalizeKeyLimits(vals); err != nil {
			return err
		}
		return hashHeaderKey(env, vals)
	}
	b.AfterCreate = func(ctx context.Context, env *models.Env, id int64, vals map[string]any) error {
		name, _ := vals["name"].(string)
		uid, _ := models.ToInt64(vals["user_id"])
		return env.Audit(ctx, "created", "header", id, name, uid)
	}
	b.BeforeWrite = func(ctx context.Context, env *models.Env, ids []int64, vals map[string]any) error {
		if _, ok := vals["key"]; ok {
			if s, _ := vals["key"].(string); strings.TrimSpace(s) == "" {
				return keyRequired(env)
			}
		}
		if err := normalizeKeyLimits(vals); err != nil {
			return err
		}
		return hashHeaderKey(env, vals)
	}
	b.AfterWrite = func(ctx context.Context, env *models.Env, ids []int64, vals map[string]any) error {
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
	b.BeforeUnlink = func(ctx context.Context, env *models.Env, ids []int64) error {
		for _, id := range ids {
			if err := env.Audit(ctx, "revoked", "header", id, "", 0); err != nil {
				return err
			}
		}
		return nil
	}
	return b
}

// keyRequired is the error for a key written empty: Odoo's message for a
// required field left unset, naming key.
func keyRequired(env *models.Env) error {
	m := env.Registry.Model("auth.api.key")
	return env.NotNullError(m, m.Fields["key"])
}

// hashHeaderKey replaces a key being written by its hash, in key_hash.
func hashHeaderKey(env *models.Env, vals map[string]any) error {
	delete(vals, "key_hash")
	key, ok := vals["key"].(string)
	if !ok {
		return nil
	}
	if env.Registry.HeaderKeyHash == nil {
		return &models.Error{Kind: models.KindInternal, Message: "no header key hasher configured"}
	}
	vals["key_hash"] = env.Registry.HeaderKeyHash(key)
	delete(vals, "key")
	return nil
}
