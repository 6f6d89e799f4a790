package mail

import (
	"context"
	"slices"

	"github.com/godoo/godoo/models"
)

// messageSubscribe is mail.thread's message_subscribe: partners follow
// the records, with the subtypes given (which replace those of a partner
// following already) or else the model's default subtypes (a partner
// following already is left as it is). A user subscribing themselves
// needs read access to the records, and is answered False without it;
// subscribing others needs write access, and leaves out archived
// partners. Records that do not exist get no followers: once the access
// check passed, the call answers Odoo's MissingError (the engine's check
// of rules skips ids that are gone). It answers True.
func messageSubscribe(ctx context.Context, env *models.Env, m *models.Model, ids []int64, a models.Args) (any, error) {
	partners, err := idList(a["partner_ids"])
	if err != nil {
		return nil, err
	}
	subtypes, err := idList(a["subtype_ids"])
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 || len(partners) == 0 {
		return true, nil
	}
	self, err := onlyCaller(ctx, env, partners)
	if err != nil {
		return nil, err
	}
	if self {
		if err := env.CheckRecords(ctx, m, ids, models.OpRead); err != nil {
			if models.KindOf(err) == models.KindAccess {
				return false, nil
			}
			return nil, err
		}
		if err := env.CheckExist(ctx, m, ids); err != nil {
			return nil, err
		}
	} else {
		if err := env.CheckRecords(ctx, m, ids, models.OpWrite); err != nil {
			return nil, err
		}
		if err := env.CheckExist(ctx, m, ids); err != nil {
			return nil, err
		}
		if partners, err = env.Int64s(ctx, "SELECT id FROM res_partner WHERE active = ? AND id IN ("+
			models.Placeholders(len(partners))+") ORDER BY id", append([]any{true}, models.IDArgs(partners)...)...); err != nil {
			return nil, err
		}
		if len(partners) == 0 {
			return true, nil
		}
	}
	if err := insertFollowers(ctx, env, m.Name, ids, partners, subtypes, !self); err != nil {
		return nil, err
	}
	return true, nil
}

// messageUnsubscribe is mail.thread's message_unsubscribe: the partners
// no longer follow the records. A user unsubscribing themselves needs
// read access to the records, others write access. Odoo's method answers
// None (which XML-RPC cannot send) unless no partner is given.
func messageUnsubscribe(ctx context.Context, env *models.Env, m *models.Model, ids []int64, a models.Args) (any, error) {
	partners, err := idList(a["partner_ids"])
	if err != nil {
		return nil, err
	}
	if len(partners) == 0 {
		return true, nil
	}
	self, err := onlyCaller(ctx, env, partners)
	if err != nil {
		return nil, err
	}
	op := models.OpWrite
	if self {
		op = models.OpRead
	}
	if err := env.CheckRecords(ctx, m, ids, op); err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, nil
	}
	followers := env.Registry.Model("mail.followers")
	found, err := env.Sudo().Search(ctx, followers, []any{[]any{"res_model", "=", m.Name}, []any{"res_id", "in", anyIDs(ids)},
		[]any{"partner_id", "in", anyIDs(partners)}}, models.SearchOptions{})
	if err != nil {
		return nil, err
	}
	if len(found) > 0 {
		if err := env.Sudo().Unlink(ctx, followers, found); err != nil {
			return nil, err
		}
	}
	return nil, nil
}

// onlyCaller tells whether partners are the caller's own partner alone.
func onlyCaller(ctx context.Context, env *models.Env, partners []int64) (bool, error) {
	me, err := userPartner(ctx, env)
	if err != nil {
		return false, err
	}
	for _, p := range partners {
		if p != me {
			return false, nil
		}
	}
	return me != 0, nil
}

// insertFollowers makes partners followers of model's records ids, as
// Odoo's _insert_followers: with subtypes when given, replacing the
// subtypes of a partner following already; else with the model's
// default subtypes (those not internal for a partner no internal user
// has, when checkShare), leaving a partner following already as it is.
func insertFollowers(ctx context.Context, env *models.Env, model string, ids, partners, subtypes []int64, checkShare bool) error {
	su := env.Sudo()
	followers := env.Registry.Model("mail.followers")
	var all, external []int64
	shared := map[int64]bool{}
	if len(subtypes) == 0 {
		var err error
		if all, external, err = defaultSubtypes(ctx, su, model); err != nil {
			return err
		}
		if checkShare {
			ps, err := su.Int64s(ctx, "SELECT id FROM res_partner WHERE partner_share = ? AND id IN ("+
				models.Placeholders(len(partners))+")", append([]any{true}, models.IDArgs(partners)...)...)
			if err != nil {
				return err
			}
			for _, p := range ps {
				shared[p] = true
			}
		}
	}
	for _, id := range ids {
		existing, err := su.SearchRead(ctx, followers, []any{[]any{"res_model", "=", model}, []any{"res_id", "=", id},
			[]any{"partner_id", "in", anyIDs(partners)}}, models.SearchOptions{}, []string{"partner_id"}, false)
		if err != nil {
			return err
		}
		following := map[int64]int64{}
		for _, r := range existing {
			p, _ := r["partner_id"].(int64)
			following[p] = r["id"].(int64)
		}
		var done []int64
		for _, p := range partners {
			if slices.Contains(done, p) {
				continue
			}
			done = append(done, p)
			if f, ok := following[p]; ok {
				if len(subtypes) > 0 {
					if err := su.Write(ctx, followers, []int64{f}, map[string]any{"subtype_ids": []any{[]any{int64(6), int64(0), subtypes}}}); err != nil {
						return err
					}
				}
				continue
			}
			sub := subtypes
			if len(sub) == 0 {
				sub = all
				if shared[p] {
					sub = external
				}
			}
			vals := map[string]any{"res_model": model, "res_id": id, "partner_id": p}
			if len(sub) > 0 {
				vals["subtype_ids"] = []any{[]any{int64(6), int64(0), sub}}
			}
			if _, err := su.Create(ctx, followers, vals); err != nil {
				return err
			}
		}
	}
	return nil
}

// defaultSubtypes are the subtypes a new follower of model's records
// gets: those marked default, of the model or of every model, and of
// them those that are not internal (for a partner no internal user has).
func defaultSubtypes(ctx context.Context, env *models.Env, model string) (all, external []int64, err error) {
	recs, err := env.SearchRead(ctx, env.Registry.Model("mail.message.subtype"),
		[]any{[]any{"default", "=", true}, "|", []any{"res_model", "=", false}, []any{"res_model", "=", model}},
		models.SearchOptions{Order: "sequence, id"}, []string{"internal"}, false)
	if err != nil {
		return nil, nil, err
	}
	for _, r := range recs {
		id := r["id"].(int64)
		all = append(all, id)
		if r["internal"] != true {
			external = append(external, id)
		}
	}
	return all, external, nil
}

// anyIDs are ids as a domain's operand.
func anyIDs(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}
