package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// command is one godoo command. The table of commands is the single source
// of the usage, of every --help, of the completion scripts and of the
// configuration reference, so that none of them can drift from the flags
// the commands really parse.
type command struct {
	// path is the command's words after godoo: "serve", "db create".
	path string
	// synopsis is what follows the path in the usage line: arguments and
	// the flags worth a first look ("NAME --admin-password PW [--demo]").
	synopsis string
	summary  string // one line, for group help and completion
	help     string // paragraphs after the usage line, may be empty
	// args bounds the positional arguments: minimum, and maximum or -1.
	args [2]int
	// argValues completes the positional arguments (completion's shells).
	argValues []string
	// define registers the command's flags on fs and returns what runs the
	// command once fs has parsed them. Help, completion and the reference
	// call it without running anything.
	define func(fs *flag.FlagSet) action
}

// invocation is what a command runs with.
type invocation struct {
	args   []string // the arguments after the command's path, as given
	pos    []string // the positional ones among them
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

type action func(inv *invocation) error

// commands is godoo's command table, in the order of the usage.
var commands []*command

func init() {
	commands = []*command{
		serveCommand,
		dbCreateCommand, dbListCommand, dbDropCommand, dbDumpCommand, dbRestoreCommand,
		userCreateCommand, userPasswdCommand,
		apikeyCreateCommand, apikeyListCommand, apikeyRevokeCommand, apikeyRotateCommand, apikeyHashCommand, apikeyAuditCommand,
		modelImportCommand,
		moduleInstallCommand,
		benchCommand,
		healthcheckCommand,
		configReferenceCommand,
		completionCommand,
		versionCommand,
	}
}

// groupSummaries describe the groups of subcommands, for help and completion.
var groupSummaries = map[string]string{
	"db":     "Creates, lists, drops, dumps and restores databases.",
	"user":   "Creates users and changes their passwords.",
	"apikey": "Makes, lists, rotates and revokes API keys.",
	"config": "Describes godoo's configuration.",
	"model":  "Writes declarations of models for serve's models path.",
	"module": "Installs modules into a database.",
}

// wordSummary is the summary of a word that may follow godoo.
func wordSummary(w string) string {
	if c := lookupCommand(w); c != nil {
		return c.summary
	}
	return groupSummaries[w]
}

// groups are the first words of commands that have subcommands: db, user...
func groups() []string {
	var out []string
	for _, c := range commands {
		if g, _, ok := strings.Cut(c.path, " "); ok && !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	return out
}

// groupCommands are the commands under group, in table order.
func groupCommands(group string) []*command {
	var out []*command
	for _, c := range commands {
		if strings.HasPrefix(c.path, group+" ") {
			out = append(out, c)
		}
	}
	return out
}

// topWords are the words that may follow godoo: commands and groups.
func topWords() []string {
	var out []string
	for _, c := range commands {
		w, _, _ := strings.Cut(c.path, " ")
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

func lookupCommand(path string) *command {
	for _, c := range commands {
		if c.path == path {
			return c
		}
	}
	return nil
}

func (c *command) usageLine() string {
	if c.synopsis == "" {
		return "godoo " + c.path
	}
	return "godoo " + c.path + " " + c.synopsis
}

// flags builds the command's flag set without running anything.
func (c *command) flags() (*flag.FlagSet, action) {
	fs := flag.NewFlagSet(c.path, flag.ContinueOnError)
	// Errors and help are printed by runCommand, in godoo's words.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	act := c.define(fs)
	return fs, act
}

// usage is godoo --help: every command's usage line.
func usage() string {
	var b strings.Builder
	b.WriteString("godoo - an Odoo-compatible API server (XML-RPC, JSON-RPC, JSON-2)\n\nUsage:\n")
	for _, c := range commands {
		fmt.Fprintf(&b, "  %s\n", c.usageLine())
	}
	b.WriteString(`
Every command takes --help, which lists its flags with their defaults.
Settings also come from GODOO_* environment variables and from an
odoo.conf-style file (--config); godoo config reference lists them all.
`)
	return b.String()
}

// groupUsage is godoo <group> --help.
func groupUsage(group string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: godoo %s COMMAND [flags]\n\nCommands:\n", group)
	for _, c := range groupCommands(group) {
		fmt.Fprintf(&b, "  %s\n        %s\n", c.usageLine(), c.summary)
	}
	fmt.Fprintf(&b, "\nRun godoo %s COMMAND --help for a command's flags.\n", group)
	return b.String()
}

// helpText is godoo <command> --help: the usage line, the command's text,
// then its own flags, each with its default and, for settings, where else
// it may come from.
func (c *command) helpText() string {
	fs, _ := c.flags()
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: %s\n\n%s\n", c.usageLine(), c.summary)
	if c.help != "" {
		b.WriteString(c.help)
	}
	fl := flagDocs(fs)
	if len(fl) == 0 {
		return b.String()
	}
	b.WriteString("\nFlags:\n")
	for _, d := range fl {
		fmt.Fprintf(&b, "  %s\n        %s\n", d.spelling(), d.line())
	}
	return b.String()
}

// flagDoc describes one flag for help, completion and the reference.
type flagDoc struct {
	name    string
	short   string // one-letter alias, "" when none
	arg     string // the value's placeholder, "" for a boolean flag
	usage   string
	def     string // default, "" when none worth showing
	choices []string
	setting *setting // the setting the flag sets, nil for a command's own flag
}

func (d flagDoc) spelling() string {
	s := "--" + d.name
	if d.short != "" {
		s = "-" + d.short + ", " + s
	}
	if d.arg != "" {
		s += " " + d.arg
	}
	return s
}

// line is the flag's help: its usage, default and other sources.
func (d flagDoc) line() string {
	var extra []string
	if d.def != "" {
		extra = append(extra, "default "+d.def)
	}
	if d.setting != nil {
		extra = append(extra, d.setting.env, d.setting.key+" in the config file")
	}
	if len(extra) == 0 {
		return d.usage
	}
	return d.usage + " (" + strings.Join(extra, "; ") + ")"
}

// flagDocs lists fs's flags by name, one-letter aliases folded into the flag
// they stand for.
func flagDocs(fs *flag.FlagSet) []flagDoc {
	var out []flagDoc
	shorts := map[flag.Value]string{}
	fs.VisitAll(func(f *flag.Flag) {
		if len(f.Name) == 1 {
			shorts[f.Value] = f.Name
		}
	})
	fs.VisitAll(func(f *flag.Flag) {
		if len(f.Name) == 1 {
			return
		}
		d := flagDoc{name: f.Name, short: shorts[f.Value]}
		arg, use := flag.UnquoteUsage(f)
		d.usage = use
		switch v := f.Value.(type) {
		case *settingValue:
			d.setting, d.arg, d.def, d.choices = v.s, v.s.arg, v.s.defaultText(), v.s.choices
		case *boolValue:
		case *choiceValue:
			d.arg, d.def, d.choices = strings.Join(v.choices, "|"), v.val, v.choices
		default:
			d.arg, d.def = placeholders[arg], f.DefValue
			if d.arg == "" {
				d.arg = arg
			}
			if d.def == "0" {
				d.def = ""
			}
			if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && bf.IsBoolFlag() {
				d.arg, d.def = "", ""
			}
		}
		out = append(out, d)
	})
	return out
}

// placeholders name the values of flags whose usage does not: the flag
// package's type names.
var placeholders = map[string]string{"string": "VALUE", "int": "N", "duration": "DURATION", "value": "VALUE"}

// runCommand parses args (the words after the command's path) and runs c.
func runCommand(c *command, inv *invocation) error {
	fs, act := c.flags()
	pos, err := parseArgs(fs, inv.args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(inv.stdout, c.helpText())
		return err
	}
	if err != nil {
		return usageError{fmt.Sprintf("%s\nRun godoo %s --help for its flags.", err, c.path)}
	}
	lo, hi := c.args[0], c.args[1]
	if len(pos) < lo || hi >= 0 && len(pos) > hi {
		want := "no arguments"
		switch {
		case lo == hi && lo == 1:
			want = "1 argument"
		case lo == hi && lo > 1:
			want = strconv.Itoa(lo) + " arguments"
		case hi < 0:
			want = "at least " + strconv.Itoa(lo) + " arguments"
		}
		got := "none"
		if len(pos) > 0 {
			got = fmt.Sprintf("%q", pos)
		}
		return usageError{fmt.Sprintf("godoo %s takes %s, got %s\nUsage: %s", c.path, want, got, c.usageLine())}
	}
	inv.pos = pos
	return act(inv)
}

// parseArgs parses flags and positional arguments in any order, as users
// type them ("db create NAME --demo" as well as "db create --demo NAME"),
// then checks the values of the flags that have a set of allowed values.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		if args[0] == "--" {
			pos = append(pos, args[1:]...)
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	var err error
	fs.Visit(func(f *flag.Flag) {
		if v, ok := f.Value.(interface{ check(name string) error }); ok && err == nil {
			err = v.check(f.Name)
		}
	})
	return pos, err
}

// choiceValue is a flag with a fixed set of values.
type choiceValue struct {
	val     string
	choices []string
}

func (v *choiceValue) String() string     { return v.val }
func (v *choiceValue) Set(s string) error { v.val = s; return nil }

func (v *choiceValue) check(name string) error {
	if !slices.Contains(v.choices, v.val) {
		return fmt.Errorf("--%s %q: allowed values are %s", name, v.val, strings.Join(v.choices, ", "))
	}
	return nil
}

// choiceFlag defines a flag whose value is one of choices; def may be ""
// for none.
func choiceFlag(fs *flag.FlagSet, name, def, usage string, choices ...string) *string {
	v := &choiceValue{val: def, choices: choices}
	fs.Var(v, name, usage)
	return &v.val
}

// boolValue is a boolean flag: --demo, --demo=true, --demo=false. Unlike the
// flag package's, its error for another value names the allowed ones.
type boolValue struct {
	on  bool
	bad string // a value that is not a boolean, reported by check
}

func (v *boolValue) String() string   { return strconv.FormatBool(v.on) }
func (v *boolValue) IsBoolFlag() bool { return true }

func (v *boolValue) Set(s string) error {
	b, err := strconv.ParseBool(s)
	if err != nil {
		v.bad = s
		return nil
	}
	v.on, v.bad = b, ""
	return nil
}

func (v *boolValue) check(name string) error {
	if v.bad != "" {
		return fmt.Errorf("--%s=%q: allowed values are true and false (or --%s alone for true)", name, v.bad, name)
	}
	return nil
}

func boolFlag(fs *flag.FlagSet, name, usage string) *bool {
	v := &boolValue{}
	fs.Var(v, name, usage)
	return &v.on
}

// listValue is a repeatable flag: each use adds a value.
type listValue struct{ vals []string }

func (v *listValue) String() string     { return strings.Join(v.vals, " ") }
func (v *listValue) Set(s string) error { v.vals = append(v.vals, s); return nil }

func listFlag(fs *flag.FlagSet, name, usage string) *[]string {
	v := &listValue{}
	fs.Var(v, name, usage)
	return &v.vals
}

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }
