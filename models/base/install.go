package base

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/godoo/godoo/models"
)

// Options are the choices made when a database is created.
type Options struct {
	AdminLogin    string
	AdminPassword string
	Lang          string // default en_US
	CountryCode   string // optional company country
	Phone         string
	Demo          bool
	// Modules are the modules the database may install later, listed
	// uninstalled in ir.module.module.
	Modules []ModuleInfo
}

// Install fills a new database, its schema made, with the records of a new
// Odoo base database: languages, currencies, countries, the main company,
// the groups, the users __system__ and admin, access rights, external ids and
// system parameters; with Demo also a demo user and a few partners. env must
// run as the superuser.
func Install(ctx context.Context, env *models.Env, o Options) error {
	in := &installer{env: env.Sudo(), ctx: ctx}
	if o.Lang == "" {
		o.Lang = "en_US"
	}
	if o.AdminLogin == "" {
		o.AdminLogin = "admin"
	}
	ref := in.installReference(o.Lang)
	countries := map[string]int64{}
	for _, c := range referenceData()["res.country"] {
		countries[c.str("code")] = ref[c.XMLID]
	}
	companyPartner := in.create("res.partner", "main_partner", map[string]any{"name": "My Company", "is_company": true, "country_id": countries[o.CountryCode], "phone": o.Phone})
	// Odoo's base_data.sql inserts the main company without a sequence: 0.
	company := in.create("res.company", "main_company", map[string]any{"name": "My Company", "partner_id": companyPartner, "currency_id": ref["base.USD"], "sequence": 0})
	in.write("res.partner", companyPartner, map[string]any{"company_id": company})
	groups := in.installGroups(ref)
	rootPartner := in.create("res.partner", "partner_root", map[string]any{"name": "OdooBot", "company_id": company, "email": "odoobot@example.com"})
	// Odoo 18 base data gives the administrator the address admin@example.com
	// (the recording with mail shows it as the author of messages).
	adminPartner := in.create("res.partner", "partner_admin", map[string]any{"name": "Administrator", "company_id": company, "lang": o.Lang, "email": "admin@example.com"})
	internal := groupIDs(groups, adminGroups)
	in.create("res.users", "user_root", map[string]any{"login": "__system__", "partner_id": rootPartner, "company_id": company, "active": false, "groups_id": internal})
	in.create("res.users", "user_admin", map[string]any{"login": o.AdminLogin, "password": o.AdminPassword, "partner_id": adminPartner, "company_id": company, "groups_id": internal})
	in.create("res.users", "public_user", map[string]any{"login": "public", "name": "Public user", "company_id": company, "active": false, "share": true, "groups_id": []any{groups["group_public"]}})
	if in.err == nil {
		in.err = SyncModels(ctx, in.env)
	}
	in.installRules()
	in.installUI()
	in.installModules(o.Modules)
	for key, value := range map[string]string{
		"database.uuid": NewUUID(), "database.create_date": env.NowText(), "web.base.url": "http://localhost:8069",
		"base.login_cooldown_after": "5", "base.login_cooldown_duration": "60",
	} {
		in.create("ir.config_parameter", "", map[string]any{"key": key, "value": value})
	}
	if o.Demo && in.err == nil {
		in.installDemo(company, countries, groups)
	}
	// The reference data writes menus without their parent_path; they get
	// it here, so that the first process to open the database has nothing
	// to repair.
	if in.err == nil {
		_, in.err = models.FillParentPaths(ctx, env.DB, env.Registry)
	}
	return in.err
}

// adminGroups are the groups of Odoo's __system__ and admin users (what
// they imply follows): the settings, the access rights, the contact
// manager's rights, exports and unsanitized HTML.
var adminGroups = []string{"group_user", "group_erp_manager", "group_system", "group_partner_manager", "group_allow_export", "group_sanitize_override"}

// demoGroups are the groups of Odoo's demo user, those of its template of
// new users: an internal user who manages contacts and may export.
var demoGroups = []string{"group_user", "group_partner_manager", "group_allow_export"}

// groupIDs are the ids of the named groups that exist, in order.
func groupIDs(groups map[string]int64, names []string) []any {
	out := make([]any, 0, len(names))
	for _, n := range names {
		if id := groups[n]; id != 0 {
			out = append(out, id)
		}
	}
	return out
}

