package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/godoo/godoo/models/base"
)

// The user interface records of Odoo's base module (views, window and
// server actions, scheduled actions, menus), made from the recording's
// ir_model_data_base.json, which gives each its external id and natural
// key: a view's name, an action's name, a menu's complete name. What the
// recording does not tell (the model an action opens, the model of a view
// whose name does not start with it, a server action's model) comes from
// the tables below, facts of Odoo 18's base data; the rest is Odoo's
// defaults.

// actionModels are the res_model of base's window actions.
var actionModels = map[string]string{
	"act_ir_actions_todo_form": "ir.actions.todo", "act_menu_create": "wizard.ir.model.menu.create",
	"act_view_currency_rates": "res.currency.rate", "action_apikeys_admin": "res.users.apikeys",
	"action_asset": "ir.asset", "action_attachment": "ir.attachment", "action_country": "res.country",
	"action_country_group": "res.country.group", "action_country_state": "res.country.state",
	"action_currency_form": "res.currency", "action_decimal_precision_form": "decimal.precision",
	"action_ir_mail_server_list": "ir.mail_server", "action_menu_ir_profile": "ir.profile",
	"action_model_constraint": "ir.model.constraint", "action_model_data": "ir.model.data",
	"action_model_fields": "ir.model.fields", "action_model_fields_selection": "ir.model.fields.selection",
	"action_model_model": "ir.model", "action_model_relation": "ir.model.relation",
	"action_partner_category_form": "res.partner.category", "action_partner_customer_form": "res.partner",
	"action_partner_deduplicate": "base.partner.merge.automatic.wizard", "action_partner_form": "res.partner",
	"action_partner_merge": "base.partner.merge.automatic.wizard", "action_partner_supplier_form": "res.partner",
	"action_partner_title_contact": "res.partner.title", "action_res_bank_form": "res.bank",
	"action_res_company_form": "res.company", "action_res_groups": "res.groups",
	"action_res_partner_bank_account_form": "res.partner.bank", "action_res_users": "res.users",
	"action_res_users_keys_description": "res.users.apikeys.description", "action_res_users_my": "res.users",
	"action_rule": "ir.rule", "action_server_action": "ir.actions.server", "action_ui_view": "ir.ui.view",
	"action_ui_view_custom": "ir.ui.view.custom", "action_user_device": "res.device",
	"action_view_base_import_language": "base.language.import", "action_view_base_language_install": "base.language.install",
	"action_view_base_module_update": "base.module.update", "action_view_base_module_upgrade": "base.module.upgrade",
	"action_view_base_module_upgrade_install": "base.module.upgrade", "action_wizard_lang_export": "base.language.export",
	"actions_ir_filters_view": "ir.filters", "change_password_wizard_action": "change.password.wizard",
	"demo_force_install_action": "ir.demo", "grant_menu_access": "ir.ui.menu", "ir_access_act": "ir.model.access",
	"ir_action_report": "ir.actions.report", "ir_action_window": "ir.actions.act_window",
	"ir_client_actions_report": "ir.actions.client", "ir_config_list_action": "ir.config_parameter",
	"ir_cron_act": "ir.cron", "ir_cron_trigger_action": "ir.cron.trigger", "ir_default_menu_action": "ir.default",
	"ir_embedded_action": "ir.embedded.actions", "ir_logging_all_act": "ir.logging",
	"ir_sequence_actions": "ir.actions.actions", "ir_sequence_form": "ir.sequence",
	"open_module_tree": "ir.module.module", "paper_format_action": "report.paperformat",
	"reports_action": "ir.actions.report", "res_config_setting_act_window": "res.config.settings",
	"res_lang_act_window": "res.lang", "res_partner_industry_action": "res.partner.industry",
	"reset_view_arch_wizard_action": "reset.view.arch.wizard",
}

