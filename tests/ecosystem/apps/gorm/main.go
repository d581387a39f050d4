// Command gormapp is an unmodified gorm program for toolweave's gorm integration: it opens an
// in-memory SQLite database with gorm.Open (glebarez/sqlite: pure Go, it opens its
// database/sql pool with sql.Open inside its own package) and, from a //weave:span function,
// migrates, creates, reads, updates, counts and deletes through gorm, then queries the same
// pool directly through database/sql.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/glebarez/sqlite"
	"gorm.io/gorm"
)

type Item struct {
	ID   uint
	Name string
}

//weave:span
func work(ctx context.Context, db *gorm.DB) error {
	db = db.WithContext(ctx)
	if err := db.AutoMigrate(&Item{}); err != nil {
		return err
	}
	if err := db.Create(&Item{ID: 1, Name: "one"}).Error; err != nil {
		return err
	}
	var got Item
	if err := db.First(&got, 1).Error; err != nil {
		return err
	}
	if err := db.Model(&got).Update("name", "uno").Error; err != nil {
		return err
	}
	var n int64
	if err := db.Model(&Item{}).Where("name <> ?", "secret").Count(&n).Error; err != nil {
		return err
	}
	if err := db.Delete(&got).Error; err != nil {
		return err
	}
	pool, err := db.DB()
	if err != nil {
		return err
	}
	var one int
	if err := pool.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return err
	}
	fmt.Printf("%s %d %d\n", got.Name, n, one)
	return nil
}

func main() {
	db, err := gorm.Open(sqlite.Open("file::memory:"), &gorm.Config{})
	if err == nil {
		err = work(context.Background(), db)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
