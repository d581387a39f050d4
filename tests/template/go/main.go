// Command templateref renders text/template cases for the toolweave
// differential test.
//
// It reads a JSON array of cases ({name, template, data, exec}) from stdin and
// writes a JSON array of results ({output, error}) to stdout, one per case, in
// order. Integral JSON numbers decode to int, other numbers to float64,
// objects to map[string]interface{} and arrays to []interface{} (with
// cap == len so that "slice" bounds behave like Python lists). An object with
// the key "__obj__": "person" decodes to a *Person, mirrored in Python by the
// test's Person class.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"text/template"
)

type testCase struct {
	Name     string          `json:"name"`
	Template string          `json:"template"`
	Data     json.RawMessage `json:"data"`
	Exec     string          `json:"exec"`
}

type result struct {
	Output string `json:"output"`
	Error  string `json:"error"`
}

// Person is a struct with methods, mirrored by the Python Person class.
type Person struct {
	Name  string
	Age   int
	Tags  []interface{}
	Extra interface{}
}

func (p *Person) Greet(greeting string) string { return greeting + ", " + p.Name }
func (p *Person) Fail() (string, error)        { return "", errors.New("person failure") }
func (p *Person) String() string               { return "Person(" + p.Name + ")" }
func (p *Person) Add(a, b int) int             { return a + b }
func (p *Person) Self() *Person                { return p }

var funcs = template.FuncMap{
	"Version":  func() string { return "1.0" },
	"fail":     func() (string, error) { return "", errors.New("boom") },
	"add":      func(a, b int) int { return a + b },
	"join":     func(sep string, parts ...string) string { return strings.Join(parts, sep) },
	"identity": func(x interface{}) interface{} { return x },
	"adder":    func() func(int, int) int { return func(a, b int) int { return a + b } },
	"panicky":  func() string { panic("oh no") },
	"half":     func(f float64) float64 { return f / 2 },
	"nothing":  func() interface{} { return nil },
	"upper":    func(s string) string { return strings.ToUpper(s) },
	"yesno": func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	},
	"seq": func(n int) []interface{} {
		out := make([]interface{}, n)
		for i := range out {
			out[i] = i
		}
		return out
	},
}

// convert turns json.Number/map/slice trees into the value model.
func convert(v interface{}) interface{} {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return int(i)
		}
		f, _ := x.Float64()
		return f
	case []interface{}:
		out := make([]interface{}, len(x))
		for i, e := range x {
			out[i] = convert(e)
		}
		return out
	case map[string]interface{}:
		if kind, ok := x["__obj__"]; ok && kind == "person" {
			return makePerson(x)
		}
		out := make(map[string]interface{}, len(x))
		for k, e := range x {
			out[k] = convert(e)
		}
		return out
	}
	return v
}

func makePerson(m map[string]interface{}) *Person {
	p := &Person{}
	if s, ok := m["Name"].(string); ok {
		p.Name = s
	}
	if n, ok := convert(m["Age"]).(int); ok {
		p.Age = n
	}
	if t, ok := convert(m["Tags"]).([]interface{}); ok {
		p.Tags = t
	}
	p.Extra = convert(m["Extra"])
	return p
}

func decodeData(raw json.RawMessage) interface{} {
	if len(raw) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v interface{}
	if err := dec.Decode(&v); err != nil {
		panic(err)
	}
	return convert(v)
}

func run(c testCase) (res result) {
	tmpl, err := template.New("t").Funcs(funcs).Parse(c.Template)
	if err != nil {
		res.Error = err.Error()
		return
	}
	var buf bytes.Buffer
	if c.Exec != "" {
		err = tmpl.ExecuteTemplate(&buf, c.Exec, decodeData(c.Data))
	} else {
		err = tmpl.Execute(&buf, decodeData(c.Data))
	}
	res.Output = buf.String()
	if err != nil {
		res.Error = err.Error()
	}
	return
}

func main() {
	var cases []testCase
	if err := json.NewDecoder(os.Stdin).Decode(&cases); err != nil {
		fmt.Fprintln(os.Stderr, "bad input:", err)
		os.Exit(2)
	}
	results := make([]result, len(cases))
	for i, c := range cases {
		results[i] = run(c)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(results); err != nil {
		fmt.Fprintln(os.Stderr, "encode:", err)
		os.Exit(2)
	}
}
