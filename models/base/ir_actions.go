package base

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/godoo/godoo/models"
)

// actionModels are the models of Odoo's actions that /web/action/load
// finds an action id or path in, in the order it looks.
var actionModels = []string{"ir.actions.act_window", "ir.actions.server", "ir.actions.client", "ir.actions.act_url", "ir.actions.report"}

// actionReadable are the fields of an action the web client is given, by
// action model, beside those of every action (Odoo's _get_readable_fields).
var actionReadable = map[string][]string{
	"": {"binding_model_id", "binding_type", "binding_view_types", "display_name", "help", "id", "name", "type", "xml_id", "path"},
	"ir.actions.act_window": {"context", "mobile_view_mode", "domain", "filter", "groups_id", "limit", "res_id", "res_model",
		"search_view_id", "target", "view_id", "view_mode", "views", "embedded_action_ids", "close_on_report_download"},
	"ir.actions.server":  {"groups_id", "model_name"},
	"ir.actions.client":  {"context", "params", "res_model", "tag", "target"},
	"ir.actions.act_url": {"target", "url", "close"},
	"ir.actions.report": {"context", "data", "print_report_name", "report_name", "report_type", "target",
		"close_on_report_download", "domain", "groups_id", "paperformat_id"},
}

// missingAction is the web client's MissingActionError for an external id
// or path naming no action.
func missingAction(id any) error {
	return models.ServerErrorf("odoo.addons.web.controllers.action.MissingActionError", "The action “%v” does not exist.", id)
}

// missingActionID is the web client's MissingActionError for an id no
// action has: Odoo's text in that branch has no final period.
func missingActionID(id int64) error {
	return models.ServerErrorf("odoo.addons.web.controllers.action.MissingActionError", "The action “%d” does not exist", id)
}

// LoadAction is Odoo's /web/action/load on env (the route reads as the
// superuser): the action of an id, an external id
// ("base.action_partner_form") or a path, as the web client reads it (the
// fields of its kind that the client is given). Errors:
// MissingActionError for an id, external id or path naming no action.
func LoadAction(ctx context.Context, env *models.Env, actionID any) (any, error) {
	model, id, err := findAction(ctx, env, actionID)
	if err != nil {
		return nil, err
	}
	m := env.Registry.Model(model)
	readable := append(slices.Clone(actionReadable[""]), actionReadable[model]...)
	var fields []any
	for _, name := range m.FieldOrder {
		if slices.Contains(readable, name) {
			fields = append(fields, name)
		}
	}
	res, err := env.Registry.Call(ctx, env, model, "read", []any{[]any{id}, fields}, nil)
	if err != nil {
		return nil, err
	}
	var names []string
	var values []any
	switch t := res.(type) {
	case *models.Table:
		if t.Len() == 0 {
			return nil, missingAction(actionID)
		}
		names, values = t.Names, t.Row(0)
	case []models.Record:
		if len(t) == 0 {
			return nil, missingAction(actionID)
		}
		for _, f := range append([]any{"id"}, fields...) {
			names = append(names, f.(string))
			values = append(values, t[0][f.(string)])
		}
	default:
		return nil, fmt.Errorf("read %s answered %T", model, res)
	}
	action := models.DictOf(slices.Clone(names), slices.Clone(values))
	xmlID, err := externalID(ctx, env, model, id)
	if err != nil {
		return nil, err
	}
	action.Set("xml_id", xmlID)
	if model == "ir.actions.act_window" {
		views, err := actionViews(ctx, env, id, action)
		if err != nil {
			return nil, err
		}
		action.Set("views", views)
		action.Set("embedded_action_ids", []any{})
	}
	return action, nil
}