// viewModels are the models of base's views whose names do not start with
// their model's; "" for QWeb templates, which have none.
var viewModels = map[string]string{
	"change_password_own_form": "change.password.own", "change_password_wizard_user_tree_view": "change.password.user",
	"change_password_wizard_view": "change.password.wizard", "config_wizard_step_view_form": "ir.actions.todo",
	"contact": "", "contact_name": "", "no_contact": "", "report_irmodeloverview": "", "report_irmodulereference": "",
	"demo_failures_dialog": "ir.demo_failure.wizard", "demo_wizard_form_view": "ir.demo_failure.wizard",
	"embedded_action_tree": "ir.embedded.actions", "enable_profiling_wizard": "base.enable.profiling.wizard",
	"form_res_users_key_description": "res.users.apikeys.description", "form_res_users_key_show": "res.users.apikeys.show",
	"ir_actions_todo_tree": "ir.actions.todo", "ir_profile_view_form": "ir.profile", "ir_profile_view_list": "ir.profile",
	"ir_profile_view_search": "ir.profile", "language_install_view_form_lang_switch": "base.language.install",
	"module_view_kanban": "ir.module.module", "paperformat_view_form": "report.paperformat",
	"paperformat_view_tree": "report.paperformat", "res_partner_industry_view_form": "res.partner.industry",
	"res_partner_industry_view_tree": "res.partner.industry", "reset_view_arch_wizard_view": "reset.view.arch.wizard",
	"view_apikeys": "res.users.apikeys", "view_base_import_language": "base.language.import",
	"view_base_language_install": "base.language.install", "view_base_module_uninstall": "base.module.uninstall",
	"view_base_module_update": "base.module.update", "view_base_module_upgrade": "base.module.upgrade",
	"view_base_module_upgrade_install": "base.module.upgrade", "view_client_action_tree": "ir.actions.client",
	"view_decimal_precision_form": "decimal.precision", "view_decimal_precision_tree": "decimal.precision",
	"view_model_menu_create": "wizard.ir.model.menu.create", "view_partner_category_form": "res.partner.category",
	"view_partner_category_list": "res.partner.category", "view_server_action_form": "ir.actions.server",
	"view_server_action_tree": "ir.actions.server", "view_window_action_form": "ir.actions.act_window",
	"view_window_action_search": "ir.actions.act_window", "view_window_action_tree": "ir.actions.act_window",
	"wizard_lang_export": "base.language.export",
}

// serverActions are the model, code (where known) and usage of base's
// server actions.
var serverActions = map[string]struct{ model, code, usage string }{
	"action_run_ir_action_todo":                    {"res.config", "", "ir_actions_server"},
	"autovacuum_job_ir_actions_server":             {"ir.autovacuum", "model._run_vacuum_cleaner()", "ir_cron"},
	"demo_failure_action":                          {"ir.demo_failure.wizard", "", "ir_actions_server"},
	"ir_cron_res_users_deletion_ir_actions_server": {"res.users.deletion", "model._gc_portal_users()", "ir_cron"},
}

// windowViews are the views base's window actions open in order
// (ir.actions.act_window.view): the action and the sequence of each, from
// Odoo's data files; the recording names the view.
var windowViews = map[string]struct {
	action   string
	sequence int
}{
	"action_partner_form_view1": {"action_partner_form", 0}, "action_partner_tree_view1": {"action_partner_form", 1},
	"action_partner_form_view2":          {"action_partner_form", 2},
	"action_partner_customer_form_view1": {"action_partner_customer_form", 1},
	"action_partner_customer_form_view2": {"action_partner_customer_form", 2},
	"action_partner_customer_form_view3": {"action_partner_customer_form", 3},
	"action_partner_vendor_form_view1":   {"action_partner_supplier_form", 1},
	"action_partner_vendor_form_view2":   {"action_partner_supplier_form", 2},
	"action_partner_vendor_form_view3":   {"action_partner_supplier_form", 3},
	"action_res_users_view1":             {"action_res_users", 10}, "action_res_users_view2": {"action_res_users", 20},
	"action_res_users_my_view2": {"action_res_users_my", 10},
	"ir_action_window_view1":    {"ir_action_window", 1}, "ir_action_window_view2": {"ir_action_window", 2},
}

