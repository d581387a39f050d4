package srv

type Option func(*config)

type config struct {
	port  int
	name  string
	trace bool
}

func withPort(p int) Option       { return func(c *config) { c.port = p } }
func withName(n string) Option    { return func(c *config) { c.name = n } }
func withTracing() Option         { return func(c *config) { c.trace = true } }
func newServer(opts ...Option) int { return len(opts) }

func Plain() int {
	return newServer(withTracing(), withName("Plain")/*line input.go:17:19*/)
}

func WithArgs() int {
	return newServer(withPort(80), withName("api"), withTracing(), withName("WithArgs")/*line input.go:21:48*/)
}

func Spread(defaults []Option) int {
	return newServer(append(append([]Option{}, /*line input.go:25:19*/defaults...), withTracing(), withName("Spread"))/*line input.go:25:27*/...)
}

func Multiline() int {
	return newServer(
		withPort(8080), withTracing(), withName("Multiline")/*line input.go:30:17*/,
	)
}
