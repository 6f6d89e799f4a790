package base

import (
	"bufio"
	"context"
	"crypto/sha1"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"io"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/filestore"
	"github.com/godoo/godoo/models/py"
)

// attachmentBehaviour is ir.attachment's: the content written through
// datas (base64) or raw goes to the filestore (or to db_datas when the
// system parameter ir_attachment.location is "db", or when the database
// has no filestore), with its size, checksum and mimetype; the content is
// read back through the same fields; files an attachment stops using are
// marked for collection; access follows the record the attachment belongs
// to (attachmentRule).
func attachmentBehaviour() *models.Behaviour {
	return &models.Behaviour{
		Hooks: models.Hooks{
			BeforeCreate: func(ctx context.Context, env *models.Env, vals map[string]any) error {
				return storeContent(ctx, env, nil, vals)
			},
			BeforeWrite: func(ctx context.Context, env *models.Env, ids []int64, vals map[string]any) error {
				if err := checkNewTarget(ctx, env, vals); err != nil {
					return err
				}
				return storeContent(ctx, env, ids, vals)
			},
			BeforeUnlink: func(ctx context.Context, env *models.Env, ids []int64) error {
				return markStored(ctx, env, ids)
			},
			RuleFor:      attachmentRule,
			SearchFilter: fieldAttachmentsHidden,
		},
		Methods: []*models.Method{
			{Name: "generate_access_token", Record: true, Op: models.OpWrite, Class: "IrAttachment", Fn: generateAccessToken},
		},
		Computes: map[string]func(context.Context, *models.Env, []models.Record) error{
			"_compute_datas":    computeDatas,
			"_compute_raw":      computeRaw,
			"_compute_res_name": computeResName,
		},
		Defaults: map[string]func(context.Context, *models.Env) any{
			"company_id": func(ctx context.Context, env *models.Env) any {
				var id int64
				if ok, err := env.Scalar(ctx, &id, "SELECT company_id FROM res_users WHERE id = ?", env.UID); err != nil || !ok {
					return false
				}
				return id
			},
		},
	}
}

// generateAccessToken gives each attachment without one a random access
// token, and returns every attachment's token in order, as Odoo's
// generate_access_token (the token lets a link open the attachment).
func generateAccessToken(ctx context.Context, env *models.Env, m *models.Model, ids []int64, _ models.Args) (any, error) {
	out := make([]any, 0, len(ids))
	for _, id := range ids {
		got, err := env.Read(ctx, m, []int64{id}, []string{"access_token"}, false)
		if err != nil {
			return nil, err
		}
		if len(got) == 0 {
			continue
		}
		if tok, ok := got[0]["access_token"].(string); ok && tok != "" {
			out = append(out, tok)
			continue
		}
		tok := NewUUID()
		if err := env.Write(ctx, m, []int64{id}, map[string]any{"access_token": tok}); err != nil {
			return nil, err
		}
		out = append(out, tok)
	}
	return out, nil
}

// contentFields are the columns an attachment's content sets; a client's
// values for them are replaced by those of the content written, and
// dropped when it writes none, so that no row can claim a file it did not
// write.
var contentFields = []string{"store_fname", "db_datas", "checksum", "file_size"}

