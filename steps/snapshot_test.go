package steps_test

import (
	"context"
	"testing"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/steps"
)

// panickingAccount is the practice account with one read that panics.
// Its summary counts one MFA device more than the users' virtual ones, a
// hardware key the practice account cannot make, so the users without a
// virtual device are asked for their others (the third round).
type panickingAccount struct {
	steps.Account
	read string
}

func (a panickingAccount) AccountSummary(ctx context.Context) (awsops.AccountSummary, error) {
	if a.read == "AccountSummary" {
		var users map[string]int
		users["bob"]++
	}
	sum, err := a.Account.AccountSummary(ctx)
	sum.MFADevicesInUse++
	return sum, err
}

func (a panickingAccount) AuthorizationDetails(ctx context.Context) (awsops.AuthorizationDetails, error) {
	if a.read == "AuthorizationDetails" {
		var groups []string
		_ = groups[len(a.read)]
	}
	return a.Account.AuthorizationDetails(ctx)
}

func (a panickingAccount) HasLoginProfile(ctx context.Context, user string) (bool, error) {
	if a.read == "HasLoginProfile" {
		var p *awsops.Caller
		_ = p.ARN
	}
	return a.Account.HasLoginProfile(ctx, user)
}

func (a panickingAccount) UserMFADevices(ctx context.Context, user string) ([]string, error) {
	if a.read == "UserMFADevices" {
		var devices map[string]int
		devices[user]++
	}
	return a.Account.UserMFADevices(ctx, user)
}

// A panic in one of the snapshot's concurrent reads reaches the caller,
// where the wizard's command guard recovers it; in a goroutine of its own
// it would end the program with the terminal in raw mode.
func TestReadSnapshotCarriesAPanicToItsCaller(t *testing.T) {
	acct := practice(t)
	ctx := t.Context()
	caller, _ := acct.WhoAmI(ctx)
	if _, err := steps.AdminGroup.Apply(ctx, acct, caller, "administrators"); err != nil {
		t.Fatal(err)
	}
	// alice, a console user without MFA, is read in all three rounds.
	if _, err := acct.CreateUser(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	if err := acct.CreateLoginProfile(ctx, "alice", awsops.NewSecret("Xy7!practice-Pass"), true); err != nil {
		t.Fatal(err)
	}
	for _, read := range []string{"AccountSummary", "AuthorizationDetails", "HasLoginProfile", "UserMFADevices"} {
		func() {
			defer func() {
				if r := recover(); r == nil {
					t.Errorf("a panic in %s did not reach ReadSnapshot's caller", read)
				}
			}()
			_, _ = steps.ReadSnapshot(ctx, panickingAccount{Account: acct, read: read})
		}()
	}
}
