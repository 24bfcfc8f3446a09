package awsops_test

import (
	"encoding/base32"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/awssecure/awssecure/awsops"
)

// RFC 6238 appendix B, SHA-1: the seed is ASCII "12345678901234567890" and
// the published codes are 8 digits; the 6-digit code is their last six.
func TestMFACodeRFC6238Vectors(t *testing.T) {
	seed := awsops.NewSecret(base32.StdEncoding.EncodeToString([]byte("12345678901234567890")))
	for _, v := range []struct {
		unix int64
		code string
	}{
		{59, "94287082"},
		{1111111109, "07081804"},
		{1111111111, "14050471"},
		{1234567890, "89005924"},
		{2000000000, "69279037"},
		{20000000000, "65353130"},
	} {
		got, err := awsops.MFACode(seed, time.Unix(v.unix, 0))
		if err != nil || got != v.code[2:] {
			t.Errorf("T=%d: code %s, %v; want %s", v.unix, got, err, v.code[2:])
		}
	}
}

func TestCheckMFACodes(t *testing.T) {
	seed := awsops.NewSecret("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
	now := time.Date(2026, 11, 22, 12, 0, 15, 0, time.UTC)
	at := func(steps int) string {
		c, err := awsops.MFACode(seed, now.Add(time.Duration(steps)*awsops.TOTPPeriod))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	for _, tc := range []struct {
		name         string
		code1, code2 string
		ok           bool
		which        int
		contains     string
	}{
		{"previous then current", at(-1), at(0), true, 0, ""},
		{"phone one step behind", at(-2), at(-1), true, 0, ""},
		{"phone one step ahead", at(0), at(1), true, 0, ""},
		{"five digits", "12345", at(0), false, 1, "6 digits"},
		{"letters", at(-1), "12a456", false, 2, "6 digits"},
		{"same code twice", at(0), at(0), false, 0, "same"},
		{"not consecutive", at(-1), at(1), false, 0, "not consecutive"},
		{"swapped", at(0), at(-1), false, 0, "wrong order"},
		{"typo in the second", at(-1), flip(at(0)), false, 2, "typo"},
		{"typo in the first", flip(at(-1)), at(0), false, 1, "typo"},
		{"clock five minutes ahead", at(9), at(10), false, 0, "5 minutes ahead"},
		{"clock two minutes behind", at(-5), at(-4), false, 0, "2 minutes behind"},
		{"clock ninety seconds behind", at(-4), at(-3), false, 0, "1 minute 30 seconds behind"},
	} {
		err := awsops.CheckMFACodes(seed, tc.code1, tc.code2, now)
		if tc.ok {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		var codeErr *awsops.MFACodeError
		if !errors.As(err, &codeErr) || codeErr.Code != tc.which || !strings.Contains(err.Error(), tc.contains) {
			t.Errorf("%s: err = %v, want code %d and %q", tc.name, err, tc.which, tc.contains)
			continue
		}
		if strings.Contains(err.Error(), tc.code1) || strings.Contains(err.Error(), seed.Reveal()) {
			t.Errorf("%s: error text holds a code or the seed", tc.name)
		}
	}
}

// The codes a person types from a phone are the previous step's and the
// current one, and the check takes them.
func TestPhoneCodes(t *testing.T) {
	seed := awsops.NewSecret("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
	now := time.Date(2026, 11, 22, 12, 0, 15, 0, time.UTC)
	previous, current := awsops.PhoneCodes(seed, now)
	want1, _ := awsops.MFACode(seed, now.Add(-awsops.TOTPPeriod))
	want2, _ := awsops.MFACode(seed, now)
	if previous != want1 || current != want2 {
		t.Errorf("PhoneCodes gave another pair than the device's last two codes")
	}
	if err := awsops.CheckMFACodes(seed, previous, current, now); err != nil {
		t.Errorf("the check refused a phone's codes: %v", err)
	}
	if p, c := awsops.PhoneCodes(awsops.NewSecret("not base32!"), now); p != "" || c != "" {
		t.Errorf("a bad seed gave codes")
	}
}

// A device shows the same code at two steps in a row about once in a
// million steps: this seed did at 01:00:15 and 01:00:45 on 2027-04-28
// (found by walking six million steps). A right pair whose first code
// the device had also shown the step before is still a right pair: one
// test run in CI once failed so, when the first code was matched alone.
func TestCheckMFACodesWhenACodeRepeats(t *testing.T) {
	seed := awsops.NewSecret("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
	repeated := time.Date(2027, 4, 28, 1, 0, 45, 0, time.UTC)
	code := func(t0 time.Time) string {
		c, err := awsops.MFACode(seed, t0)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if code(repeated) != code(repeated.Add(-awsops.TOTPPeriod)) {
		t.Fatal("the seed no longer repeats a code at that step: the test proves nothing")
	}
	code1, code2 := code(repeated), code(repeated.Add(awsops.TOTPPeriod))
	for _, tc := range []struct {
		name string
		now  time.Time
	}{
		{"code 2 is now's", repeated.Add(awsops.TOTPPeriod)},
		{"phone one step ahead", repeated},
		{"phone one step behind", repeated.Add(2 * awsops.TOTPPeriod)},
	} {
		if err := awsops.CheckMFACodes(seed, code1, code2, tc.now); err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	if err := awsops.CheckMFACodes(seed, code2, code1, repeated.Add(awsops.TOTPPeriod)); err == nil || !strings.Contains(err.Error(), "wrong order") {
		t.Errorf("swapped: %v, want the wrong order said", err)
	}
}

// flip changes a code's last digit, as a typo would.
func flip(code string) string {
	last := code[5]
	return code[:5] + string('0'+(last-'0'+1)%10)
}

func TestSecretIsMasked(t *testing.T) {
	s := awsops.NewSecret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
	type holder struct{ S awsops.Secret }
	for _, text := range []string{
		s.String(), s.GoString(),
		sprintf("%v %s %+v %#v %q", s, s, holder{s}, holder{s}, s),
		string(must[[]byte](t)(s.MarshalText())),
	} {
		if strings.Contains(text, "EXAMPLEKEY") {
			t.Errorf("secret shown: %s", text)
		}
	}
	if s.Reveal() != "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" {
		t.Error("Reveal lost the value")
	}
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
