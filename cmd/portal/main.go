// Command portal is the Ufficio della Cittadinanza portal.
//
//	portal [serve]              migrate, then serve HTTP (default)
//	portal migrate              apply migrations and reference data
//	portal import-scheda FILE   import a service sheet export
//	portal import-uffici FILE   import or update offices from a CSV file
//	portal seed-demo            load the demo data (idempotent)
//	portal user add|reset …     create a staff account or reset its access
//
// Configuration comes only from environment variables (see README.md).
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
	_ "time/tzdata" // Europe/Rome must be available on any host

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/udc-umbria/portal/internal/config"
	"github.com/udc-umbria/portal/internal/demo"
	"github.com/udc-umbria/portal/internal/importer"
	"github.com/udc-umbria/portal/internal/jobs"
	"github.com/udc-umbria/portal/internal/mail"
	"github.com/udc-umbria/portal/internal/mailsink"
	"github.com/udc-umbria/portal/internal/scheda"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/internal/web"
	"github.com/udc-umbria/portal/migrations"
	"github.com/udc-umbria/portal/static"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "portal:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	if cmd == "help" || cmd == "-h" || cmd == "--help" {
		fmt.Fprintln(stdout, "usage: portal [serve | migrate | import-scheda FILE | import-uffici FILE | seed-demo | user add|reset …]")
		return nil
	}
	cfg, err := config.FromEnv()
	if err != nil {
		return err
	}
	logger := newLogger(cfg, stderr)
	pool, err := openPool(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	st := store.New(pool)
	if err := prepare(ctx, st, pool, logger); err != nil {
		return err
	}

	switch cmd {
	case "serve":
		return serve(ctx, cfg, st, logger)
	case "migrate":
		fmt.Fprintln(stdout, "migrations applied")
		return nil
	case "import-scheda":
		if len(args) != 1 {
			return errors.New("usage: portal import-scheda FILE")
		}
		f, err := os.Open(args[0])
		if err != nil {
			return err
		}
		defer f.Close()
		res, sh, err := importer.ImportScheda(ctx, st, f, "import-scheda")
		if err != nil {
			return fmt.Errorf("%s: %w", args[0], err)
		}
		switch {
		case res.Created:
			fmt.Fprintf(stdout, "created sheet %q (version %d): /servizi/%s\n", sh.Title, res.Version, sh.Slug)
		case res.Changed:
			fmt.Fprintf(stdout, "updated sheet %q to version %d\n", sh.Title, res.Version)
		default:
			fmt.Fprintf(stdout, "sheet %q unchanged (version %d)\n", sh.Title, res.Version)
		}
		return nil
	case "user":
		return userCommand(ctx, cfg, st, args, stdout, stderr)
	case "import-uffici":
		if len(args) != 1 {
			return errors.New("usage: portal import-uffici FILE.csv (format: see README, \"Importare gli uffici\")")
		}
		return importOffices(ctx, st, args[0], stdout)
	case "seed-demo":
		if err := demo.Seed(ctx, st); err != nil {
			return err
		}
		password, err := demo.SeedStaff(ctx, st)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, "demo data loaded (every page showing it says \"Dati dimostrativi\")")
		fmt.Fprintf(stdout, "\nDemo staff area: %s/area-riservata/login\n", cfg.BaseURL)
		fmt.Fprintf(stdout, "  %-28s password: %s  (amministratore)\n", store.DemoAdminEmail, password)
		fmt.Fprintf(stdout, "  %-28s password: %s  (redattore)\n", store.DemoEditorEmail, password)
		fmt.Fprintf(stdout, "  %-28s password: %s  (operatore degli uffici di Perugia)\n", store.DemoOperatorEmail, password)
		fmt.Fprintln(stdout, "These accounts exist only in demo data; the password changes at every `make run`.")
		return nil
	default:
		return fmt.Errorf("unknown command %q (try: portal help)", cmd)
	}
}

