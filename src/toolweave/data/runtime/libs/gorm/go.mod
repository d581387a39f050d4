// toolweave:library gorm.io/gorm
module toolweave.dev/runtime/libs/gorm

go 1.26.0

require (
	github.com/uptrace/opentelemetry-go-extra/otelgorm v0.3.2
	gorm.io/gorm v1.30.0
	toolweave.dev/runtime v0.0.0-00010101000000-000000000000
)

require (
	github.com/XSAM/otelsql v0.44.0 // indirect
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/go-logr/logr v1.4.4 // indirect
	github.com/go-logr/stdr v1.2.2 // indirect
	github.com/jinzhu/inflection v1.0.0 // indirect
	github.com/jinzhu/now v1.1.5 // indirect
	github.com/uptrace/opentelemetry-go-extra/otelsql v0.3.2 // indirect
	go.opentelemetry.io/auto/sdk v1.2.1 // indirect
	go.opentelemetry.io/otel v1.47.0 // indirect
	go.opentelemetry.io/otel/log v1.47.0 // indirect
	go.opentelemetry.io/otel/metric v1.47.0 // indirect
	go.opentelemetry.io/otel/trace v1.47.0 // indirect
	golang.org/x/text v0.42.0 // indirect
)

// For this module's own tests and vet; in a woven build the generated module file (or a
// pinned module's go.mod) replaces the runtime, and this directive is ignored.
replace toolweave.dev/runtime => ../..