// clientActions are the tags of base's client actions.
var clientActions = map[string]string{"action_client_base_menu": "reload"}

// urlActions are the address and target of base's URL actions.
var urlActions = map[string]struct{ url, target string }{
	"action_open_website": {"/web", "self"},
	"action_theme_store":  {"https://apps.odoo.com/apps/themes", "new"},
	"action_third_party":  {"https://apps.odoo.com/apps/modules", "new"},
}

// reports are the model, template and groups of base's reports (PDF,
// bound to their model's Print menu).
var reports = map[string]struct {
	model, template string
	groups          []any
}{
	"ir_module_reference_print": {"ir.module.module", "base.report_irmodulereference", []any{"base.group_system"}},
	"report_ir_model_overview":  {"ir.model", "base.report_irmodeloverview", nil},
}

type baseXMLID struct {
	XMLID      string `json:"xmlid"`
	Model      string `json:"model"`
	NaturalKey string `json:"natural_key"`
	Noupdate   bool   `json:"noupdate"`
}

// generateUIData writes data/<model>.json for base.UIModels, in whose
// order a record points at records of models before it.
func generateUIData(recording, out string) error {
	var all []baseXMLID
	if err := readJSON(filepath.Join(recording, "ir_model_data_base.json"), &all); err != nil {
		return err
	}
	var recorded []struct {
		Model     string `json:"model"`
		Transient bool   `json:"transient"`
	}
	if err := readJSON(filepath.Join(recording, "ir_model.json"), &recorded); err != nil {
		return err
	}
	transient := map[string]bool{}
	for _, m := range recorded {
		transient[m.Model] = m.Transient
	}
	byModel := map[string][]baseXMLID{}
	for _, x := range all {
		byModel[x.Model] = append(byModel[x.Model], x)
	}
	known := func(model string) error {
		if _, ok := transient[model]; !ok {
			return fmt.Errorf("no model %q in the recording", model)
		}
		return nil
	}
	g := uiGen{views: map[string][]string{}, named: map[[2]string][]viewRef{}}
	files := map[string][]base.DataRecord{}
	for _, model := range base.UIModels {
		var rows []base.DataRecord
		for _, x := range byModel[model] {
			row, err := g.row(x, transient)
			if err != nil {
				return fmt.Errorf("%s %s: %w", model, x.XMLID, err)
			}
			for _, f := range []string{"model", "res_model"} {
				if m, _ := row.Values[f].(string); m != "" {
					if err := known(m); err != nil {
						return fmt.Errorf("%s: %w", x.XMLID, err)
					}
				}
			}
			rows = append(rows, row)
		}
		files[model] = rows
	}
	files["ir.ui.menu"] = menus(byModel["ir.ui.menu"], byModel)
	for _, model := range base.UIModels {
		if err := writeLines(filepath.Join(out, model+".json"), files[model]); err != nil {
			return err
		}
	}
	return nil
}

// uiGen keeps, while views are made, the search views of each model and
// the views of each model and name.
type uiGen struct {
	views map[string][]string     // model -> its search views' external ids
	named map[[2]string][]viewRef // [model, name] -> the views of that name
}

// viewRef is a view made: its external id and type.
type viewRef struct{ xmlid, typ string }

