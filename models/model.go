package models

import (
	"context"
	"strings"
)

// Model is one Odoo model as the engine serves it: its table, fields,
// methods and the Go behaviour attached to it. Models are built from
// declarations (see Declaration) or, for tests and tools, in Go, and then
// registered (see Registry.Register).
type Model struct {
	Name        string
	Description string
	Table       string
	// RecName is the field that names a record (Odoo's _rec_name).
	RecName string
	// RecNamesSearch are the fields a search on display_name (and so
	// name_search) looks in, Odoo's _rec_names_search; empty means RecName.
	RecNamesSearch []string
	// Order is the default order (Odoo's _order), already validated.
	Order string
	// Fields by name, and their declaration order for fields_get.
	Fields     map[string]*Field
	FieldOrder []string
	Methods    map[string]*Method
	// Inherits maps each model this one delegates to (Odoo's _inherits) to
	// the required many2one that holds the delegated record.
	Inherits map[string]string
	// Constraints are the unique constraints of the table, with the
	// messages Odoo shows when one is violated.
	Constraints []SQLConstraint
	// Indexes are the table's indexes over several columns; a field's own
	// index is its Index flag.
	Indexes []Index
	// Columns are the table's columns that are no field: data the engine or
	// the credential checks keep beside the record (a key's hash, a user's
	// auth_version).
	Columns []Column
	// AuthCached models hold rows that the credential and access checks
	// cache across transactions: a write to their table invalidates those
	// caches, in every process, when it commits (Env.CredentialsChanging).
	AuthCached bool
	// Abstract models have no table and no log fields (Odoo's mixins);
	// Transient ones are Odoo's wizards, kept as any model in godoo.
	Abstract, Transient bool
	// NoLogAccess models keep no log of who created and last wrote their
	// records (Odoo's _log_access = False): no create_uid, create_date,
	// write_uid, write_date.
	NoLogAccess bool
	// IDSequence is the sequence of ids the model's table shares with
	// other tables (Declaration.IDSequence); empty for its own.
	IDSequence string

	Hooks
}

// Hooks are the Go behaviour that specialises the generic ORM for one
// model. Every one may be nil.
type Hooks struct {
	// DisplayName computes display_name for records read with the stored
	// fields named in DisplayNameDeps; nil means the RecName value.
	DisplayName     func(ctx context.Context, env *Env, recs []Record) error
	DisplayNameDeps []string
	// Rule returns the domain of the records the user may see and change
	// (Odoo's record rules); nil means every record. The superuser is never
	// restricted.
	Rule func(ctx context.Context, env *Env) ([]any, error)
	// RuleFor is Rule for models whose records a user may read but not
	// change (an attachment follows the access the user has to its
	// record: reading it needs read access, changing it write access).
	// When set, it is used instead of Rule. Its domain need only be right
	// for the records of scope, the only ones it is applied to.
	RuleFor func(ctx context.Context, env *Env, op Op, scope RuleScope) ([]any, error)
	// SearchFilter returns a domain every search of the model adds to the
	// caller's (given as its terms), as the active test does, or nil for
	// none: ir.attachment leaves out the attachments of binary fields
	// unless the domain names res_field or id.
	SearchFilter func(terms []any) []any

	// SelfWritable are the fields a user may write on their own record
	// without write access to the model (Odoo's SELF_WRITEABLE_FIELDS of
	// res.users: preferences); fields named context_* are too. A write of
	// these fields alone on the caller's own record runs as the superuser.
	SelfWritable []string
	// CopyMarked are the text fields whose value a copy gets with
	// " (copy)" added, as Odoo's copy_data of the model does.
	CopyMarked []string

	// NameSearchFirst returns the domain of the records name_search lists
	// before the others for a name and a positive operator (the country
	// whose code is the name), or nil for none.
	NameSearchFirst func(name, op string) []any

	// StoredAs names, for a computed field that has no column, the stored
	// field of the same record it is computed from, which searches and
	// orders stand for it with, as Odoo's _search and _order_field_to_sql
	// of the model do (account.account's code is its code_store).
	StoredAs map[string]string

	// NameCreateValues are the values name_create creates a record with
	// from a name (a partner's "Name <email>" gives both); nil means the
	// name as the rec_name.
	NameCreateValues func(name string) map[string]any

	// CopyData adjusts the values copy creates a copy of the record id
	// with, before the caller's defaults apply (def): a copied user's login
	// and name are marked as a copy's.
	CopyData func(ctx context.Context, env *Env, id int64, vals, def map[string]any) error

	// RuleRefusal is the AccessError of a refusal by the model's rules of
	// op on the records ids (those refused, in the order checked), for a
	// model that words it otherwise than every model (Odoo's
	// _make_access_error of mail.message); nil means Odoo's default.
	RuleRefusal func(env *Env, op Op, ids []int64) error

	// ParentCycle is the message of the ValidationError a write of
	// parent_id gets when it makes a record its own ancestor (Odoo's
	// constraint on _has_cycle); empty for none. A model with a
	// parent_path refuses one anyway (see Env.Write).
	ParentCycle string

	// Overrides are Odoo's overrides in the model's class of methods every
	// model has, by method name, where godoo runs the method every model
	// has: what a client sees of them (the class a TypeError names).
	Overrides map[string]Override

	// PrepareVals rewrites the caller's values of a create or a write
	// before anything else sees them (defaults, access checks, the other
	// hooks), as Odoo's overrides of create and write that rewrite their
	// values before calling super: res.users turns the values of its
	// fields of groups into groups_id. It gets a copy of the caller's
	// values, and the records written (none for a create).
	PrepareVals func(ctx context.Context, env *Env, ids []int64, vals map[string]any) error

	BeforeCreate func(ctx context.Context, env *Env, vals map[string]any) error
	AfterCreate  func(ctx context.Context, env *Env, id int64, vals map[string]any) error
	BeforeWrite  func(ctx context.Context, env *Env, ids []int64, vals map[string]any) error
	AfterWrite   func(ctx context.Context, env *Env, ids []int64, vals map[string]any) error
	BeforeUnlink func(ctx context.Context, env *Env, ids []int64) error
	// WriteFailed runs when a create or a write fails once its Before
	// hook was called (ids nil for a create), with the values the hooks
	// got: what a Before hook starts for its After hook, which will not
	// run, is ended, as a caller may carry on in the transaction.
	WriteFailed func(ctx context.Context, env *Env, ids []int64, vals map[string]any)
}

