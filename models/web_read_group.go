package models

import "context"

// rpcWebReadGroup is the web client's web_read_group: read_group's groups
// and how many groups there are in all, {"groups", "length"}. When a page
// of groups is full, Odoo 18 counts the groups after the first limit ones
// (from offset limit, whatever the offset asked) and adds limit.
func rpcWebReadGroup(ctx context.Context, env *Env, m *Model, ids []int64, a Args) (any, error) {
	res, err := rpcReadGroup(ctx, env, m, ids, a)
	if err != nil {
		return nil, err
	}
	groups := res.([]any)
	limit, err := intArg(a, "limit")
	if err != nil {
		return nil, err
	}
	offset, err := intArg(a, "offset")
	if err != nil {
		return nil, err
	}
	length := int64(len(groups)) + offset
	switch {
	case len(groups) == 0:
		length = 0
	case limit > 0 && int64(len(groups)) == limit:
		rest := Args{"domain": a["domain"], "fields": []any{}, "groupby": a["groupby"], "offset": limit}
		more, err := rpcReadGroup(ctx, env, m, ids, rest)
		if err != nil {
			return nil, err
		}
		length = limit + int64(len(more.([]any)))
	}
	return DictOf([]string{"groups", "length"}, []any{groups, length}), nil
}