func (g *uiGen) row(x baseXMLID, transient map[string]bool) (base.DataRecord, error) {
	name := strings.TrimPrefix(x.XMLID, "base.")
	row := base.DataRecord{XMLID: x.XMLID, Noupdate: x.Noupdate, Values: map[string]any{}}
	v := row.Values
	switch x.Model {
	case "ir.ui.view":
		model, ok := viewModels[name]
		if !ok {
			model = modelPrefix(x.NaturalKey, transient)
		}
		if !ok && model == "" {
			return row, fmt.Errorf("the view %q names no model: add it to viewModels", x.NaturalKey)
		}
		typ := viewType(x.NaturalKey, name)
		if model == "" {
			typ = "qweb"
		} else {
			v["model"] = model
		}
		v["name"], v["type"], v["priority"], v["mode"], v["active"] = x.NaturalKey, typ, 16, "primary", true
		v["arch_db"] = minimalArch(typ, x.NaturalKey, name)
		if typ == "search" {
			g.views[model] = append(g.views[model], x.XMLID)
		}
		key := [2]string{model, x.NaturalKey}
		g.named[key] = append(g.named[key], viewRef{x.XMLID, typ})
	case "ir.actions.act_window.view":
		w, ok := windowViews[name]
		if !ok {
			return row, fmt.Errorf("no window action: add it to windowViews")
		}
		views := g.named[[2]string{actionModels[w.action], x.NaturalKey}]
		if len(views) != 1 {
			return row, fmt.Errorf("%d views %q of %s", len(views), x.NaturalKey, actionModels[w.action])
		}
		v["act_window_id"], v["sequence"], v["multi"] = "base."+w.action, w.sequence, false
		v["view_id"], v["view_mode"] = views[0].xmlid, views[0].typ
	case "ir.actions.client":
		tag, ok := clientActions[name]
		if !ok {
			return row, fmt.Errorf("no tag: add it to clientActions")
		}
		v["name"], v["type"], v["tag"], v["target"], v["context"] = x.NaturalKey, "ir.actions.client", tag, "current", "{}"
		v["binding_type"], v["binding_view_types"] = "action", "list,form"
	case "ir.actions.act_url":
		u, ok := urlActions[name]
		if !ok {
			return row, fmt.Errorf("no url: add it to urlActions")
		}
		v["name"], v["type"], v["url"], v["target"] = x.NaturalKey, "ir.actions.act_url", u.url, u.target
		v["binding_type"], v["binding_view_types"] = "action", "list,form"
	case "ir.actions.report":
		r, ok := reports[name]
		if !ok {
			return row, fmt.Errorf("no model: add it to reports")
		}
		v["name"], v["type"], v["model"], v["report_type"] = x.NaturalKey, "ir.actions.report", r.model, "qweb-pdf"
		v["report_name"], v["report_file"], v["multi"], v["attachment_use"] = r.template, r.template, false, false
		v["binding_model_id"], v["binding_type"], v["binding_view_types"] = "base.model_"+strings.ReplaceAll(r.model, ".", "_"), "report", "list,form"
		if r.groups != nil {
			v["groups_id"] = r.groups
		}
	case "ir.actions.act_window":
		model, ok := actionModels[name]
		if !ok {
			return row, fmt.Errorf("no res_model: add it to actionModels")
		}
		v["name"], v["type"], v["res_model"] = x.NaturalKey, "ir.actions.act_window", model
		v["binding_type"], v["binding_view_types"], v["context"] = "action", "list,form", "{}"
		v["view_mode"], v["mobile_view_mode"], v["limit"], v["filter"] = "list,form", "kanban", 80, false
		v["target"] = "current"
		if transient[model] {
			v["target"], v["view_mode"] = "new", "form"
		}
		if s := g.views[model]; len(s) == 1 {
			v["search_view_id"] = s[0] // the model's only search view
		}
	case "ir.actions.server":
		s, ok := serverActions[name]
		if !ok {
			return row, fmt.Errorf("no model: add it to serverActions")
		}
		v["name"], v["type"], v["binding_type"], v["binding_view_types"] = x.NaturalKey, "ir.actions.server", "action", "list,form"
		v["model_id"], v["state"], v["usage"], v["sequence"] = "base.model_"+strings.ReplaceAll(s.model, ".", "_"), "code", s.usage, 5
		v["model_name"] = s.model // stored, related to model_id.model
		if s.code != "" {
			v["code"] = s.code
		}
	case "ir.cron":
		v["ir_actions_server_id"], v["cron_name"] = x.XMLID+"_ir_actions_server", x.NaturalKey
		v["user_id"], v["active"], v["interval_number"], v["interval_type"], v["priority"] = "base.user_root", true, 1, "days", 5
	}
	return row, nil
}

