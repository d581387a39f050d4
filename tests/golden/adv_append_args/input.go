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
	return newServer()
}

func WithArgs() int {
	return newServer(withPort(80), withName("api"))
}

func Spread(defaults []Option) int {
	return newServer(defaults...)
}

func Multiline() int {
	return newServer(
		withPort(8080),
	)
}
