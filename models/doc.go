// Package models is godoo's ORM engine: the registry of models, their
// fields and methods, domains compiled to SQL, reads and writes in Odoo's
// formats, access rights and record rules, and the schema the models need.
// It knows no protocol (rpc turns its errors into Odoo's faults) and never
// begins or commits a transaction (services does; model code gets the
// call's transaction in Env.DB).
//
// The engine declares no model. Models are declarations, one data file per
// model in the shape of fields_get (see Declaration), with Go behaviour
// attached by model name (see Behaviour): models/base declares the models
// of Odoo's base module and registers them into a Registry it is given.
// The engine loads the same format at runtime. EnsureSchema creates the
// tables, columns, link tables, foreign keys, constraints and indexes that
// declarations call for, on both dialects, after the numbered migrations
// (package migrations) that hold the databases' history and the tables
// that are no model's; SchemaDiff tells what differs.
//
// Where the engine depends on the base module, it is on the security
// models Odoo's ORM itself relies on: access rights are read from
// ir.model.access, record rules from ir.rule, group membership from
// res.groups, external ids from ir.model.data, a user's companies and name
// from res.users, and the log fields (create_uid, write_uid) point at
// res.users.
//
// Besides the engine, the package holds what every layer shares: the error
// kinds (errors.go), the Store interface the stores implement
// (models/sqlitestore, models/pgstore, sharing models/storeutil), and the
// credential storage that auth reads on the pool (users, native and header
// keys, web sessions, failure counters). Python's semantics on the wire are
// models/py.
package models