// storeContent turns datas or raw in vals into the stored content and the
// columns that describe it, for a new attachment (ids nil) or ids.
func storeContent(ctx context.Context, env *models.Env, ids []int64, vals map[string]any) error {
	for _, k := range contentFields {
		delete(vals, k)
	}
	content, given, err := contentOf(vals)
	if err != nil {
		return err
	}
	if !given {
		return plainMarkup(ctx, env, vals)
	}
	delete(vals, "datas")
	delete(vals, "raw")
	if err := lockAttachments(ctx, env, false); err != nil {
		return err
	}
	if len(ids) > 0 {
		// The files the rewritten attachments used may be unused now.
		if err := markStored(ctx, env, ids); err != nil {
			return err
		}
	}
	if content == nil {
		vals["store_fname"], vals["db_datas"], vals["checksum"], vals["file_size"] = nil, nil, nil, int64(0)
		return nil
	}
	br := bufio.NewReaderSize(content, 512)
	head, _ := br.Peek(512)
	if m, ok := vals["mimetype"].(string); !ok || m == "" {
		vals["mimetype"] = guessMimetype(ctx, env, ids, vals, head)
	}
	if err := plainMarkup(ctx, env, vals); err != nil {
		return err
	}
	inDB, err := storesInDB(ctx, env)
	if err != nil {
		return err
	}
	if inDB {
		// Kept in the row as base64 text, the form of every binary column.
		raw, err := io.ReadAll(br)
		if err != nil {
			return badContent(err)
		}
		sum := sha1.Sum(raw)
		vals["checksum"], vals["file_size"] = hex.EncodeToString(sum[:]), int64(len(raw))
		vals["store_fname"], vals["db_datas"] = nil, base64.StdEncoding.EncodeToString(raw)
		return nil
	}
	blob, err := env.Files.Write(br)
	if err != nil {
		return badContent(err)
	}
	env.FilesMarked()
	vals["checksum"], vals["file_size"] = blob.Checksum, blob.Size
	vals["store_fname"], vals["db_datas"] = blob.Fname, nil
	return nil
}

// contentOf returns a reader of the content vals write, nil for an empty
// one; given is false when vals write none. datas is base64 text, decoded
// as it is read so that a large file is never held decoded; raw is the
// bytes themselves.
func contentOf(vals map[string]any) (r io.Reader, given bool, err error) {
	if v, ok := vals["raw"]; ok {
		switch x := v.(type) {
		case string:
			if x == "" {
				return nil, true, nil
			}
			return strings.NewReader(x), true, nil
		case []byte:
			if len(x) == 0 {
				return nil, true, nil
			}
			return strings.NewReader(string(x)), true, nil
		case nil, bool:
			if x == true {
				break
			}
			return nil, true, nil
		}
		return nil, false, models.ValidationErrorf("The value for the binary field raw is not valid.")
	}
	v, ok := vals["datas"]
	if !ok {
		return nil, false, nil
	}
	switch x := v.(type) {
	case string:
		if x == "" {
			return nil, true, nil
		}
		return base64.NewDecoder(base64.StdEncoding, strings.NewReader(x)), true, nil
	case nil:
		return nil, true, nil
	case bool:
		if !x {
			return nil, true, nil
		}
	}
	return nil, false, models.ValidationErrorf("The value for the binary field datas is not valid base64 text.")
}

// badContent is the answer to a content that could not be read or stored:
// base64 text that is not, mostly.
func badContent(err error) error {
	if _, ok := err.(base64.CorruptInputError); ok {
		return models.ValidationErrorf("The value for the binary field datas is not valid base64 text.")
	}
	return err
}

// guessMimetype is Odoo's order: the name's extension, then the content.
func guessMimetype(ctx context.Context, env *models.Env, ids []int64, vals map[string]any, head []byte) string {
	name, _ := vals["name"].(string)
	if name == "" && len(ids) > 0 {
		_, _ = env.Scalar(ctx, &name, "SELECT name FROM ir_attachment WHERE id = ?", ids[0])
	}
	if ext := path.Ext(name); ext != "" {
		if t := mime.TypeByExtension(strings.ToLower(ext)); t != "" {
			t, _, _ = strings.Cut(t, ";")
			return t
		}
	}
	if len(head) == 0 {
		return "application/octet-stream"
	}
	t, _, _ := strings.Cut(http.DetectContentType(head), ";")
	return t
}

