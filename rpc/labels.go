package rpc

import (
	"strings"

	"github.com/godoo/godoo/models"
)

// Label values are bounded: a request names its service, model and method
// itself, and a client that made up a new name on every call would grow
// the metrics (and the memory behind them) without end. Each value is
// therefore one the server knows (a service and method of the RPC table, a
// model and method of the registry, a route's pattern) or otherwise other.

// otherLabel stands for every name the server does not know.
const otherLabel = "other"

// rpcLabelNames are the services and methods of rpcServices, as label
// values that do not keep a request's memory alive.
var rpcLabelNames = func() map[string]map[string]string {
	out := map[string]map[string]string{}
	for s, methods := range rpcServices {
		out[s] = map[string]string{"": s}
		for m := range methods {
			out[s][m] = m
		}
	}
	return out
}()

// rpcLabels are the label values of an RPC call of service.method.
func rpcLabels(service, method string) (svc, meth string) {
	names, ok := rpcLabelNames[service]
	if !ok {
		return otherLabel, otherLabel
	}
	if meth, ok = names[method]; !ok || method == "" {
		meth = otherLabel
	}
	return names[""], meth
}

// modelLabels are the label values of a call of model.method: the
// registry's names, or other for a model or method it does not know.
func modelLabels(reg *models.Registry, model, method string) (string, string) {
	m := reg.Model(model)
	if m == nil {
		return otherLabel, otherLabel
	}
	if meth := m.Methods[method]; meth != nil && !strings.HasPrefix(method, "_") {
		return m.Name, meth.Name
	}
	return m.Name, otherLabel
}

// reasonLabels are the refusal reasons as label values: their text in
// snake case ("invalid_api_key"); a refused password has no reason of its
// own and counts as credentials.
var reasonLabels = func() map[models.Reason]string {
	out := map[models.Reason]string{models.ReasonNone: "credentials"}
	for _, r := range models.Reasons() {
		out[r] = strings.Map(func(c rune) rune {
			switch {
			case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
				return c
			case c >= 'A' && c <= 'Z':
				return c - 'A' + 'a'
			}
			return '_'
		}, r.String())
	}
	return out
}()
