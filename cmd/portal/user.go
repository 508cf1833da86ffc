package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/udc-umbria/portal/internal/auth"
	"github.com/udc-umbria/portal/internal/config"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/internal/web"
)

const userUsage = `usage:
  portal user add --email ADDRESS --role amministratore|redattore|operatore [--name "NOME COGNOME"] [--office SLUG]...
  portal user reset --email ADDRESS

add creates a staff account and prints a one-time link (valid 72 hours) to
choose the password; reset clears the password and second factor of an
account, ends its sessions and prints a new link. Passwords never appear on
the command line.`

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// userCommand runs `portal user …`. Actions are audited with no acting
// account, which the audit log shows as the command line.
func userCommand(ctx context.Context, cfg config.Config, st *store.Store, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("missing subcommand\n%s", userUsage)
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("portal user "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	email := fs.String("email", "", "e-mail address of the account")
	role := fs.String("role", "", "amministratore, redattore or operatore")
	name := fs.String("name", "", "first and last name")
	var offices stringList
	fs.Var(&offices, "office", "slug of an office assigned to the account (repeatable)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q\n%s", fs.Args(), userUsage)
	}
	addr := auth.NormalizeEmail(*email)
	if msg := auth.CheckEmail(addr); msg != "" {
		return fmt.Errorf("--email: %s", msg)
	}
	now := time.Now()
	switch sub {
	case "add":
		r, ok := auth.ParseRole(*role)
		if !ok {
			return fmt.Errorf("--role must be amministratore, redattore or operatore\n%s", userUsage)
		}
		ids, err := st.OfficeIDsBySlug(ctx, offices)
		if err != nil {
			return err
		}
		u, token, err := st.CreateStaff(ctx, 0, store.NewStaff{Email: addr, Name: strings.TrimSpace(*name), Role: r, OfficeIDs: ids}, now)
		if errors.Is(err, store.ErrEmailTaken) {
			return fmt.Errorf("an account with e-mail %s already exists (to give it a new link: portal user reset --email %s)", addr, addr)
		}
		if err != nil {
			return err
		}
		// The link is shown only here: failing to print it must not look
		// like success.
		_, err = fmt.Fprintf(stdout, "created %s (%s). One-time link to set the password, valid until %s:\n%s\n",
			u.Email, u.Role.Label(), now.Add(store.SetPasswordTTL).Format(time.RFC3339), web.SetPasswordLink(cfg.BaseURL, token))
		return err
	case "reset":
		u, err := st.StaffByEmail(ctx, addr)
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("no account with e-mail %s", addr)
		}
		if errors.Is(err, store.ErrNoKeys) {
			return fmt.Errorf("%w: run it with the portal's SECRET_KEY (or SECRET_KEY_FILE)", err)
		}
		if err != nil {
			return err
		}
		token, err := st.ResetStaffAccess(ctx, 0, u.ID, now)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(stdout, "access of %s reset: sessions ended. One-time link to set the password, valid until %s:\n%s\n",
			u.Email, now.Add(store.SetPasswordTTL).Format(time.RFC3339), web.SetPasswordLink(cfg.BaseURL, token))
		return err
	}
	return fmt.Errorf("unknown command %q\n%s", "user "+sub, userUsage)
}
