// Package dbtext (import path toolweave.dev/runtime/dbtext) is the one switch for what every
// database and Redis integration records of a statement: the database/sql, pgx and gorm
// statements' text and the Redis commands with their arguments.
//
//	sanitized  (the default) literals and values replaced by "?"; a Redis command, which has
//	           no sanitized form, records nothing
//	raw        the statement or command as the program sent it, values included
//	off        nothing
//
// TOOLWEAVE_DB_QUERY_TEXT decides at run time; without it, the build's default decides:
// `database: {query-text: …}` in toolweave.yml, which toolweave compiles into the program
// (an init function in its main package calls SetDefault). It has no dependencies, so the
// Redis integration can read it without linking database/sql's.
package dbtext

import (
	"os"
	"strings"
)

// Env is the environment variable that decides at run time.
const Env = "TOOLWEAVE_DB_QUERY_TEXT"

// The modes.
const (
	Sanitized = "sanitized"
	Raw       = "raw"
	Off       = "off"
)

var built = Sanitized

// SetDefault sets the build's default (toolweave.yml); an unknown mode is ignored.
func SetDefault(mode string) {
	if mode = normal(mode); mode != "" {
		built = mode
	}
}

// Mode returns the mode in force: TOOLWEAVE_DB_QUERY_TEXT when it names one, else the
// build's default. unknown is a value of TOOLWEAVE_DB_QUERY_TEXT that names none (the
// build's default is used then), for the caller to report.
func Mode() (mode, unknown string) {
	value, set := os.LookupEnv(Env)
	if !set || strings.TrimSpace(value) == "" {
		return built, ""
	}
	if mode = normal(value); mode == "" {
		return built, value
	}
	return mode, ""
}

func normal(mode string) string {
	switch m := strings.ToLower(strings.TrimSpace(mode)); m {
	case Sanitized, Raw, Off:
		return m
	}
	return ""
}
