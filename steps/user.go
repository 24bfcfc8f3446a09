package steps

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/awssecure/awssecure/awsops"
)

// UserInfo describes the admin user step.
var UserInfo = Info{
	Title: "Create your admin IAM user",
	Why: "From now on you work as this IAM user, not as root. It is in the administrators group, so it can do your daily work; " +
		"if its credentials leak, root can lock it out. It gets a console password (to be changed at first sign-in) and, as in the tutorial, an access key for the AWS CLI.",
	ConsolePath: "IAM → Users → Create user → Provide user access to the console → Add user to group administrators",
	ConsoleURL:  "https://console.aws.amazon.com/iam/home#/users",
}

// AccessKeyAdvice is the one-line caveat shown next to the access key option.
const AccessKeyAdvice = "CIS 1.11 advises against access keys for console users; prefer `aws sso login` or CloudShell when you can."

// ChangePasswordPolicyARN is the managed policy the console attaches so a
// user can set the new password that first sign-in demands.
const changePasswordPolicy = "IAMUserChangePassword"

// ValidateUserName applies IAM's user name rules.
var ValidateUserName = awsops.ValidateUserName

// UserRequest is what the user form asks.
type UserRequest struct {
	Name         string
	Group        string
	Console      bool // console password
	Programmatic bool // access key
}

// UserResult is what the credentials screen shows. Password and AccessKey
// are set only when created by this call: AWS never shows them again.
type UserResult struct {
	Name      string
	Created   bool // the user is new; false when it already existed
	Password  awsops.Secret
	AccessKey *awsops.AccessKey
	// Kept lists what already existed and was left alone, in plain words.
	Kept []string
}

// ApplyAdminUser creates the user and whatever of its access is missing,
// in an order that a rerun after any interruption completes: user, group
// membership, change-password permission, console password, access key.
func ApplyAdminUser(ctx context.Context, acct Account, caller awsops.Caller, req UserRequest) (UserResult, error) {
	res := UserResult{Name: req.Name, Created: true}
	if _, err := acct.CreateUser(ctx, req.Name); errors.Is(err, awsops.ErrAlreadyExists) {
		res.Created = false
		res.Kept = append(res.Kept, "user "+req.Name+" already existed")
	} else if err != nil {
		return res, err
	}
	if _, err := acct.EnsureUserInGroup(ctx, req.Name, req.Group); err != nil {
		return res, err
	}
	if req.Console {
		if err := ensureConsolePassword(ctx, acct, caller, &res); err != nil {
			return res, err
		}
	}
	if req.Programmatic {
		keys, err := acct.AccessKeys(ctx, req.Name)
		if err != nil {
			return res, err
		}
		if len(keys) > 0 {
			res.Kept = append(res.Kept, fmt.Sprintf("access key %s already existed; its secret was shown when it was made and cannot be shown again", keys[0].ID))
			return res, nil
		}
		key, err := createAccessKey(ctx, acct, req.Name)
		if err != nil {
			return res, err
		}
		res.AccessKey = &key
	}
	return res, nil
}

// RenewCredentials gives an existing user a new console password (to be
// changed at first sign-in) and a new access key that replaces the old
// ones. It is for the learner whose first run stopped before the
// credentials screen, or who did not save them: AWS never shows a secret
// twice, so new ones are the only way back in.
func RenewCredentials(ctx context.Context, acct Account, caller awsops.Caller, user string) (UserResult, error) {
	res := UserResult{Name: user}
	// Checked first, so that nothing changes when the key cannot be made.
	keys, err := acct.AccessKeys(ctx, user)
	if err != nil {
		return res, err
	}
	if len(keys) >= 2 {
		// Making room would mean choosing which key to break; the user must.
		return res, &awsops.OpError{Action: "iam:CreateAccessKey", Kind: awsops.ErrLimitExceeded,
			Err: fmt.Errorf("%s already has two access keys, the most AWS allows", user)}
	}
	has, err := acct.HasLoginProfile(ctx, user)
	if err != nil {
		return res, err
	}
	if !has {
		if err := ensureConsolePassword(ctx, acct, caller, &res); err != nil {
			return res, err
		}
	} else {
		policy, err := readPolicy(ctx, acct)
		if err != nil {
			return res, err
		}
		password, err := GeneratePassword(policy)
		if err != nil {
			return res, err
		}
		if err := acct.UpdateLoginProfile(ctx, user, password, true); err != nil {
			return res, err
		}
		res.Password = password
	}
	key, err := createAccessKey(ctx, acct, user)
	if err != nil {
		return res, err
	}
	res.AccessKey = &key
	return res, nil
}

// createAccessKey makes a key and leaves the user with it alone. If
// the reply to CreateAccessKey is lost, the SDK's retry makes a second key
// and the first one's secret is gone; and if the call fails after AWS made
// the key, its secret is gone too. Any key other than the one whose secret
// we hold is deleted, so a user never keeps a key nobody can use.
func createAccessKey(ctx context.Context, acct Account, user string) (awsops.AccessKey, error) {
	before, err := acct.AccessKeys(ctx, user)
	if err != nil {
		return awsops.AccessKey{}, err
	}
	known := make(map[string]bool, len(before))
	for _, k := range before {
		known[k.ID] = true
	}
	key, createErr := acct.CreateAccessKey(ctx, user)
	after, err := acct.AccessKeys(ctx, user)
	if err != nil {
		return key, errors.Join(createErr, err)
	}
	for _, k := range after {
		// Keys from before stay when the new one failed: they may be the
		// only way the user has in.
		if createErr == nil && k.ID == key.ID || createErr != nil && known[k.ID] {
			continue
		}
		if err := acct.DeleteAccessKey(ctx, user, k.ID); err != nil && !errors.Is(err, awsops.ErrNotFound) {
			return key, errors.Join(createErr, err)
		}
	}
	return key, createErr
}

