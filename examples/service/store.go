package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver
)

// ErrNotFound is returned for an id that does not exist.
var ErrNotFound = errors.New("item not found")

// Item is one stored item.
type Item struct {
	ID      int64     `json:"id"`
	Name    string    `json:"name"`
	Created time.Time `json:"created"`
}

// Store keeps items in SQLite through database/sql.
type Store struct {
	db *sql.DB
}

// OpenStore opens (and if needed creates) the item table in the database dsn.
func OpenStore(dsn string) (*Store, error) {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	// One connection: ":memory:" gives every connection its own empty database, and SQLite
	// serialises writers anyway.
	db.SetMaxOpenConns(1)
	const schema = `CREATE TABLE IF NOT EXISTS items (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		name TEXT NOT NULL,
		created INTEGER NOT NULL)`
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("create schema: %w", err)
	}
	return &Store{db: db}, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Create stores a new item named name.
//
//weave:span store.op:create
//weave:log name
func (s *Store) Create(ctx context.Context, name string) (Item, error) {
	it := Item{Name: name, Created: time.Now().UTC().Truncate(time.Second)}
	res, err := s.db.ExecContext(ctx, `INSERT INTO items (name, created) VALUES (?, ?)`, it.Name, it.Created.Unix())
	if err != nil {
		return Item{}, err
	}
	it.ID, err = res.LastInsertId()
	return it, err
}

// Get returns the item with the given id, or ErrNotFound.
//
//weave:span store.op:get
func (s *Store) Get(ctx context.Context, id int64) (Item, error) {
	it := Item{ID: id}
	var created int64
	err := s.db.QueryRowContext(ctx, `SELECT name, created FROM items WHERE id = ?`, id).Scan(&it.Name, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return Item{}, ErrNotFound
	}
	it.Created = time.Unix(created, 0).UTC()
	return it, err
}

// List returns every item, oldest first.
//
//weave:span store.op:list
func (s *Store) List(ctx context.Context) ([]Item, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, created FROM items ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	items := []Item{}
	for rows.Next() {
		var it Item
		var created int64
		if err := rows.Scan(&it.ID, &it.Name, &created); err != nil {
			return nil, err
		}
		it.Created = time.Unix(created, 0).UTC()
		items = append(items, it)
	}
	return items, rows.Err()
}

// Count returns the number of items.
//
//weave:span store.op:count
func (s *Store) Count(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM items`).Scan(&n)
	return n, err
}
