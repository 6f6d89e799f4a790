package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/godoo/godoo/services"
)

var userCreateCommand = &command{path: "user create", args: [2]int{1, 1},
	synopsis: "LOGIN [--db NAME] [--password PW] [--name NAME] [--email EMAIL] [--admin]",
	summary:  "Creates a user; the password is read from standard input when not given.",
	define: func(fs *flag.FlagSet) action {
		u := defineUserFlags(fs)
		name := fs.String("name", "", "the new user's display `NAME`")
		email := fs.String("email", "", "the new user's email address `EMAIL`")
		admin := boolFlag(fs, "admin", "make the user a settings administrator (base.group_system)")
		return func(inv *invocation) error {
			return u.run(inv, func(set *services.Set, db, login, pw string) error {
				uid, err := set.Database.CreateUser(context.Background(), db, services.UserOptions{Login: login, Password: pw,
					Name: *name, Email: *email, Admin: *admin})
				if err != nil {
					return err
				}
				fmt.Fprintf(inv.stdout, "created user %s (id %d) in %s\n", login, uid, db)
				return nil
			})
		}
	}}

var userPasswdCommand = &command{path: "user passwd", args: [2]int{1, 1}, synopsis: "LOGIN [--db NAME] [--password PW]",
	summary: "Changes a user's password; it is read from standard input when not given.",
	define: func(fs *flag.FlagSet) action {
		u := defineUserFlags(fs)
		return func(inv *invocation) error {
			return u.run(inv, func(set *services.Set, db, login, pw string) error {
				if err := set.Database.SetPassword(context.Background(), db, login, pw); err != nil {
					return err
				}
				fmt.Fprintf(inv.stdout, "changed the password of %s in %s\n", login, db)
				return nil
			})
		}
	}}

// userFlags are the flags both user commands take.
type userFlags struct {
	resolve  func() (*config, error)
	db       *string
	password *string
}

func defineUserFlags(fs *flag.FlagSet) userFlags {
	return userFlags{
		resolve:  addFlags(fs, storeKeys...),
		db:       fs.String("db", "", "database `NAME` (default: the only database)"),
		password: fs.String("password", "", "the password `PW`; read from standard input when absent (also GODOO_PASSWORD)"),
	}
}

// run opens the database and reads the password, then runs do.
func (u userFlags) run(inv *invocation, do func(set *services.Set, db, login, pw string) error) error {
	c, err := u.resolve()
	if err != nil {
		return err
	}
	store, set, db, err := openDatabase(c, inv.stderr, *u.db)
	if err != nil {
		return err
	}
	defer store.Close()
	pw := *u.password
	if pw == "" {
		pw = os.Getenv("GODOO_PASSWORD")
	}
	if pw == "" {
		line, err := bufio.NewReader(inv.stdin).ReadString('\n')
		if err != nil && line == "" {
			return usageError{"no password given (--password, GODOO_PASSWORD or standard input)"}
		}
		pw = strings.TrimRight(line, "\r\n")
	}
	return do(set, db, inv.pos[0], pw)
}
