package services

import (
	"context"

	"github.com/godoo/godoo/models"
)

// UserOptions describe a user made from the command line.
type UserOptions struct {
	Login, Password, Name, Email string
	// Admin adds the user to base.group_system (and what it implies);
	// otherwise the user is an internal user.
	Admin bool
}

// CreateUser creates a user as the superuser, for the command line. It
// returns the new uid.
func (s *Database) CreateUser(ctx context.Context, dbname string, o UserOptions) (int64, error) {
	db, err := s.c.open(ctx, dbname)
	if err != nil {
		return 0, err
	}
	if o.Password == "" {
		return 0, models.UserErrorf("A password is required.")
	}
	res, err := s.c.run(ctx, db, models.SuperuserID, false, func(ctx context.Context, env *models.Env) (any, error) {
		groups := []string{"base.group_user"}
		if o.Admin {
			groups = append(groups, "base.group_erp_manager", "base.group_system")
		}
		var gids []any
		for _, x := range groups {
			id, err := env.XMLID(ctx, x)
			if err != nil {
				return nil, err
			}
			gids = append(gids, id)
		}
		vals := map[string]any{"login": o.Login, "password": o.Password, "groups_id": []any{[]any{int64(6), int64(0), gids}}}
		if o.Name != "" {
			vals["name"] = o.Name
		}
		if o.Email != "" {
			vals["email"] = o.Email
		}
		return env.Create(ctx, env.Registry.Model("res.users"), vals)
	})
	if err != nil {
		return 0, err
	}
	return res.(int64), nil
}

// SetPassword replaces a user's password, for the command line. Every cached
// check of the old password is invalidated, in every process.
func (s *Database) SetPassword(ctx context.Context, dbname, login, password string) error {
	db, err := s.c.open(ctx, dbname)
	if err != nil {
		return err
	}
	if password == "" {
		return models.UserErrorf("A password is required.")
	}
	_, err = s.c.run(ctx, db, models.SuperuserID, false, func(ctx context.Context, env *models.Env) (any, error) {
		users := env.Registry.Model("res.users")
		ids, err := env.Search(ctx, users, []any{[]any{"login", "=", login}, []any{"active", "in", []any{true, false}}}, models.SearchOptions{})
		if err != nil {
			return nil, err
		}
		if len(ids) != 1 {
			return nil, models.UserErrorf("No user with login %q.", login)
		}
		return nil, env.Write(ctx, users, ids, map[string]any{"password": password})
	})
	return err
}
