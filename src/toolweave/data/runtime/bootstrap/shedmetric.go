package bootstrap

import (
	"context"

	"go.opentelemetry.io/otel/metric"
)

// shedMeterProvider wraps the installed MeterProvider: its synchronous instruments drop
// their measurements while shedding (see ShedEnv). Everything else is the wrapped
// provider's: the embedded interfaces forward the methods this file does not override,
// including those a later API version adds.
func shedMeterProvider(mp metric.MeterProvider) metric.MeterProvider { return shedMP{mp} }

type shedMP struct{ metric.MeterProvider }

func (p shedMP) Meter(name string, opts ...metric.MeterOption) metric.Meter {
	return shedMeter{p.MeterProvider.Meter(name, opts...)}
}

type shedMeter struct{ metric.Meter }

// wrapped gives the wrapper of inst, or inst itself when there is none (nil, with err).
func wrapped[I any](inst I, err error, wrap func(I) I) (I, error) {
	if any(inst) == nil {
		return inst, err
	}
	return wrap(inst), err
}

func (m shedMeter) Int64Counter(name string, o ...metric.Int64CounterOption) (metric.Int64Counter, error) {
	c, err := m.Meter.Int64Counter(name, o...)
	return wrapped(c, err, func(c metric.Int64Counter) metric.Int64Counter { return shedI64Counter{c} })
}

func (m shedMeter) Int64UpDownCounter(name string, o ...metric.Int64UpDownCounterOption) (metric.Int64UpDownCounter, error) {
	c, err := m.Meter.Int64UpDownCounter(name, o...)
	return wrapped(c, err, func(c metric.Int64UpDownCounter) metric.Int64UpDownCounter { return shedI64UpDown{c} })
}

func (m shedMeter) Int64Histogram(name string, o ...metric.Int64HistogramOption) (metric.Int64Histogram, error) {
	h, err := m.Meter.Int64Histogram(name, o...)
	return wrapped(h, err, func(h metric.Int64Histogram) metric.Int64Histogram { return shedI64Histogram{h} })
}

func (m shedMeter) Int64Gauge(name string, o ...metric.Int64GaugeOption) (metric.Int64Gauge, error) {
	g, err := m.Meter.Int64Gauge(name, o...)
	return wrapped(g, err, func(g metric.Int64Gauge) metric.Int64Gauge { return shedI64Gauge{g} })
}

func (m shedMeter) Float64Counter(name string, o ...metric.Float64CounterOption) (metric.Float64Counter, error) {
	c, err := m.Meter.Float64Counter(name, o...)
	return wrapped(c, err, func(c metric.Float64Counter) metric.Float64Counter { return shedF64Counter{c} })
}

func (m shedMeter) Float64UpDownCounter(name string, o ...metric.Float64UpDownCounterOption) (metric.Float64UpDownCounter, error) {
	c, err := m.Meter.Float64UpDownCounter(name, o...)
	return wrapped(c, err, func(c metric.Float64UpDownCounter) metric.Float64UpDownCounter { return shedF64UpDown{c} })
}

func (m shedMeter) Float64Histogram(name string, o ...metric.Float64HistogramOption) (metric.Float64Histogram, error) {
	h, err := m.Meter.Float64Histogram(name, o...)
	return wrapped(h, err, func(h metric.Float64Histogram) metric.Float64Histogram { return shedF64Histogram{h} })
}

func (m shedMeter) Float64Gauge(name string, o ...metric.Float64GaugeOption) (metric.Float64Gauge, error) {
	g, err := m.Meter.Float64Gauge(name, o...)
	return wrapped(g, err, func(g metric.Float64Gauge) metric.Float64Gauge { return shedF64Gauge{g} })
}

// measurementShed reports a measurement to drop now, and counts it if so.
func measurementShed() bool {
	if !shedding() {
		return false
	}
	drops.measurementsShed.Add(1)
	return true
}

// The instruments: each embeds the wrapped one and drops (and counts) what it is given
// while shedding.

type shedI64Counter struct{ metric.Int64Counter }

func (c shedI64Counter) Add(ctx context.Context, v int64, o ...metric.AddOption) {
	if !measurementShed() {
		c.Int64Counter.Add(ctx, v, o...)
	}
}
func (c shedI64Counter) Enabled(ctx context.Context) bool {
	return !shedding() && c.Int64Counter.Enabled(ctx)
}

type shedI64UpDown struct{ metric.Int64UpDownCounter }

func (c shedI64UpDown) Add(ctx context.Context, v int64, o ...metric.AddOption) {
	if !measurementShed() {
		c.Int64UpDownCounter.Add(ctx, v, o...)
	}
}
func (c shedI64UpDown) Enabled(ctx context.Context) bool {
	return !shedding() && c.Int64UpDownCounter.Enabled(ctx)
}

type shedI64Histogram struct{ metric.Int64Histogram }

func (h shedI64Histogram) Record(ctx context.Context, v int64, o ...metric.RecordOption) {
	if !measurementShed() {
		h.Int64Histogram.Record(ctx, v, o...)
	}
}
func (h shedI64Histogram) Enabled(ctx context.Context) bool {
	return !shedding() && h.Int64Histogram.Enabled(ctx)
}

type shedI64Gauge struct{ metric.Int64Gauge }

func (g shedI64Gauge) Record(ctx context.Context, v int64, o ...metric.RecordOption) {
	if !measurementShed() {
		g.Int64Gauge.Record(ctx, v, o...)
	}
}
func (g shedI64Gauge) Enabled(ctx context.Context) bool {
	return !shedding() && g.Int64Gauge.Enabled(ctx)
}

type shedF64Counter struct{ metric.Float64Counter }

func (c shedF64Counter) Add(ctx context.Context, v float64, o ...metric.AddOption) {
	if !measurementShed() {
		c.Float64Counter.Add(ctx, v, o...)
	}
}
func (c shedF64Counter) Enabled(ctx context.Context) bool {
	return !shedding() && c.Float64Counter.Enabled(ctx)
}

type shedF64UpDown struct{ metric.Float64UpDownCounter }

func (c shedF64UpDown) Add(ctx context.Context, v float64, o ...metric.AddOption) {
	if !measurementShed() {
		c.Float64UpDownCounter.Add(ctx, v, o...)
	}
}
func (c shedF64UpDown) Enabled(ctx context.Context) bool {
	return !shedding() && c.Float64UpDownCounter.Enabled(ctx)
}

type shedF64Histogram struct{ metric.Float64Histogram }

func (h shedF64Histogram) Record(ctx context.Context, v float64, o ...metric.RecordOption) {
	if !measurementShed() {
		h.Float64Histogram.Record(ctx, v, o...)
	}
}
func (h shedF64Histogram) Enabled(ctx context.Context) bool {
	return !shedding() && h.Float64Histogram.Enabled(ctx)
}

type shedF64Gauge struct{ metric.Float64Gauge }

func (g shedF64Gauge) Record(ctx context.Context, v float64, o ...metric.RecordOption) {
	if !measurementShed() {
		g.Float64Gauge.Record(ctx, v, o...)
	}
}
func (g shedF64Gauge) Enabled(ctx context.Context) bool {
	return !shedding() && g.Float64Gauge.Enabled(ctx)
}