func nonEmpty(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// NewUUID returns a random (version 4) UUID in its usual text form, as
// Odoo's database.uuid.
func NewUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// installer creates records and their external ids, keeping the first error
// so that the data list above reads as a plain list.
type installer struct {
	env *models.Env
	ctx context.Context
	err error
}

func (in *installer) create(model, xmlid string, vals map[string]any) int64 {
	return in.createIn("base", model, xmlid, vals)
}

// createIn creates a record with the external id module.xmlid ("" for
// none).
func (in *installer) createIn(module, model, xmlid string, vals map[string]any) int64 {
	if in.err != nil {
		return 0
	}
	m := in.env.Registry.Model(model)
	id, err := in.env.Create(in.ctx, m, vals)
	if err != nil {
		in.err = fmt.Errorf("install %s %s: %w", model, xmlid, err)
		return 0
	}
	if xmlid != "" {
		_, err = in.env.Create(in.ctx, in.env.Registry.Model("ir.model.data"),
			map[string]any{"module": module, "name": xmlid, "model": model, "res_id": id, "noupdate": true})
		if err != nil {
			in.err = fmt.Errorf("install external id %s.%s: %w", module, xmlid, err)
		}
	}
	return id
}

func (in *installer) write(model string, id int64, vals map[string]any) {
	if in.err != nil {
		return
	}
	if err := in.env.Write(in.ctx, in.env.Registry.Model(model), []int64{id}, vals); err != nil {
		in.err = fmt.Errorf("install %s %d: %w", model, id, err)
	}
}

// firstGroups are created first, in this order, so that they keep the ids
// godoo has always given them.
var firstGroups = []string{"group_user", "group_erp_manager", "group_system", "group_portal", "group_public"}

// installGroups creates Odoo's groups with what they imply, and returns
// their ids by external id without the module ("group_user").
func (in *installer) installGroups(ref map[string]int64) map[string]int64 {
	ordered := make([]Group, 0, len(odooGroups))
	for _, name := range firstGroups {
		for _, g := range odooGroups {
			if g.XMLID == "base."+name {
				ordered = append(ordered, g)
			}
		}
	}
	for _, g := range odooGroups {
		if !slices.Contains(firstGroups, strings.TrimPrefix(g.XMLID, "base.")) {
			ordered = append(ordered, g)
		}
	}
	groups := map[string]int64{}
	for _, g := range ordered {
		name := strings.TrimPrefix(g.XMLID, "base.")
		vals := map[string]any{"name": g.Name, "share": g.Share, "api_key_duration": g.APIKeyDuration}
		if g.Category != "" {
			vals["category_id"] = ref[g.Category]
		}
		groups[name] = in.create("res.groups", name, vals)
	}
	for _, g := range ordered {
		var implied []any
		for _, x := range g.Implied {
			implied = append(implied, groups[strings.TrimPrefix(x, "base.")])
		}
		if len(implied) > 0 {
			in.write("res.groups", groups[strings.TrimPrefix(g.XMLID, "base.")], map[string]any{"implied_ids": implied})
		}
	}
	return groups
}

// installDemo adds what Odoo's demo data gives a script to play with: a demo
// user and a dozen companies and contacts.
func (in *installer) installDemo(company int64, countries map[string]int64, groups map[string]int64) {
	demoPartner := in.create("res.partner", "partner_demo", map[string]any{"name": "Marc Demo", "email": "mark.brown23@example.com", "company_id": company})
	in.create("res.users", "user_demo", map[string]any{"login": "demo", "password": "demo", "partner_id": demoPartner, "company_id": company, "groups_id": groupIDs(groups, demoGroups)})
	companies := []struct{ name, city, country, email string }{
		{"Azure Interior", "Fremont", "US", "azure.Interior24@example.com"},
		{"Deco Addict", "Pleasant Hill", "US", "deco_addict@example.com"},
		{"Gemini Furniture", "Fairfield", "US", "gemini_furniture@fake.geminifurniture.com"},
		{"Lumber Inc", "Stockton", "US", "lumber-inv92@example.com"},
		{"Ready Mat", "Tracy", "US", "ready.mat28@example.com"},
		{"The Jackson Group", "Stockton", "US", "jackson.group82@example.com"},
		{"Wood Corner", "Turlock", "US", "wood.corner26@example.com"},
	}
	contacts := [][2]string{{"Brandon Freeman", "brandon.freeman55@example.com"}, {"Colleen Diaz", "colleen.diaz83@example.com"},
		{"Nicole Ford", "nicole.ford75@example.com"}, {"Edwin Hansen", "edwin.hansen58@example.com"},
		{"Jesse Brown", "jesse.brown74@example.com"}, {"Oscar Morgan", "oscar.morgan11@example.com"},
		{"Toni Rhodes", "toni.rhodes11@example.com"}}
	for i, c := range companies {
		id := in.create("res.partner", fmt.Sprintf("res_partner_%d", i+1), map[string]any{"name": c.name, "is_company": true,
			"city": c.city, "country_id": countries[c.country], "email": c.email, "company_id": false})
		in.create("res.partner", fmt.Sprintf("res_partner_%d_contact", i+1), map[string]any{"name": contacts[i][0],
			"email": contacts[i][1], "parent_id": id, "city": c.city, "country_id": countries[c.country]})
	}
}

// installRules adds Odoo's record rules (data/ir.rule.json) of the models
// godoo has.
func (in *installer) installRules() {
	if in.err != nil {
		return
	}
	l := &dataLoader{env: in.env, ctx: in.ctx, ids: map[string]int64{}}
	in.err = l.load("ir.rule", referenceData()["ir.rule"], true)
}
