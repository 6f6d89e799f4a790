package base

import (
	_ "embed"
	"encoding/json"
)

// Group is a group of Odoo's base module, as data/groups.json lists it
// (generated from the recording by models/modelgen).
type Group struct {
	XMLID          string   `json:"xmlid"`
	Name           string   `json:"name"`
	Category       string   `json:"category,omitempty"`
	Implied        []string `json:"implied"`
	Share          bool     `json:"share"`
	APIKeyDuration float64  `json:"api_key_duration"`
}

// Access is a row of Odoo's ir.model.access, as data/access.json lists it
// (generated from the recording by models/modelgen): the group by external
// id ("" for everyone) and the rights as letters, r read, w write, c
// create, u unlink.
type Access struct {
	XMLID string `json:"xmlid"`
	Name  string `json:"name"`
	Model string `json:"model"`
	Group string `json:"group"`
	Perms string `json:"perms"`
}

//go:embed data/groups.json
var groupsJSON []byte

//go:embed data/access.json
var accessJSON []byte

// odooGroups and odooAccess are Odoo's groups and access rows.
var odooGroups, odooAccess = func() ([]Group, []Access) {
	var groups []Group
	var access []Access
	if err := json.Unmarshal(groupsJSON, &groups); err != nil {
		panic("base: data/groups.json: " + err.Error())
	}
	if err := json.Unmarshal(accessJSON, &access); err != nil {
		panic("base: data/access.json: " + err.Error())
	}
	return groups, access
}()

// accessDef grants groups (by external id, "" for everyone) rights on a model:
// letters r, w, c, u for read, write, create, unlink.
type accessDef struct{ model, group, perms string }

// baseAccess are godoo's rows beside Odoo's: rights godoo has always
// granted (everyone reads languages, currencies and countries; internal
// users write contacts and tags) and those of the models only godoo has.
var baseAccess = []accessDef{
	{"res.partner", "group_user", "rwcu"}, {"res.partner", "group_portal", "r"}, {"res.partner", "group_public", "r"},
	{"res.users", "group_user", "r"}, {"res.users", "group_erp_manager", "rwcu"}, {"res.users", "group_portal", "r"},
	{"res.company", "", "r"}, {"res.company", "group_erp_manager", "rwcu"},
	{"res.groups", "group_user", "r"}, {"res.groups", "group_erp_manager", "rwcu"},
	{"res.lang", "", "r"}, {"res.lang", "group_system", "rwcu"},
	{"res.currency", "", "r"}, {"res.currency", "group_system", "rwcu"},
	{"res.country", "", "r"}, {"res.country", "group_system", "rwcu"},
	{"res.country.state", "", "r"}, {"res.country.state", "group_system", "rwcu"},
	{"ir.model", "group_user", "r"}, {"ir.model", "group_system", "rwcu"},
	{"ir.model.data", "group_user", "r"}, {"ir.model.data", "group_system", "rwcu"},
	{"ir.model.access", "group_user", "r"}, {"ir.model.access", "group_system", "rwcu"},
	{"ir.config_parameter", "group_system", "rwcu"},
	{"res.users.apikeys", "group_user", "r"}, {"res.users.apikeys", "group_portal", "r"},
	{"res.users.apikeys.description", "group_user", "rwcu"}, {"res.users.apikeys.description", "group_portal", "rwcu"},
	{"res.users.identitycheck", "group_user", "rwc"}, {"res.users.identitycheck", "group_portal", "rwc"},
	{"auth.api.key", "group_system", "rwcu"}, {"auth.key.audit", "group_system", "r"}, {"auth.api.key.group", "group_system", "rwcu"},
	{"res.partner.category", "group_user", "rwcu"}, {"res.partner.category", "group_portal", "r"},
	{"ir.model.fields", "group_user", "r"}, {"ir.model.fields", "group_system", "rwcu"},
	{"ir.rule", "group_user", "r"}, {"ir.rule", "group_system", "rwcu"},
	{"ir.attachment", "group_user", "rwcu"},
}
