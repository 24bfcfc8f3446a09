package steps

// Info is what a step says about itself: the same words on its wizard
// screen, in its teaching panel and in status.
type Info struct {
	Title       string
	Why         string // plain words: what the step does and why it matters
	ConsolePath string // where a person would click to do it by hand
	ConsoleURL  string
}
