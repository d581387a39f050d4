// Command zapapp is an unmodified zap program for toolweave's zap integration test: it logs
// with and without a context field from a //weave:span function, through a production
// logger (JSON on stderr) and a logger made with zap.New on stdout, then exits.
package main

import (
	"context"
	"os"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

//weave:span
func handle(ctx context.Context, prod, custom *zap.Logger) {
	prod.Info("handled", zap.Any("ctx", ctx), zap.String("user", "gopher"))
	custom.Warn("custom", zap.Any("ctx", ctx))
	prod.Info("no context")
}

func main() {
	prod, err := zap.NewProduction()
	if err != nil {
		panic(err)
	}
	encoder := zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig())
	custom := zap.New(zapcore.NewCore(encoder, zapcore.Lock(os.Stdout), zap.InfoLevel))
	handle(context.Background(), prod, custom)
	prod.Sync()
	custom.Sync()
}