// prepare migrates the schema (under an advisory lock), syncs reference
// data and installs the default service sheet on an empty database.
func prepare(ctx context.Context, st *store.Store, pool *pgxpool.Pool, logger *slog.Logger) error {
	if err := migrations.Up(ctx, pool); err != nil {
		return err
	}
	if err := jobs.Migrate(ctx, pool); err != nil {
		return err
	}
	if err := st.SyncReferenceData(ctx); err != nil {
		return err
	}
	n, err := st.CountSheets(ctx)
	if err != nil {
		return err
	}
	if n == 0 {
		if _, _, err := importer.ImportScheda(ctx, st, bytes.NewReader(scheda.Seed), "default"); err != nil {
			return fmt.Errorf("default sheet: %w", err)
		}
		logger.Info("installed the default service sheet")
	}
	return nil
}

// mailSender chooses how e-mail leaves: the configured SMTP server, or in
// development (DEV_MAIL_DIR) an in-process sink writing .eml files, or
// nowhere yet (mail stays queued until SMTP_URL is set).
func mailSender(ctx context.Context, cfg config.Config, logger *slog.Logger) (mail.Sender, error) {
	switch {
	case cfg.SMTPURL != "":
		return mail.NewSMTPSender(cfg.SMTPURL, cfg.MailFrom)
	case cfg.DevMailDir != "":
		sink, err := mailsink.Start(ctx, cfg.DevMailDir)
		if err != nil {
			return nil, err
		}
		logger.Warn("development mail sink: e-mail is written to DEV_MAIL_DIR, not delivered", "dir", cfg.DevMailDir)
		return mail.NewSMTPSender(sink.URL(), cfg.MailFrom)
	default:
		return mail.NotConfigured{}, nil
	}
}

// importOffices loads an offices CSV: every problem is reported with its
// line, and nothing is written unless the whole file is valid.
func importOffices(ctx context.Context, st *store.Store, path string, stdout io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	results, err := importer.ImportOffices(ctx, st, f)
	var rowErrs importer.RowErrors
	if errors.As(err, &rowErrs) {
		return fmt.Errorf("%s: %d errori, nessun ufficio importato:\n%w", path, len(rowErrs), err)
	}
	if err != nil {
		return fmt.Errorf("%s: nessun ufficio importato: %w", path, err)
	}
	var created, updated, unchanged int
	for _, r := range results {
		switch {
		case r.Created:
			created++
			fmt.Fprintf(stdout, "creato     /uffici/%s\n", r.Slug)
		case r.Changed:
			updated++
			fmt.Fprintf(stdout, "aggiornato /uffici/%s\n", r.Slug)
		default:
			unchanged++
		}
	}
	fmt.Fprintf(stdout, "%d uffici: %d creati, %d aggiornati, %d invariati\n", len(results), created, updated, unchanged)
	return nil
}

func openPool(ctx context.Context, url string) (*pgxpool.Pool, error) {
	pc, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	pc.ConnConfig.RuntimeParams["timezone"] = "Europe/Rome"
	pc.ConnConfig.RuntimeParams["application_name"] = "udc-portal"
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect: %w", err)
	}
	return pool, nil
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func serve(ctx context.Context, cfg config.Config, st *store.Store, logger *slog.Logger) error {
	assets, err := static.New()
	if err != nil {
		return err
	}
	// srv is assigned below, before the queue starts; the reminder task
	// needs it to build messages.
	var srv *web.Server
	sender, err := mailSender(ctx, cfg, logger)
	if err != nil {
		return err
	}
	queue, err := jobs.New(st.Pool(), jobs.Options{
		Sender: sender, RetentionMonths: cfg.RetentionMonths, Logger: logger,
		Tasks: jobTasks(st, func(ctx context.Context, tx pgx.Tx, a store.Appointment) error {
			return srv.EnqueueReminder(ctx, tx, a)
		}),
	})
	if err != nil {
		return err
	}
	srv, err = web.New(ctx, web.Options{Config: cfg, Store: st, Logger: logger, Assets: assets, Mailer: queue})
	if err != nil {
		return err
	}
	// The queue starts only now: its reminder task uses srv.
	if err := queue.Start(ctx); err != nil {
		return err
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
		defer cancel()
		_ = queue.Stop(sctx)
	}()
	go srv.Run(ctx) // office-change listener, stops with ctx
	if err := startProfiler(ctx, logger); err != nil {
		return err
	}
	hs := web.HTTPServer(cfg.Addr, srv.Handler())
	errc := make(chan error, 1)
	go func() {
		logger.Info("listening", "addr", cfg.Addr, "base_url", cfg.BaseURL)
		errc <- hs.ListenAndServe()
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
