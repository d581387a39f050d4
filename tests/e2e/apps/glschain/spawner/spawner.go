// Package spawner is a dependency of glschain (another module: its go statements are not the
// main module's) that starts a goroutine while it is called.
package spawner

// Start runs f on a goroutine of its own and returns a channel closed when f has returned.
func Start(f func()) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	return done
}
