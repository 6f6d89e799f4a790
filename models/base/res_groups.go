package base

import (
	"context"

	"github.com/godoo/godoo/models"
)

// groupsBehaviour is res.groups': its display name is its full name;
// members get the groups a group implies
// whenever its members or what it implies change, and the cached
// credential checks of members who may have gained or lost a group are
// dropped. A group's creation, deletion and the changes res.users'
// fields of groups show move the registry's version, so that every
// process makes those fields again.
func groupsBehaviour() *models.Behaviour {
	return &models.Behaviour{Hooks: models.Hooks{
		DisplayName:     groupsDisplayName,
		DisplayNameDeps: []string{"category_id"},
		AfterCreate: func(ctx context.Context, env *models.Env, id int64, vals map[string]any) error {
			if err := impliedToMembers(ctx, env, []int64{id}, vals); err != nil {
				return err
			}
			return groupsRegistryChanged(ctx, env, nil)
		},
		BeforeUnlink: func(ctx context.Context, env *models.Env, _ []int64) error {
			return groupsRegistryChanged(ctx, env, nil)
		},
		BeforeWrite: bumpGroupMembers,
		AfterWrite: func(ctx context.Context, env *models.Env, ids []int64, vals map[string]any) error {
			if err := impliedToMembers(ctx, env, ids, vals); err != nil {
				return err
			}
			if err := groupsRegistryChanged(ctx, env, vals); err != nil {
				return err
			}
			return bumpGroupMembers(ctx, env, ids, vals)
		},
	}}
}

// bumpGroupMembers invalidates the cached credential checks of a group's
// members when its membership or what it implies changes: it runs before
// the write (members that may leave) and after it (members that joined).
func bumpGroupMembers(ctx context.Context, env *models.Env, ids []int64, vals map[string]any) error {
	_, users := vals["users"]
	if _, implied := vals["implied_ids"]; (!users && !implied) || len(ids) == 0 {
		return nil
	}
	uids, err := env.Int64s(ctx, "SELECT uid FROM res_groups_users_rel WHERE gid IN ("+models.Placeholders(len(ids))+")", models.IDArgs(ids)...)
	if err != nil {
		return err
	}
	return env.BumpAuthVersion(ctx, models.UniqueIDs(uids))
}

// impliedToMembers gives the members of groups ids the groups these now
// imply, when their implied groups or their members changed.
func impliedToMembers(ctx context.Context, env *models.Env, ids []int64, vals map[string]any) error {
	_, implied := vals["implied_ids"]
	if _, users := vals["users"]; (!implied && !users) || len(ids) == 0 {
		return nil
	}
	uids, err := env.Int64s(ctx, "SELECT uid FROM res_groups_users_rel WHERE gid IN ("+models.Placeholders(len(ids))+")", models.IDArgs(ids)...)
	if err != nil {
		return err
	}
	return syncUserGroups(ctx, env, models.UniqueIDs(uids))
}