// modelPrefix is the longest model name that a view's name starts with,
// followed by a dot, a space or nothing ("res.partner.form").
func modelPrefix(name string, models map[string]bool) string {
	best := ""
	for m := range models {
		if m == "base" || len(m) <= len(best) {
			continue
		}
		if name == m || strings.HasPrefix(name, m+".") || strings.HasPrefix(name, m+" ") {
			best = m
		}
	}
	return best
}

// viewType is the kind of a view, read from the words of its name or of
// its external id.
func viewType(name, xmlid string) string {
	for _, s := range []string{strings.ToLower(name), xmlid} {
		words := strings.FieldsFunc(s, func(r rune) bool { return r == '.' || r == '_' || r == ' ' })
		for i := len(words) - 1; i >= 0; i-- {
			switch words[i] {
			case "search", "select", "filter":
				return "search"
			case "list", "tree":
				return "list"
			case "kanban":
				return "kanban"
			case "calendar":
				return "calendar"
			case "form":
				return "form"
			}
		}
	}
	return "form"
}

// minimalArch is the architecture godoo gives a view: its root element
// alone (Odoo's full architectures are not part of the facts).
func minimalArch(typ, name, xmlid string) string {
	switch typ {
	case "qweb":
		return fmt.Sprintf(`<t t-name="base.%s"/>`, xmlid)
	case "form", "search":
		return fmt.Sprintf(`<%s string=%q/>`, typ, name)
	}
	return "<" + typ + "/>"
}

// menuActions are the models of the actions a menu may open, found by
// the menu's name.
var menuActions = []string{"ir.actions.act_window", "ir.actions.act_url", "ir.actions.client"}

// menusWithoutAction are the menus that open nothing though an action has
// their name: the Theme Store folder beside the Theme Store link.
var menusWithoutAction = map[string]bool{"base.theme_store": true}

// menus are base's menus from their complete names: a menu's parent is
// the menu whose complete name is the longest that its own extends by
// "/"; its action the action of menuActions of the same name, when only
// one has it (and the menu is not one of menusWithoutAction). Parents come
// first.
func menus(rows []baseXMLID, byModel map[string][]baseXMLID) []base.DataRecord {
	complete := map[string]string{} // complete name -> external id
	for _, r := range rows {
		if _, ok := complete[r.NaturalKey]; !ok {
			complete[r.NaturalKey] = r.XMLID
		}
	}
	byName := map[string][]string{} // name -> "model,external id" of the actions of that name
	for _, model := range menuActions {
		for _, a := range byModel[model] {
			byName[a.NaturalKey] = append(byName[a.NaturalKey], model+","+a.XMLID)
		}
	}
	out := make([]base.DataRecord, 0, len(rows))
	for _, r := range rows {
		name, parent := r.NaturalKey, ""
		for i := len(r.NaturalKey) - 1; i > 0; i-- {
			if r.NaturalKey[i] != '/' {
				continue
			}
			if p, ok := complete[r.NaturalKey[:i]]; ok {
				name, parent = r.NaturalKey[i+1:], p
				break
			}
		}
		v := map[string]any{"name": name, "active": true, "sequence": 10}
		if parent != "" {
			v["parent_id"] = parent
		}
		if a := byName[name]; len(a) == 1 && !menusWithoutAction[r.XMLID] {
			v["action"] = a[0]
		}
		out = append(out, base.DataRecord{XMLID: r.XMLID, Noupdate: r.Noupdate, Values: v})
	}
	return parentsFirst(out)
}
