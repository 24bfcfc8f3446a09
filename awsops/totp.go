package awsops

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// TOTPPeriod is the step of the codes AWS virtual MFA devices use (RFC 6238).
const TOTPPeriod = 30 * time.Second

var sixDigits = regexp.MustCompile(`^[0-9]{6}$`)

// MFACodeError says what is wrong with a pair of MFA codes, in words a
// person can act on. Code is 1 or 2 for the code at fault, 0 for both.
type MFACodeError struct {
	Code    int
	Problem string
	// Skew is how far the authenticator's clock seems to be from ours,
	// when a wider window than allowed matches the codes.
	Skew time.Duration
}

func (e *MFACodeError) Error() string {
	if e.Code == 0 {
		return e.Problem
	}
	return fmt.Sprintf("code %d: %s", e.Code, e.Problem)
}

// ValidMFACodeFormat reports whether code is six digits.
func ValidMFACodeFormat(code string) bool { return sixDigits.MatchString(code) }

// CheckMFACodes checks two consecutive codes from an authenticator app
// against seed at time now: code 2 must be the code that followed code 1,
// and code 2 may be at most one step ahead or behind now. It returns nil
// or a *MFACodeError. It never puts the seed or the codes in the error.
func CheckMFACodes(seed Secret, code1, code2 string, now time.Time) error {
	for i, c := range []string{code1, code2} {
		if !ValidMFACodeFormat(c) {
			return &MFACodeError{Code: i + 1, Problem: "must be exactly 6 digits"}
		}
	}
	if code1 == code2 {
		return &MFACodeError{Problem: "the two codes are the same: wait until the app shows a new code, then enter that one as the second"}
	}
	const allowed, wide = 1, 20 // steps: ±30 s is accepted; ±10 min is searched to spot a wrong clock
	if _, ok := consecutive(seed, code1, code2, now, -allowed, allowed); ok {
		return nil
	}
	if _, ok := consecutive(seed, code2, code1, now, -allowed, allowed); ok {
		return &MFACodeError{Problem: "the codes are in the wrong order: enter the earlier code first"}
	}
	_, ok1 := codeStep(seed, code1, now, -allowed-1, allowed-1)
	_, ok2 := codeStep(seed, code2, now, -allowed, allowed)
	if ok1 && ok2 {
		return &MFACodeError{Problem: "the codes are not consecutive: enter a code, wait for the next one, enter that"}
	}
	if offset, ok := consecutive(seed, code1, code2, now, -wide, wide); ok {
		return &MFACodeError{Problem: fmt.Sprintf("the codes match a phone clock %s: set the phone's time automatically and try again", describeSkew(time.Duration(offset)*TOTPPeriod)), Skew: time.Duration(offset) * TOTPPeriod}
	}
	switch {
	case ok1:
		return &MFACodeError{Code: 2, Problem: "does not match (a typo?)"}
	case ok2:
		return &MFACodeError{Code: 1, Problem: "does not match (a typo?)"}
	}
	return &MFACodeError{Problem: "neither code matches this device: check that the app entry you read is the one you just added"}
}

// consecutive finds the step offset from now, within [from, to], at
// which the device showed later, having shown earlier the step before.
// It looks at pairs, not at each code's first match: a code the device
// also showed at a nearby step (one time in a million or so) would
// otherwise make a right pair look not consecutive.
func consecutive(seed Secret, earlier, later string, now time.Time, from, to int) (int, bool) {
	for offset := from; offset <= to; offset++ {
		if _, ok := codeStep(seed, later, now, offset, offset); !ok {
			continue
		}
		if _, ok := codeStep(seed, earlier, now, offset-1, offset-1); ok {
			return offset, true
		}
	}
	return 0, false
}

// codeStep finds the step offset from now, within [from, to], at which
// code is the device's code.
func codeStep(seed Secret, code string, now time.Time, from, to int) (int, bool) {
	for offset := from; offset <= to; offset++ {
		want, err := MFACode(seed, now.Add(time.Duration(offset)*TOTPPeriod))
		if err == nil && want == code {
			return offset, true
		}
	}
	return 0, false
}

func describeSkew(d time.Duration) string {
	dir := "ahead"
	if d < 0 {
		dir, d = "behind", -d
	}
	d = d.Round(time.Second)
	minutes, seconds := int(d/time.Minute), int(d%time.Minute/time.Second)
	var parts []string
	if minutes > 0 {
		parts = append(parts, plural(minutes, "minute"))
	}
	if seconds > 0 || minutes == 0 {
		parts = append(parts, plural(seconds, "second"))
	}
	return strings.Join(parts, " ") + " " + dir

}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// PhoneCodes returns the two codes a device with seed showed last at now,
// in the order a person types them to enable it: the previous step's,
// then the current one. A seed that is not base32 gives empty codes,
// which every check refuses.
func PhoneCodes(seed Secret, now time.Time) (previous, current string) {
	previous, _ = MFACode(seed, now.Add(-TOTPPeriod))
	current, _ = MFACode(seed, now)
	return previous, current
}

// MFACode returns the code a device with seed shows at t: the practice
// account's and the tests' stand-in for a phone.
func MFACode(seed Secret, t time.Time) (string, error) {
	return totp.GenerateCodeCustom(seed.Reveal(), t, totp.ValidateOpts{
		Period: uint(TOTPPeriod / time.Second), Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1,
	})
}
