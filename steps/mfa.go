package steps

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/internal/inert"
)

// MFAInfo describes the new user's MFA step.
var MFAInfo = Info{
	Title: "Protect your admin user with MFA",
	Why: "Your new user can do almost anything, so it deserves the same protection as root. " +
		"Scan the code with an authenticator app (Google Authenticator, Authy, 1Password, …); from then on, signing in needs the password and the 6-digit code from your phone.",
	ConsolePath: "IAM → Users → your user → Security credentials → Assign MFA device → Authenticator app",
	ConsoleURL:  "https://console.aws.amazon.com/iam/home#/users",
}

// MFAIssuer is the issuer authenticator apps show, as AWS's own QR codes set it.
const MFAIssuer = "Amazon Web Services"

// Enrollment is a virtual MFA device waiting for its first two codes.
// Its seed lives only here, in memory, and on the QR screen.
type Enrollment struct {
	User   string
	Serial string
	Seed   awsops.Secret
	URI    awsops.Secret // otpauth:// URI for the QR code; it holds the seed
	// ReplacedOrphan is true when an unassigned device of ours, left by an
	// interrupted run, was deleted to make this one (its seed was lost).
	ReplacedOrphan bool
}

// MFADeviceName is the device's name: the user's, as the console suggests.
func MFADeviceName(user string) string { return user }

// UserHasMFA reports whether user already has an MFA device.
func UserHasMFA(ctx context.Context, acct Account, user string) (bool, error) {
	serials, err := acct.UserMFADevices(ctx, user)
	return len(serials) > 0, err
}

// StartMFA creates the virtual device. An unassigned device with our name
// is deleted first: an earlier run made it and its seed cannot be read back.
// label names the account in the app: the alias, or the account id.
func StartMFA(ctx context.Context, acct Account, user, label string) (Enrollment, error) {
	name := MFADeviceName(user)
	if err := awsops.ValidateMFADeviceName(name); err != nil {
		return Enrollment{}, err
	}
	e := Enrollment{User: user}
	devices, err := acct.VirtualMFADevices(ctx)
	if err != nil {
		return e, err
	}
	for _, d := range devices {
		if d.User == "" && strings.HasSuffix(d.Serial, ":mfa/"+name) {
			if err := deleteDevice(ctx, acct, d.Serial); err != nil {
				return e, err
			}
			e.ReplacedOrphan = true
		}
	}
	dev, err := acct.CreateVirtualMFADevice(ctx, name)
	if err != nil {
		return e, err
	}
	e.Serial, e.Seed = dev.Serial, dev.Seed
	e.URI = awsops.NewSecret(OTPAuthURI(dev.Seed, user, label))
	return e, nil
}

// OTPAuthURI is the Key URI authenticator apps read from a QR code:
// otpauth://totp/USER@LABEL?secret=…&issuer=Amazon%20Web%20Services.
// The issuer goes only in its parameter, not also as a label prefix, and
// spaces are %20 (some apps do not read "+" as a space): every byte saved
// keeps the QR code small enough for an 80×24 terminal.
func OTPAuthURI(seed awsops.Secret, user, label string) string {
	return "otpauth://totp/" + url.PathEscape(user+"@"+label) +
		"?secret=" + strings.TrimRight(seed.Reveal(), "=") + "&issuer=" + url.PathEscape(MFAIssuer)
}

// FinishMFA checks the two codes locally (a typo or a wrong clock is
// caught at once, with the reason) and then enables the device.
func FinishMFA(ctx context.Context, acct Account, e Enrollment, code1, code2 string, now time.Time) (Outcome, error) {
	code1, code2 = NormalMFACode(code1), NormalMFACode(code2)
	if err := awsops.CheckMFACodes(e.Seed, code1, code2, now); err != nil {
		return Outcome{}, err
	}
	err := acct.EnableMFADevice(ctx, e.User, e.Serial, code1, code2)
	if err != nil && !errors.Is(err, awsops.ErrInvalidMFACode) {
		// The reply may have been lost after AWS enabled the device; the
		// retry then fails. If the device is the user's now, it worked.
		if serials, readErr := acct.UserMFADevices(ctx, e.User); readErr == nil && slices.Contains(serials, e.Serial) {
			err = nil
		}
	}
	if err != nil {
		return Outcome{}, err
	}
	return Outcome{Changed: true, Said: "MFA is on for " + e.User + ".", Change: func(s *Snapshot) {
		users := slices.Clone(s.Users)
		for i := range users {
			if users[i].Name == e.User {
				users[i].MFADevices++
			}
		}
		s.Users = users
	}}, nil
}

// MFACodeProblem is why the codes were refused, in words for the form,
// when the user can fix it by typing codes again (a typo, a code that
// did not change, a phone clock that is off); ok is false otherwise.
func MFACodeProblem(err error) (problem string, ok bool) {
	var codeErr *awsops.MFACodeError
	if errors.As(err, &codeErr) {
		return codeErr.Error(), true
	}
	return "", false
}

// CancelMFA deletes a device that was never enabled.
func CancelMFA(ctx context.Context, acct Account, e Enrollment) error {
	if e.Serial == "" {
		return nil
	}
	return deleteDevice(ctx, acct, e.Serial)
}

// deleteDevice deletes a virtual MFA device; one already gone (a retry
// after a lost reply) is as good as deleted.
func deleteDevice(ctx context.Context, acct Account, serial string) error {
	if err := acct.DeleteVirtualMFADevice(ctx, serial); err != nil && !errors.Is(err, awsops.ErrNotFound) {
		return err
	}
	return nil
}

// GroupedSecret prints a seed in groups of four, for typing it by hand.
func GroupedSecret(seed awsops.Secret) string {
	s := strings.TrimRight(seed.Reveal(), "=")
	var groups []string
	for len(s) > 4 {
		groups = append(groups, s[:4])
		s = s[4:]
	}
	return strings.Join(append(groups, s), " ")
}

// MFACLI is the aws CLI equivalent.
func MFACLI(caller awsops.Caller, user string) string {
	return fmt.Sprintf("aws iam create-virtual-mfa-device --virtual-mfa-device-name %s --outfile qr.png --bootstrap-method QRCodePNG\n"+
		"aws iam enable-mfa-device --user-name %s --serial-number %s --authentication-code1 CODE1 --authentication-code2 CODE2",
		inert.ShellWord(MFADeviceName(user)), inert.ShellWord(user),
		inert.ShellWord("arn:"+caller.Partition()+":iam::"+caller.AccountID+":mfa/"+MFADeviceName(user)))
}

// ValidMFACode reports whether code looks like an authenticator's code:
// six digits, with the space in the middle that many apps show ("123 456").
func ValidMFACode(code string) error {
	if !awsops.ValidMFACodeFormat(NormalMFACode(code)) {
		return fmt.Errorf("enter the 6 digits the app shows")
	}
	return nil
}

// NormalMFACode is code as AWS takes it: the digits, without the spaces
// apps show between groups or a person types around them.
func NormalMFACode(code string) string {
	return strings.Join(strings.Fields(code), "")
}

// MFABackup is how an authenticator app's secrets survive a lost phone
// (seed 002: "take note of how the authenticator app you chose handles
// backups"); each MFA screen says where to find its key.
const MFABackup = "A lost phone must not lock you out: turn on the app's cloud backup, add the code to a second device, or keep its key in a password manager"

// MFAShortWhy is the MFA step's why in a line, for beside the QR code.
const MFAShortWhy = "With MFA, signing in as this user needs the password and a code from your phone: a stolen password alone is not enough."
