package rpc

import (
	"bytes"
	"errors"
	"log/slog"
	"mime"
	"net/http"
	"strings"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/rpc/jsonrpc"
	"github.com/godoo/godoo/services"
)

// json2 serves Odoo 19's JSON-2 API, POST /json/2/<model>/<method>: a JSON
// object of named arguments, authenticated by a native key as a bearer
// token or by an API-KEY header key, running as the key's user through the
// same services as execute_kw. Errors answer with an HTTP status and the
// body {name, message, arguments, context, debug}.
type json2 struct {
	web      *services.Web
	auth     *services.Auth
	log      *slog.Logger
	body     bodyPolicy
	maxDepth int
}

const json2Hint = "Did you mean POST /json/2/<model>/<method>?"

func (j *json2) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, "/json/2/")
	model, method, ok := strings.Cut(rest, "/")
	if r.Method != http.MethodPost || r.URL.Path == "/json/2" || !ok || model == "" || method == "" || strings.Contains(method, "/") {
		j.error(w, http.StatusNotFound, "werkzeug.exceptions.NotFound", "404 Not Found: "+json2Hint)
		return
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/json" {
		w.Header().Set("Accept", "application/json")
		j.error(w, http.StatusUnsupportedMediaType, "werkzeug.exceptions.UnsupportedMediaType",
			"415 Unsupported Media Type: Request inferred type is compatible with ['http'] but '"+r.URL.Path+"' is type='json2'. Please verify the Content-Type request header and try again.")
		return
	}
	id, ok := j.identify(w, r)
	if !ok {
		return
	}
	body, err := j.body.read(r)
	if err != nil {
		if !writeBodyError(w, err) {
			j.error(w, http.StatusBadRequest, "werkzeug.exceptions.BadRequest", "could not read the body")
		}
		return
	}
	args := map[string]any{}
	if len(bytes.Trim(body, " \t\r\n")) > 0 {
		v, err := jsonrpc.Decode(body, j.maxDepth)
		var syntax *jsonrpc.SyntaxError
		if errors.As(err, &syntax) {
			j.error(w, http.StatusBadRequest, "werkzeug.exceptions.BadRequest", "could not parse the body as json: "+syntax.Error())
			return
		}
		if err != nil {
			j.fault(w, r, err, method)
			return
		}
		m, isObj := v.(map[string]any)
		if !isObj {
			j.error(w, http.StatusBadRequest, "werkzeug.exceptions.BadRequest", "could not parse the body, expecting a json object")
			return
		}
		args = m
	}
	call := services.JSON2Call{Model: model, Method: method, Kwargs: args}
	call.IDs, call.HasIDs = args["ids"]
	delete(args, "ids")
	res, err := j.web.JSON2(r.Context(), id, call)
	if err != nil {
		j.fault(w, r, err, method)
		return
	}
	var buf bytes.Buffer
	if err := encodeJSON(&buf, res); err != nil {
		j.fault(w, r, err, method)
		return
	}
	writeJSON(w, http.StatusOK, buf.Bytes())
}

// identify resolves the key: a bearer token (native key) or an API-KEY
// header key. A missing or bad key answers 401 with a Bearer challenge.
func (j *json2) identify(w http.ResponseWriter, r *http.Request) (Identity, bool) {
	id, err := j.key(r)
	if err != nil {
		j.fault(w, r, err, "")
		return Identity{}, false
	}
	return id, true
}

func (j *json2) key(r *http.Request) (Identity, error) {
	cr := services.Credentials{DB: requestedDB(r), APIKey: headerKey(r), Bearer: bearerToken(r.Header.Get("Authorization"))}
	if sid, explicit := sessionID(r); sid != "" && !explicit {
		if sdb, ok := services.SessionDatabase(sid); ok && cr.DB != "" && sdb != cr.DB {
			return Identity{}, models.Refused(models.KindAccessDenied, models.ReasonSessionDatabase)
		}
		if cr.Bearer == "" && cr.APIKey == "" {
			// A browser session is only for interactive use, which godoo's
			// JSON-2 does not serve: scripts send a key.
			return Identity{}, models.Refused(models.KindAccessDenied, models.ReasonBrowserSession)
		}
	}
	switch {
	case cr.Bearer != "":
		return j.auth.Bearer(r.Context(), cr)
	case cr.APIKey != "":
		return j.auth.APIKey(r.Context(), cr)
	}
	return Identity{}, models.Refused(models.KindAccessDenied, models.ReasonMissingBearer)
}

// fault answers an error with the status of rpc/errors.go's table.
func (j *json2) fault(w http.ResponseWriter, r *http.Request, err error, method string) {
	writeJSON2Error(w, toFault(abandoned(r.Context(), err), j.log, method))
}

func (j *json2) error(w http.ResponseWriter, status int, name, msg string) {
	writeJSON(w, status, json2Body(name, msg, "", msg))
}

// docBearer serves GET /doc-bearer/<model>.json: the model's fields and
// public methods with their parameters, which JSON-2 clients read to map
// positional arguments to names.
func (j *json2) docBearer(w http.ResponseWriter, r *http.Request) {
	file := r.PathValue("file")
	model, ok := strings.CutSuffix(file, ".json")
	if !ok || model == "" {
		j.error(w, http.StatusNotFound, "werkzeug.exceptions.NotFound", "404 Not Found")
		return
	}
	id, ok := j.identify(w, r)
	if !ok {
		return
	}
	doc, err := j.web.Describe(r.Context(), id, model)
	if err != nil {
		j.fault(w, r, err, "doc")
		return
	}
	var buf bytes.Buffer
	if err := encodeJSON(&buf, doc); err != nil {
		j.fault(w, r, err, "doc")
		return
	}
	writeJSON(w, http.StatusOK, buf.Bytes())
}
