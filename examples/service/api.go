package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"strconv"
	"strings"
)

// api serves the item store over HTTP.
type api struct {
	store *Store
}

func newAPI(store *Store) *api { return &api{store: store} }

// routes uses Go 1.22 ServeMux patterns: a method and a {wildcard} per route.
func (a *api) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items", a.listItems)
	mux.HandleFunc("POST /items", a.createItem)
	mux.HandleFunc("GET /items/{id}", a.getItem)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	return mux
}

func (a *api) listItems(w http.ResponseWriter, r *http.Request) {
	items, err := a.store.List(r.Context())
	if err != nil {
		httpError(w, err, http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusOK, items)
}

//weave:span
func (a *api) createItem(w http.ResponseWriter, r *http.Request) {
	name, err := decodeName(r)
	if err != nil {
		httpError(w, err, http.StatusBadRequest)
		return
	}
	it, err := a.store.Create(r.Context(), name)
	if err != nil {
		httpError(w, err, http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusCreated, it)
}

//weave:span
//weave:log
func (a *api) getItem(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		httpError(w, fmt.Errorf("bad id %q", r.PathValue("id")), http.StatusBadRequest)
		return
	}
	it, err := a.store.Get(r.Context(), id)
	switch {
	case errors.Is(err, ErrNotFound):
		httpError(w, err, http.StatusNotFound)
	case err != nil:
		httpError(w, err, http.StatusInternalServerError)
	default:
		writeJSON(w, http.StatusOK, it)
	}
}

// decodeName reads {"name": "…"} from the request body; it fails on bad JSON or an empty name.
//
//weave:span
func decodeName(r *http.Request) (string, error) {
	var in struct {
		Name string `json:"name"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		return "", fmt.Errorf("decode body: %w", err)
	}
	if strings.TrimSpace(in.Name) == "" {
		return "", errors.New("name is empty")
	}
	return in.Name, nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("write response: %v", err)
	}
}

func httpError(w http.ResponseWriter, err error, status int) {
	writeJSON(w, status, map[string]string{"error": err.Error()})
}
