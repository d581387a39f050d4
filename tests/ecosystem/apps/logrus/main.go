// Command logrusapp is an unmodified logrus program for toolweave's logrus integration test:
// from a //weave:span function it logs through the standard logger (JSON on stderr) and a
// logger made with logrus.New (JSON on stdout), with and without a context. Then it exits.
package main

import (
	"context"
	"os"

	"github.com/sirupsen/logrus"
)

//weave:span
func handle(ctx context.Context, custom *logrus.Logger) {
	logrus.WithContext(ctx).WithField("user", "gopher").Info("handled")
	custom.WithContext(ctx).Warn("custom")
	logrus.Info("no context")
}

func main() {
	logrus.SetFormatter(&logrus.JSONFormatter{})
	custom := logrus.New()
	custom.SetOutput(os.Stdout)
	custom.SetFormatter(&logrus.JSONFormatter{})
	handle(context.Background(), custom)
}