// Override is what a client sees of Odoo's override of a method every
// model has (res.partner's write, in class Partner).
type Override struct {
	// Class is the Python class of the override, which the TypeErrors of
	// its arguments name: "Partner.write() missing 1 required positional
	// argument: 'vals'".
	Class string
	// DictGet tells an override that reads its dict argument with .get
	// before anything else: another value is the AttributeError "'list'
	// object has no attribute 'get'".
	DictGet bool
}

// SQLConstraint is a unique constraint with its user message. A constraint
// without a message answers with the database's description of it.
type SQLConstraint struct {
	Name    string
	Columns []string // in index order, also to recognise SQLite's report
	Message string
}

// Index is an index over columns of the model's table.
type Index struct {
	Name    string
	Columns []string
	// Using is "trigram" for a GIN index of trigrams (PostgreSQL's
	// pg_trgm), which serves like and ilike with a leading wildcard, as
	// Odoo's index='trigram'. It is made only on PostgreSQL, once the
	// database has the pg_trgm extension (an operator's choice, as Odoo's
	// unaccent): elsewhere, and without the extension, it is left out.
	Using string `json:"using,omitempty"`
}

// IndexTrigram is Index.Using for an index of trigrams.
const IndexTrigram = "trigram"

// Column is a column of a model's table that is no field.
type Column struct {
	Name     string
	Type     string // a field type, which gives the SQL type
	Size     int    // of a char column; 0 for none
	Required bool
	Default  any // a static default, nil for none
	Index    bool
}

// LogAccess reports whether the model's records log who created and last
// wrote them.
func (m *Model) LogAccess() bool { return !m.Abstract && !m.NoLogAccess }

// Field returns the named field or nil.
func (m *Model) Field(name string) *Field { return m.Fields[name] }

// AddField adds f to the model, keeping declaration order.
func (m *Model) AddField(f *Field) {
	if m.Fields == nil {
		m.Fields = map[string]*Field{}
	}
	if f.String == "" {
		f.String = defaultLabel(f.Name)
	}
	if f.Model == "" {
		f.Model = m.Name
	}
	if _, dup := m.Fields[f.Name]; !dup {
		m.FieldOrder = append(m.FieldOrder, f.Name)
	}
	m.Fields[f.Name] = f
}

// AddMethod adds or replaces a method.
func (m *Model) AddMethod(meth *Method) {
	if m.Methods == nil {
		m.Methods = map[string]*Method{}
	}
	m.Methods[meth.Name] = meth
}

// HasActive reports whether the model has an active flag, which turns on
// Odoo's active_test filtering.
func (m *Model) HasActive() bool {
	f := m.Fields["active"]
	return f != nil && f.Type == Boolean && f.Stored()
}

func defaultLabel(name string) string {
	name = strings.TrimSuffix(strings.TrimSuffix(name, "_ids"), "_id")
	words := strings.Split(name, "_")
	for i, w := range words {
		if w != "" {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(words, " ")
}
