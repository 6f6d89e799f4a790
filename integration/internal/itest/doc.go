// Package itest is the harness of godoo's end-to-end test packages
// (integration and its sub-packages): it starts real servers over real
// HTTP on loopback on every store (SQLite always, PostgreSQL when
// GODOO_TEST_DSN names a server), makes their databases from templates,
// calls them with real clients, and waits for PostgreSQL's notices to
// reach every process.
//
// It is an ordinary package, imported by test files only, so that each
// group of tests can be a package of its own and a test binary of its own
// (go test limits each binary's run, not the suite's). Everything it
// names belongs to one test process: template databases and temporary
// folders carry random names and are removed by Main at the end of the
// process that made them, so packages that run at once share nothing.
package itest
