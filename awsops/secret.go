package awsops

// Secret holds a password, a secret access key or an MFA seed. Its String,
// GoString and text/JSON forms are masked, so a secret that slips into a log
// line, an error or a %v never shows; Reveal is the one deliberate way out.
type Secret struct{ value string }

// NewSecret wraps a secret value.
func NewSecret(value string) Secret { return Secret{value: value} }

const mask = "********"

// Reveal returns the secret itself. Call it only where the secret is meant
// to be shown or sent: the credentials screen, a file the user asked for, AWS.
func (s Secret) Reveal() string { return s.value }

// IsZero reports whether no secret is held.
func (s Secret) IsZero() bool { return s.value == "" }

func (s Secret) String() string   { return mask }
func (s Secret) GoString() string { return mask }

// MarshalText masks the secret in JSON, logs and any encoder.
func (s Secret) MarshalText() ([]byte, error) { return []byte(mask), nil }