func ensureConsolePassword(ctx context.Context, acct Account, caller awsops.Caller, res *UserResult) error {
	if err := acct.AttachUserPolicy(ctx, res.Name, "arn:"+caller.Partition()+":iam::aws:policy/"+changePasswordPolicy); err != nil {
		return err
	}
	has, err := acct.HasLoginProfile(ctx, res.Name)
	if err != nil {
		return err
	}
	if has {
		res.Kept = append(res.Kept, "a console password already existed and was not changed")
		return nil
	}
	policy, err := readPolicy(ctx, acct)
	if err != nil {
		return err
	}
	password, err := GeneratePassword(policy)
	if err != nil {
		return err
	}
	err = acct.CreateLoginProfile(ctx, res.Name, password, true)
	if errors.Is(err, awsops.ErrAlreadyExists) {
		// There was none a moment ago: our own call made it and its reply
		// was lost, so the SDK's retry found it. Set the password again so
		// the one shown is surely the one AWS holds.
		err = acct.UpdateLoginProfile(ctx, res.Name, password, true)
	}
	if err != nil {
		return err
	}
	res.Password = password
	return nil
}

// Characters of generated passwords: no look-alikes (0/O, 1/l/I), and only
// symbols IAM counts as symbols.
const (
	upperChars  = "ABCDEFGHJKLMNPQRSTUVWXYZ"
	lowerChars  = "abcdefghijkmnopqrstuvwxyz"
	digitChars  = "23456789"
	symbolChars = "!@#$%^&*()_+-=[]{}|"
)

// GeneratePassword makes a random password that satisfies policy (nil:
// IAM's default), with every character kind, at least 20 characters.
func GeneratePassword(policy *awsops.PasswordPolicy) (awsops.Secret, error) {
	length := 20
	if policy != nil && policy.MinimumLength > length {
		length = policy.MinimumLength
	}
	all := upperChars + lowerChars + digitChars + symbolChars
	for range 100 {
		b := make([]byte, length)
		for i := range b {
			set := all
			if i < 4 { // one of each kind first, then shuffled below
				set = []string{upperChars, lowerChars, digitChars, symbolChars}[i]
			}
			n, err := rand.Int(rand.Reader, big.NewInt(int64(len(set))))
			if err != nil {
				return awsops.Secret{}, fmt.Errorf("generate password: %w", err)
			}
			b[i] = set[n.Int64()]
		}
		for i := len(b) - 1; i > 0; i-- {
			j, err := rand.Int(rand.Reader, big.NewInt(int64(i+1)))
			if err != nil {
				return awsops.Secret{}, fmt.Errorf("generate password: %w", err)
			}
			b[i], b[j.Int64()] = b[j.Int64()], b[i]
		}
		if err := avoidFormulaStart(b); err != nil {
			return awsops.Secret{}, fmt.Errorf("generate password: %w", err)
		}
		pw := awsops.NewSecret(string(b))
		if awsops.PasswordSatisfies(pw, policy) == nil {
			return pw, nil
		}
	}
	return awsops.Secret{}, errors.New("generate password: could not satisfy the password policy")
}

// formulaStart are the first characters that make a spreadsheet run a
// cell as a formula: a password starting with one, opened from the CSV,
// is a formula (or an injection) instead of the password.
const formulaStart = "=+-@"

// avoidFormulaStart swaps a first character of formulaStart with one, at
// a random place, that is not: the password keeps its characters.
func avoidFormulaStart(b []byte) error {
	if len(b) == 0 || !strings.ContainsRune(formulaStart, rune(b[0])) {
		return nil
	}
	var safe []int
	for i, c := range b {
		if !strings.ContainsRune(formulaStart, rune(c)) {
			safe = append(safe, i)
		}
	}
	if len(safe) == 0 {
		return errors.New("no character may start it")
	}
	n, err := rand.Int(rand.Reader, big.NewInt(int64(len(safe))))
	if err != nil {
		return err
	}
	j := safe[n.Int64()]
	b[0], b[j] = b[j], b[0]
	return nil
}

// UserCLI is the aws CLI equivalent of req.
func UserCLI(caller awsops.Caller, req UserRequest) string {
	cmd := "aws iam create-user --user-name " + req.Name + "\n" +
		"aws iam add-user-to-group --user-name " + req.Name + " --group-name " + req.Group
	if req.Console {
		cmd += "\naws iam attach-user-policy --user-name " + req.Name + " --policy-arn arn:" + caller.Partition() + ":iam::aws:policy/" + changePasswordPolicy +
			"\naws iam create-login-profile --user-name " + req.Name + " --password '…' --password-reset-required"
	}
	if req.Programmatic {
		cmd += "\naws iam create-access-key --user-name " + req.Name
	}
	return cmd
}
