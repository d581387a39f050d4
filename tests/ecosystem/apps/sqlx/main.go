// Command sqlxapp is an unmodified sqlx program for toolweave's database/sql integration as
// sqlx uses it: sqlx.Connect opens the database through sql.Open inside sqlx, and sqlx
// finds the bind-variable style from the driver's name, so a renamed driver would break
// PostgreSQL queries written with ? (Rebind). Given PG_DSN, it queries PostgreSQL through the
// pgx stdlib driver and an in-memory SQLite (modernc), each from a //weave:span function,
// with Rebind, Get, Select and NamedExec.
package main

import (
	"context"
	"fmt"
	"os"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/jmoiron/sqlx"
	_ "modernc.org/sqlite"
)

type item struct {
	ID   int    `db:"id"`
	Name string `db:"name"`
}

func exercise(ctx context.Context, db *sqlx.DB, table string) error {
	if _, err := db.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS "+table+" (id int PRIMARY KEY, name text)"); err != nil {
		return err
	}
	if _, err := db.NamedExecContext(ctx, "INSERT INTO "+table+" (id, name) VALUES (:id, :name)", item{1, "one"}); err != nil {
		return err
	}
	var got item
	if err := db.GetContext(ctx, &got, db.Rebind("SELECT id, name FROM "+table+" WHERE id = ?"), 1); err != nil {
		return err
	}
	var all []item
	if err := db.SelectContext(ctx, &all, "SELECT id, name FROM "+table+" WHERE name <> 'secret'"); err != nil {
		return err
	}
	fmt.Printf("%s %s bind %d: %s, %d rows\n", table, db.DriverName(), sqlx.BindType(db.DriverName()), got.Name, len(all))
	return nil
}

//weave:span
func postgres(ctx context.Context) error {
	db, err := sqlx.ConnectContext(ctx, "pgx", os.Getenv("PG_DSN"))
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "DROP TABLE IF EXISTS sqlx_items"); err != nil {
		return err
	}
	return exercise(ctx, db, "sqlx_items")
}

//weave:span
func sqlite(ctx context.Context) error {
	db, err := sqlx.ConnectContext(ctx, "sqlite", ":memory:")
	if err != nil {
		return err
	}
	defer db.Close()
	return exercise(ctx, db, "items")
}

func main() {
	ctx := context.Background()
	for _, run := range []func(context.Context) error{postgres, sqlite} {
		if err := run(ctx); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}
