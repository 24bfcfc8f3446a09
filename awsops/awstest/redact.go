package awstest

import "regexp"

// secretLooking matches what could be a secret on a screen or in a log: an
// MFA key in groups of four or in one piece, a 40-character secret access
// key, a generated password after its label, and the modules of a QR code
// (which encodes an MFA key).
var secretLooking = regexp.MustCompile(`(?:[A-Z2-7]{4} ){3,}[A-Z2-7]{4}|[A-Z2-7]{32,}|[A-Za-z0-9/+]{40}|(Password\s+)\S{12,}|[█▀▄][█▀▄ ]{20,}`)

// RedactSecrets keeps a failing test's output free of secrets, even a
// practice account's fake ones: test logs are read, pasted and kept.
func RedactSecrets(s string) string {
	return secretLooking.ReplaceAllString(s, "${1}[redacted]")
}