// findAction resolves the action_id of /web/action/load to an action's
// model and id: an integer (or its text) is an id of the first action
// model that has it; a text with a dot an external id; any other text a
// path. Errors: MissingActionError when no action has it.
func findAction(ctx context.Context, env *models.Env, actionID any) (string, int64, error) {
	var id int64
	switch v := actionID.(type) {
	case int64:
		id = v
	case float64:
		id = int64(v)
	case string:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return findNamedAction(ctx, env, v)
		}
		id = n
	default:
		return "", 0, missingAction(actionID)
	}
	for _, model := range actionModels {
		m := env.Registry.Model(model)
		if m == nil {
			continue
		}
		var found int64
		if ok, err := env.Scalar(ctx, &found, "SELECT id FROM "+m.Table+" WHERE id = ?", id); err != nil || ok {
			return model, found, err
		}
	}
	return "", 0, missingActionID(id)
}

// findNamedAction resolves an external id or a path.
func findNamedAction(ctx context.Context, env *models.Env, name string) (string, int64, error) {
	if module, xmlid, ok := strings.Cut(name, "."); ok {
		var model string
		var id int64
		rows, err := env.Query(ctx, "SELECT model, res_id FROM ir_model_data WHERE module = ? AND name = ?", module, xmlid)
		if err != nil {
			return "", 0, err
		}
		defer rows.Close()
		if rows.Next() {
			if err := rows.Scan(&model, &id); err != nil {
				return "", 0, err
			}
		}
		if err := rows.Err(); err != nil {
			return "", 0, err
		}
		if !slices.Contains(actionModels, model) || env.Registry.Model(model) == nil {
			return "", 0, missingAction(name)
		}
		return model, id, nil
	}
	for _, model := range actionModels {
		m := env.Registry.Model(model)
		if m == nil || m.Fields["path"] == nil {
			continue
		}
		var id int64
		if ok, err := env.Scalar(ctx, &id, "SELECT id FROM "+m.Table+" WHERE path = ? ORDER BY id LIMIT 1", name); err != nil || ok {
			return model, id, err
		}
	}
	return "", 0, missingAction(name)
}

// externalID is a record's external id, "" when it has none.
func externalID(ctx context.Context, env *models.Env, model string, id int64) (string, error) {
	var module, name string
	rows, err := env.Query(ctx, "SELECT module, name FROM ir_model_data WHERE model = ? AND res_id = ? ORDER BY id LIMIT 1", model, id)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	if rows.Next() {
		if err := rows.Scan(&module, &name); err != nil {
			return "", err
		}
		return module + "." + name, rows.Err()
	}
	return "", rows.Err()
}

// actionViews are a window action's views, as Odoo's computed field: a
// [view id or false, view type] pair for each of its view_ids (in their
// order), then for its view_id's type when view_mode names it, then for
// the other types of view_mode.
func actionViews(ctx context.Context, env *models.Env, id int64, action *models.Dict) ([]any, error) {
	out := []any{}
	got := map[string]bool{}
	if m := env.Registry.Model("ir.actions.act_window.view"); m != nil {
		rows, err := env.Query(ctx, "SELECT view_id, view_mode FROM "+m.Table+" WHERE act_window_id = ? ORDER BY sequence, id", id)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var view sql.NullInt64
			var mode sql.NullString
			if err := rows.Scan(&view, &mode); err != nil {
				rows.Close()
				return nil, err
			}
			var v any = false
			if view.Valid {
				v = view.Int64
			}
			out = append(out, []any{v, mode.String})
			got[mode.String] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	mode, _ := action.Get("view_mode")
	s, _ := mode.(string)
	var missing []string
	for _, typ := range strings.Split(s, ",") {
		if typ = strings.TrimSpace(typ); typ == "tree" {
			typ = "list"
		}
		if typ != "" && !got[typ] {
			missing = append(missing, typ)
		}
	}
	if pair, ok := action.Get("view_id"); ok {
		if p, ok := pair.([]any); ok && len(p) > 0 {
			var typ string
			if _, err := env.Scalar(ctx, &typ, "SELECT type FROM ir_ui_view WHERE id = ?", p[0]); err != nil {
				return nil, err
			}
			if i := slices.Index(missing, typ); i >= 0 {
				missing = slices.Delete(missing, i, i+1)
				out = append(out, []any{p[0], typ})
			}
		}
	}
	for _, typ := range missing {
		out = append(out, []any{false, typ})
	}
	return out, nil
}
