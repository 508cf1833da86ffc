// Command portal is the Ufficio della Cittadinanza portal.
//
//	portal [serve]              migrate, then serve HTTP (default)
//	portal migrate              apply migrations and reference data
//	portal import-scheda FILE   import a service sheet export
//	portal import-uffici FILE   import or update offices from a CSV file
//	portal seed-demo [--year]   load the demo data (idempotent); --year adds a
//	                            year of past appointments and page ratings
//	portal user add|reset …     create a staff account or reset its access
//	portal genkey               print a new SECRET_KEY
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

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/udc-umbria/portal/internal/config"
	"github.com/udc-umbria/portal/internal/demo"
	"github.com/udc-umbria/portal/internal/importer"
	"github.com/udc-umbria/portal/internal/jobs"
	"github.com/udc-umbria/portal/internal/mail"
	"github.com/udc-umbria/portal/internal/notify"
	"github.com/udc-umbria/portal/internal/scheda"
	"github.com/udc-umbria/portal/internal/seal"
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
	switch cmd {
	case "help", "-h", "--help":
		_, err := fmt.Fprintln(stdout, "usage: portal [serve | migrate | import-scheda FILE | import-uffici FILE | seed-demo [--year] | user add|reset … | genkey]")
		return err
	case "genkey":
		// Needs no configuration: it is how the first key is made.
		_, err := fmt.Fprintln(stdout, seal.NewKey())
		return err
	}
	cfg, err := config.FromEnv()
	if err != nil {
		return err
	}
	if cmd == "serve" {
		// Before anything else: a portal without its key must not start.
		if err := cfg.RequireSecretKeys(); err != nil {
			return err
		}
	}
	logger := newLogger(cfg, stderr)
	for _, w := range cfg.Warnings {
		logger.Warn("configuration: " + w)
	}
	pool, err := openPool(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	st := store.New(pool)
	if cfg.SecretKeys != nil {
		st = st.WithKeys(cfg.SecretKeys)
	}
	if err := prepare(ctx, st, pool, logger); err != nil {
		return err
	}

	switch cmd {
	case "serve":
		return serve(ctx, cfg, st, logger)
	case "migrate":
		_, err := fmt.Fprintln(stdout, "migrations applied")
		return err
	case "import-scheda":
		if len(args) != 1 {
			return errors.New("usage: portal import-scheda FILE")
		}
		data, err := os.ReadFile(args[0])
		if err != nil {
			return err
		}
		res, sh, err := importer.ImportScheda(ctx, st, bytes.NewReader(data), "import-scheda")
		if err != nil {
			return fmt.Errorf("%s: %w", args[0], err)
		}
		switch {
		case res.Created:
			_, err = fmt.Fprintf(stdout, "created sheet %q (version %d): /servizi/%s\n", sh.Title, res.Version, sh.Slug)
		case res.Changed:
			_, err = fmt.Fprintf(stdout, "updated sheet %q to version %d\n", sh.Title, res.Version)
		default:
			_, err = fmt.Fprintf(stdout, "sheet %q unchanged (version %d)\n", sh.Title, res.Version)
		}
		return err
	case "user":
		return userCommand(ctx, cfg, st, args, stdout, stderr)
	case "import-uffici":
		if len(args) != 1 {
			return errors.New("usage: portal import-uffici FILE.csv (format: see README, \"Importare gli uffici\")")
		}
		return importOffices(ctx, st, args[0], stdout)
	case "seed-demo":
		year := len(args) == 1 && (args[0] == "--year" || args[0] == "-year")
		if len(args) > 0 && !year {
			return errors.New("usage: portal seed-demo [--year]")
		}
		if err := demo.Seed(ctx, st); err != nil {
			return err
		}
		password, err := demo.SeedStaff(ctx, st)
		if err != nil {
			return err
		}
		if year {
			n, err := demo.SeedHistory(ctx, st, time.Now())
			if err != nil {
				return err
			}
			if _, err := fmt.Fprintf(stdout, "demo history: %d appointments over the last %d days, with page ratings\n", n, demo.HistoryDays); err != nil {
				return err
			}
		}
		_, err = fmt.Fprintf(stdout, "demo data loaded (every page showing it says \"Dati dimostrativi\")\n"+
			"\nDemo staff area: %s/area-riservata/login\n"+
			"  %-28s password: %s  (amministratore)\n"+
			"  %-28s password: %s  (redattore)\n"+
			"  %-28s password: %s  (operatore degli uffici di Perugia)\n"+
			"These accounts exist only in demo data; the password changes at every `make run`.\n",
			cfg.BaseURL, store.DemoAdminEmail, password, store.DemoEditorEmail, password, store.DemoOperatorEmail, password)
		return err
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

// mailSender chooses how e-mail leaves: the configured SMTP server, or
// nowhere yet (mail stays queued until SMTP_URL is set). In development
// `make run` points SMTP_URL at cmd/devmail, which writes .eml files.
func mailSender(cfg config.Config) (mail.Sender, error) {
	if cfg.SMTPURL == "" {
		return mail.NotConfigured{}, nil
	}
	return mail.NewSMTPSender(cfg.SMTPURL, cfg.MailFrom)
}

// importOffices loads an offices CSV: every problem is reported with its
// line, and nothing is written unless the whole file is valid.
func importOffices(ctx context.Context, st *store.Store, path string, stdout io.Writer) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	results, err := importer.ImportOffices(ctx, st, bytes.NewReader(data))
	var rowErrs importer.RowErrors
	if errors.As(err, &rowErrs) {
		return fmt.Errorf("%s: %d errori, nessun ufficio importato:\n%w", path, len(rowErrs), err)
	}
	if err != nil {
		return fmt.Errorf("%s: nessun ufficio importato: %w", path, err)
	}
	var report bytes.Buffer
	var created, updated, unchanged int
	for _, r := range results {
		switch {
		case r.Created:
			created++
			fmt.Fprintf(&report, "creato     /uffici/%s\n", r.Slug)
		case r.Changed:
			updated++
			fmt.Fprintf(&report, "aggiornato /uffici/%s\n", r.Slug)
		default:
			unchanged++
		}
	}
	fmt.Fprintf(&report, "%d uffici: %d creati, %d aggiornati, %d invariati\n", len(results), created, updated, unchanged)
	_, err = report.WriteTo(stdout)
	return err
}

func openPool(ctx context.Context, url string) (*pgxpool.Pool, error) {
	pc, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	pc.ConnConfig.RuntimeParams["timezone"] = "Europe/Rome"
	pc.ConnConfig.RuntimeParams["application_name"] = "udc-portal"
	if pc.ConnConfig.ConnectTimeout == 0 {
		// An unreachable server (not one that refuses) must fail a request
		// in seconds, so that it gets its 503 or the cached page.
		pc.ConnConfig.ConnectTimeout = 5 * time.Second
	}
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
	sender, err := mailSender(cfg)
	if err != nil {
		return err
	}
	// E-mail flows one way. A change to an appointment hands its event,
	// inside its own transaction, to the store's outbox: an insert-only
	// queue that writes the message (notify) and inserts its send_email
	// job in that transaction. The working queue delivers the jobs and
	// runs the periodic tasks, which use the same store.
	//
	// Secrets in the database are sealed with SECRET_KEY: the personal
	// links of queued e-mails (in their delivery records, which also make
	// each e-mail go out once) and the TOTP secrets, sealed again here
	// when stored in clear or under an older key.
	if n, err := st.SealStaffSecrets(ctx); err != nil {
		return err
	} else if n > 0 {
		logger.Info("sealed TOTP secrets with the first SECRET_KEY", "count", n)
	}
	notifier := notify.New(cfg.BaseURL, nil)
	outbox, err := jobs.New(st.Pool(), jobs.Options{InsertOnly: true, Notifier: notifier, Deliveries: st, Keys: cfg.SecretKeys})
	if err != nil {
		return err
	}
	st = st.WithOutbox(outbox)
	queue, err := jobs.New(st.Pool(), jobs.Options{
		Sender: sender, RetentionMonths: cfg.RetentionMonths, Logger: logger, Tasks: jobTasks(st),
		Notifier: notifier, Deliveries: st, Keys: cfg.SecretKeys,
	})
	if err != nil {
		return err
	}
	srv, err := web.New(ctx, web.Options{Config: cfg, Store: st, Logger: logger, Assets: assets, Notifier: notifier})
	if err != nil {
		return err
	}
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
	if err := startMetrics(ctx, cfg.MetricsAddr, srv.MetricsHandler(), logger); err != nil {
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