// plainMarkup serves markup (HTML, SVG, XML) written by a user who may not
// change views as text/plain, as Odoo's _check_contents does, so that an
// uploaded page cannot run script in the browsers that open it.
func plainMarkup(ctx context.Context, env *models.Env, vals map[string]any) error {
	m, _ := vals["mimetype"].(string)
	xmlLike := strings.Contains(m, "ht") || strings.Contains(m, "xml") && !strings.HasPrefix(m, "application/vnd.openxmlformats")
	if !xmlLike || env.IsSuperuser() {
		return nil
	}
	system, err := env.HasGroup(ctx, "base.group_system")
	if err != nil || system {
		return err
	}
	vals["mimetype"] = "text/plain"
	return nil
}

// storesInDB reports whether contents go to db_datas: the system parameter
// ir_attachment.location says "db", or the database has no filestore.
func storesInDB(ctx context.Context, env *models.Env) (bool, error) {
	if env.Files == nil {
		return true, nil
	}
	var loc string
	if _, err := env.Scalar(ctx, &loc, "SELECT value FROM ir_config_parameter WHERE key = ?", "ir_attachment.location"); err != nil {
		return false, err
	}
	return strings.TrimSpace(loc) == "db", nil
}

// markStored puts the files of ids on the filestore's checklist: they are
// deleted after the transaction unless a row still refers to them then.
func markStored(ctx context.Context, env *models.Env, ids []int64) error {
	if env.Files == nil || len(ids) == 0 {
		return nil
	}
	rows, err := env.Query(ctx, "SELECT DISTINCT store_fname FROM ir_attachment WHERE store_fname IS NOT NULL AND id IN ("+
		models.Placeholders(len(ids))+")", models.IDArgs(ids)...)
	if err != nil {
		return err
	}
	var names []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return err
		}
		names = append(names, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, n := range names {
		if !filestore.ValidName(n) {
			continue // never ours: nothing to collect
		}
		if err := env.Files.Mark(n); err != nil {
			return err
		}
		env.FilesMarked()
	}
	return nil
}

// stored is what the content computes read of an attachment.
type stored struct {
	fname, datas sql.NullString
	size         int64
}

