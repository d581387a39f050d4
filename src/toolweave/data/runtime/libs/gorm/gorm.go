// Package twgorm is the runtime side of toolweave's gorm integration: every *gorm.DB the
// program opens with gorm.Open gets otelgorm's plugin (github.com/uptrace/opentelemetry-go-extra/otelgorm)
// right after it opens, so every create, query, update, delete, row and raw statement is a
// client span (gorm.Create, gorm.Query, ...) under the statement's context, with db.system,
// db.sql.table, the rows affected and db.statement per the query-text switch; the
// connection pool reports otelsql's statistics.
//
// One owner per statement: gorm's dialectors open their database/sql pool inside their own
// packages, where the database/sql integration instruments sql.Open too. The statements gorm
// runs carry a context mark (twsql.Handled) that the database/sql integration honours, so a
// statement is gorm's span alone, while the same pool used directly keeps its sql spans.
//
// The plugin is registered under its own name, so a program that registers otelgorm (or
// gorm's own plugin) itself never gets gorm.ErrRegistered; it then gets both plugins' spans:
// disable this integration by name (gorm) in toolweave.yml or TOOLWEAVE_DISABLED_INTEGRATIONS.
package twgorm

import (
	"github.com/uptrace/opentelemetry-go-extra/otelgorm"
	"gorm.io/gorm"
	"toolweave.dev/runtime/dbtext"
	twsql "toolweave.dev/runtime/sql"
)

// PluginName is the name the plugin is registered under in gorm.Config.Plugins.
const PluginName = "toolweave:otelgorm"

// Open is gorm.Open with the plugin registered.
func Open(dialector gorm.Dialector, opts ...gorm.Option) (*gorm.DB, error) {
	db, err := gorm.Open(dialector, opts...)
	if err == nil {
		Instrument(db)
	}
	return db, err
}

// Instrument registers the plugin on db once; an error (gorm refusing a callback) leaves db
// as it was opened.
func Instrument(db *gorm.DB) {
	if db == nil || db.Config == nil {
		return
	}
	if _, done := db.Config.Plugins[PluginName]; done {
		return
	}
	_ = db.Use(plugin{})
}

// plugin is otelgorm's under our name, marking each statement's context as traced first.
type plugin struct{}

func (plugin) Name() string { return PluginName }

func (plugin) Initialize(db *gorm.DB) error {
	cb := db.Callback()
	mark := func(tx *gorm.DB) {
		if tx.Statement != nil && tx.Statement.Context != nil {
			tx.Statement.Context = twsql.Handled(tx.Statement.Context)
		}
	}
	for _, r := range []interface {
		Register(string, func(*gorm.DB)) error
	}{
		cb.Create().Before("gorm:create"), cb.Query().Before("gorm:query"), cb.Delete().Before("gorm:delete"),
		cb.Update().Before("gorm:update"), cb.Row().Before("gorm:row"), cb.Raw().Before("gorm:raw"),
	} {
		if err := r.Register("toolweave:handled", mark); err != nil {
			return err
		}
	}
	dialect := ""
	if db.Dialector != nil {
		dialect = db.Dialector.Name()
	}
	return otelgorm.NewPlugin(options(dialect)...).Initialize(db)
}

// options: db.statement as the query-text switch says (package dbtext). otelgorm writes the
// statement with its values in, quoted as the dialector quotes strings: sanitized (the
// default) turns literals, values included, into ? as for database/sql (SQLite's dialector
// quotes strings with "…", the others with '…'); raw keeps them; off leaves it empty.
func options(dialect string) []otelgorm.Option {
	switch mode, _ := dbtext.Mode(); mode {
	case dbtext.Raw:
		return nil
	case dbtext.Off:
		return []otelgorm.Option{otelgorm.WithQueryFormatter(func(string) string { return "" })}
	}
	if dialect == "sqlite" || dialect == "mysql" {
		return []otelgorm.Option{otelgorm.WithQueryFormatter(twsql.SanitizeDoubleQuoted)}
	}
	return []otelgorm.Option{otelgorm.WithQueryFormatter(twsql.Sanitize)}
}
