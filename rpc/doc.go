// Package rpc is godoo's HTTP front, the only package that knows HTTP. It
// serves Odoo's external API in five protocols:
//
//   - XML-RPC on /xmlrpc/2/<service>, and on the legacy /xmlrpc/<service>
//     whose fault codes are strings (wire format: rpc/xmlrpc);
//   - JSON-RPC on /jsonrpc (wire format: rpc/jsonrpc), the same calls as
//     XML-RPC: common, object and db;
//   - the web client's JSON routes that client libraries use
//     (/web/session/authenticate, /web/dataset/call_kw, ...), JSON-RPC
//     envelopes with a web session;
//   - Odoo 19's JSON-2, POST /json/2/<model>/<method> with a key;
//   - plain HTTP routes with an auth mode: /web/health, /auth/whoami/<mode>
//     and those a program that embeds godoo adds with Handler.Route; and
//     the probes /readyz and /livez, and /metrics when the program serves
//     Metrics there.
//
// Every request comes in through Handler.ServeHTTP (request id, body
// limits, call timeout, recovery, client address, and once answered its
// access log line and metrics, exchange.go), proves who it runs as through the
// one table of auth modes (authmode.go: none, public, user, api_key,
// bearer, basic_api_key, and the password of an RPC call), runs through
// the services, and has its errors answered through the one table of
// errors (errors.go), which turns a *models.Error into each protocol's
// answer.
package rpc