// readStored reads the content columns of the attachments ids.
func readStored(ctx context.Context, env *models.Env, ids []int64) (map[int64]stored, error) {
	out := map[int64]stored{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := env.Query(ctx, "SELECT id, store_fname, db_datas, COALESCE(file_size, 0) FROM ir_attachment WHERE id IN ("+
		models.Placeholders(len(ids))+")", models.IDArgs(ids)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var s stored
		if err := rows.Scan(&id, &s.fname, &s.datas, &s.size); err != nil {
			return nil, err
		}
		out[id] = s
	}
	return out, rows.Err()
}

// contentText is an attachment's content as base64 text, false when it has
// none. A stored file is encoded as it is read: only the text is held.
func contentText(env *models.Env, s stored) (any, error) {
	if s.fname.Valid && s.fname.String != "" && env.Files != nil {
		f, err := env.Files.Open(s.fname.String)
		if err != nil {
			// Odoo logs a missing file and answers no content.
			return false, nil
		}
		defer f.Close()
		var b strings.Builder
		if st, err := f.Stat(); err == nil {
			b.Grow(base64.StdEncoding.EncodedLen(int(st.Size())))
		}
		enc := base64.NewEncoder(base64.StdEncoding, &b)
		if _, err := io.Copy(enc, f); err != nil {
			return nil, err
		}
		if err := enc.Close(); err != nil {
			return nil, err
		}
		if b.Len() == 0 {
			return false, nil
		}
		return b.String(), nil
	}
	if s.datas.Valid && s.datas.String != "" {
		return s.datas.String, nil
	}
	return false, nil
}

// fillContent sets field of recs to their attachment's content, or to its
// human size when the context asks for bin_size (as Odoo's datas).
func fillContent(ctx context.Context, env *models.Env, recs []models.Record, field string) error {
	ids := make([]int64, 0, len(recs))
	for _, r := range recs {
		ids = append(ids, r["id"].(int64))
	}
	found, err := readStored(ctx, env, ids)
	if err != nil {
		return err
	}
	binSize := py.Truthy(env.Context["bin_size"])
	for _, r := range recs {
		s := found[r["id"].(int64)]
		if binSize {
			if s.size == 0 {
				r[field] = false
			} else {
				r[field] = models.HumanSize(s.size)
			}
			continue
		}
		v, err := contentText(env, s)
		if err != nil {
			return err
		}
		r[field] = v
	}
	return nil
}

func computeDatas(ctx context.Context, env *models.Env, recs []models.Record) error {
	return fillContent(ctx, env, recs, "datas")
}

// computeRaw is raw: the same content as datas. godoo's binary values
// travel as base64 text on every protocol, so raw reads as datas does.
func computeRaw(ctx context.Context, env *models.Env, recs []models.Record) error {
	return fillContent(ctx, env, recs, "raw")
}

// computeResName is the display name of the record an attachment belongs
// to, false when there is none (or its model is unknown).
func computeResName(ctx context.Context, env *models.Env, recs []models.Record) error {
	for _, r := range recs {
		r["res_name"] = false
		var model sql.NullString
		var resID sql.NullInt64
		if _, err := env.Scalar(ctx, &model, "SELECT res_model FROM ir_attachment WHERE id = ?", r["id"]); err != nil {
			return err
		}
		if _, err := env.Scalar(ctx, &resID, "SELECT res_id FROM ir_attachment WHERE id = ?", r["id"]); err != nil {
			return err
		}
		m := env.Registry.Model(model.String)
		if m == nil || resID.Int64 == 0 {
			continue
		}
		got, err := env.Sudo().Read(ctx, m, []int64{resID.Int64}, []string{"display_name"}, false)
		if err != nil {
			return err
		}
		if len(got) == 1 {
			r["res_name"] = got[0]["display_name"]
		}
	}
	return nil
}

// lockAttachments takes the lock that keeps the collection of files and
// the transactions that write rows apart (Odoo's share lock on
// ir_attachment): writers take it before they write a file, so that a
// collection never sees a file whose row is not committed yet. On SQLite
// any write takes the database's one write lock; on PostgreSQL writers
// share a lock (ROW EXCLUSIVE, as their inserts take anyway) that the
// collection's SHARE lock waits for.
func lockAttachments(ctx context.Context, env *models.Env, collect bool) error {
	if env.Files == nil {
		return nil
	}
	q := "UPDATE ir_attachment SET id = id WHERE id < 0"
	if env.Dialect == "pg" {
		q = "LOCK TABLE ir_attachment IN ROW EXCLUSIVE MODE"
		if collect {
			q = "LOCK TABLE ir_attachment IN SHARE MODE"
		}
	}
	_, err := env.Exec(ctx, q)
	return err
}

// CollectFiles deletes the files on the filestore's checklist that no
// attachment refers to, under the lock that keeps writers out (see
// lockAttachments); it returns how many it deleted. The services run it
// after a transaction that marked files, whether it committed or not.
func CollectFiles(ctx context.Context, env *models.Env) (int, error) {
	if env.Files == nil {
		return 0, nil
	}
	if err := lockAttachments(ctx, env, true); err != nil {
		return 0, err
	}
	return env.Files.Collect(func(names []string) (map[string]bool, error) {
		keep := map[string]bool{}
		for start := 0; start < len(names); start += 500 {
			chunk := names[start:min(start+500, len(names))]
			args := make([]any, len(chunk))
			for i, n := range chunk {
				args[i] = n
			}
			rows, err := env.Query(ctx, "SELECT DISTINCT store_fname FROM ir_attachment WHERE store_fname IN ("+
				models.Placeholders(len(chunk))+")", args...)
			if err != nil {
				return nil, err
			}
			for rows.Next() {
				var s string
				if err := rows.Scan(&s); err != nil {
					rows.Close()
					return nil, err
				}
				keep[s] = true
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, err
			}
		}
		return keep, nil
	})
}
