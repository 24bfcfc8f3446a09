package awsops

import "encoding/json"

// PracticeFromJSON opens a practice account from the bytes of a practice
// file named path, as NewPractice does after reading it, but keeps the
// account in memory: the fuzz target loads thousands of files a second.
func PracticeFromJSON(path string, data []byte, opts PracticeOptions) (*Practice, error) {
	st, err := decodePracticeState(path, data)
	if err != nil {
		return nil, err
	}
	opts.Path = ""
	p, err := NewPractice(opts)
	if err != nil {
		return nil, err
	}
	p.st = st
	return p, nil
}

// StateJSON is what the practice account would save now.
func (p *Practice) StateJSON() ([]byte, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return json.Marshal(p.st)
}
