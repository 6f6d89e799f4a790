package models

import "context"

// attachments returns where attachment fields keep their values, or nil.
func (env *Env) attachments() Attachments {
	if env.Registry == nil {
		return nil
	}
	return env.Registry.Attachments
}

// takeAttachmentVals moves the values of attachment fields out of cols,
// which become columns, and returns them: they are written once the
// record exists.
func takeAttachmentVals(m *Model, cols map[string]any) map[string]any {
	var out map[string]any
	for name, v := range cols {
		if f := m.Fields[name]; f != nil && f.Attachment {
			if out == nil {
				out = map[string]any{}
			}
			out[name] = v
			delete(cols, name)
		}
	}
	return out
}

// writeAttachmentVals writes the values takeAttachmentVals took, in field
// order.
func (env *Env) writeAttachmentVals(ctx context.Context, m *Model, ids []int64, vals map[string]any) error {
	if len(vals) == 0 {
		return nil
	}
	a := env.attachments()
	if a == nil {
		return ServerErrorf("builtins.ValueError", "Attachment fields of %s cannot be written: no attachment store", m.Name)
	}
	for _, name := range m.FieldOrder {
		v, ok := vals[name]
		if !ok {
			continue
		}
		if err := a.Write(ctx, env, m, m.Fields[name], ids, v); err != nil {
			return err
		}
	}
	return nil
}

// readAttachmentFields fills the attachment fields among fields.
func (env *Env) readAttachmentFields(ctx context.Context, m *Model, recs []Record, fields []string) error {
	a := env.attachments()
	for _, name := range fields {
		f := m.Fields[name]
		if !f.Attachment {
			continue
		}
		if a == nil {
			for _, r := range recs {
				r[name] = false
			}
			continue
		}
		if err := a.Read(ctx, env, m, f, recs); err != nil {
			return err
		}
	}
	return nil
}
