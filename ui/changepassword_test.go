package ui

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/awssecure/awssecure/steps"
)

// An account an earlier awssecure made has IAMUserChangePassword
// attached to the admin user itself (CIS 1.15 fails it). The rerun's
// user step, found done, says so and why first; enter detaches it, and
// the runbook records the detach with its aws CLI. Nothing is taken away
// before the screen said it.
func TestRerunDetachesChangePasswordFromTheAdminUser(t *testing.T) {
	dir := t.TempDir()
	acct := newPractice(t, filepath.Join(dir, "practice.json"))
	ctx := t.Context()
	caller, err := acct.WhoAmI(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := steps.AdminGroup.Apply(ctx, acct, caller, steps.DefaultGroupName); err != nil {
		t.Fatal(err)
	}
	if _, err := steps.ApplyAdminUser(ctx, acct, caller, steps.UserRequest{Name: "alice", Group: steps.DefaultGroupName, Console: true}); err != nil {
		t.Fatal(err)
	}
	const changePassword = "arn:aws:iam::aws:policy/IAMUserChangePassword"
	if err := acct.AttachUserPolicy(ctx, "alice", changePassword); err != nil { // as awssecure once did
		t.Fatal(err)
	}

	h := wizard(t, acct, dir)
	h.waitFor("Account 111122223333")
	walkTo(t, h, "Already done: admin user alice")
	s := strings.Join(strings.Fields(h.screen()), " ")
	for _, want := range []string{"IAMUserChangePassword is attached to alice itself", "CIS 1.15 wants no policy on a user",
		"AdministratorAccess already lets alice change its password", "enter detach it"} {
		if !strings.Contains(s, want) {
			t.Errorf("the done screen does not say %q:\n%s", want, h.screen())
		}
	}
	if policies, _ := acct.UserPolicies(ctx, "alice"); !slices.Equal(policies, []string{changePassword}) {
		t.Fatalf("detached before the screen was answered: %v", policies)
	}
	h.press("enter")
	h.waitFor("MFA for alice") // the step hands on, as when done
	if policies, _ := acct.UserPolicies(ctx, "alice"); len(policies) != 0 {
		t.Errorf("after enter, alice still has %v", policies)
	}
	var book []string
	for _, e := range h.model.(Model).runbook {
		book = append(book, e.Did+"\n"+e.CLI)
	}
	all := strings.Join(book, "\n")
	for _, want := range []string{"IAMUserChangePassword is detached from alice",
		"aws iam detach-user-policy --user-name alice --policy-arn arn:aws:iam::aws:policy/IAMUserChangePassword"} {
		if !strings.Contains(all, want) {
			t.Errorf("the runbook lacks %q:\n%s", want, all)
		}
	}
	snap, err := steps.ReadSnapshot(ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range steps.Checks(snap) {
		if c.ID == steps.CheckUserPolicies && c.Status != steps.Pass {
			t.Errorf("after the rerun: %+v", c)
		}
	}
}
