package awsops_test

import (
	"strings"
	"testing"

	"github.com/awssecure/awssecure/awsops"
)

// Each validator is held to an oracle written independently from IAM's
// documented rules, byte by byte rather than with the validator's regexp.
// The seed corpus in testdata/fuzz holds the bad inputs of the UI's table;
// `go test -fuzz=FuzzValidateUserName ./awsops/` runs the long search.

func iamNameOracle(name string, max int) bool {
	if len(name) == 0 || len(name) > max {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("+=,.@_-", c) >= 0
		if !ok {
			return false
		}
	}
	return true
}

func FuzzValidateUserName(f *testing.F) {
	for _, s := range []string{"alice", "", "bad name", "a*b", "jürgen", strings.Repeat("u", 64), strings.Repeat("u", 65), "a.b@c+d=e,f_g-h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		err := awsops.ValidateUserName(name)
		if want := iamNameOracle(name, 64); (err == nil) != want {
			t.Errorf("ValidateUserName(%q) = %v; IAM's rule says valid=%v", name, err, want)
		}
		if err != nil && err.Error() == "" {
			t.Errorf("no words for %q", name)
		}
	})
}

func FuzzValidateGroupName(f *testing.F) {
	for _, s := range []string{"administrators", "", "admin group", "grüppe", strings.Repeat("g", 128), strings.Repeat("g", 129)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		err := awsops.ValidateGroupName(name)
		if want := iamNameOracle(name, 128); (err == nil) != want {
			t.Errorf("ValidateGroupName(%q) = %v; IAM's rule says valid=%v", name, err, want)
		}
	})
}

func aliasOracle(a string) bool {
	if len(a) < 3 || len(a) > 63 || a[0] == '-' || a[len(a)-1] == '-' || strings.Contains(a, "--") {
		return false
	}
	digits := true
	for i := 0; i < len(a); i++ {
		c := a[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
		if c < '0' || c > '9' {
			digits = false
		}
	}
	return !digits
}

func FuzzValidateAlias(f *testing.F) {
	for _, s := range []string{"acme-prod", "Acme", "-acme", "acme-", "acme--prod", "ab", strings.Repeat("a", 63), strings.Repeat("a", 64), "acme_prod", "", "123456789012", "acmé"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, alias string) {
		err := awsops.ValidateAlias(alias)
		if want := aliasOracle(alias); (err == nil) != want {
			t.Errorf("ValidateAlias(%q) = %v; IAM's rule says valid=%v", alias, err, want)
		}
	})
}

func FuzzValidMFACodeFormat(f *testing.F) {
	for _, s := range []string{"123456", "12345", "abcdef", "12 456", "", "1234567", "１２３４５６"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, code string) {
		want := len(code) == 6 && strings.Trim(code, "0123456789") == ""
		if got := awsops.ValidMFACodeFormat(code); got != want {
			t.Errorf("ValidMFACodeFormat(%q) = %v, want %v", code, got, want)
		}
	})
}

func FuzzValidatePasswordPolicy(f *testing.F) {
	for _, v := range [][3]int{{14, 24, 0}, {5, 24, 0}, {129, 0, 0}, {14, 25, 0}, {14, -1, 0}, {14, 24, 1096}, {14, 24, -5}, {6, 0, 1095}} {
		f.Add(v[0], v[1], v[2])
	}
	f.Fuzz(func(t *testing.T, length, reuse, age int) {
		err := awsops.ValidatePasswordPolicy(awsops.PasswordPolicy{MinimumLength: length, ReusePrevention: reuse, MaxAgeDays: age})
		want := length >= 6 && length <= 128 && reuse >= 0 && reuse <= 24 && age >= 0 && age <= 1095
		if (err == nil) != want {
			t.Errorf("policy %d/%d/%d: %v, want valid=%v", length, reuse, age, err, want)
		}
	})
}

func FuzzValidateRegion(f *testing.F) {
	for _, s := range []string{"us-east-1", "eu-central-2", "us-gov-west-1", "cn-northwest-1", "us-isob-east-1", "mars-north-1", "us-east1", "US-EAST-1", "", "eu-west-1 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, region string) {
		if awsops.ValidateRegion(region) == nil {
			if strings.Trim(region, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" || strings.Count(region, "-") < 2 {
				t.Errorf("ValidateRegion accepted %q", region)
			}
		}
	})
}

func TestValidateRegion(t *testing.T) {
	for region, ok := range map[string]bool{
		"us-east-1": true, "eu-central-2": true, "ap-southeast-5": true, "mx-central-1": true, "us-gov-west-1": true,
		"cn-northwest-1": true, "us-isob-east-1": true, "il-central-1": true,
		"": false, "us-east1": false, "mars-north-1": false, "US-EAST-1": false, "eu-west-1 ": false, "us-east-1a": false,
	} {
		if got := awsops.ValidateRegion(region) == nil; got != ok {
			t.Errorf("ValidateRegion(%q) ok=%v, want %v", region, got, ok)
		}
	}
}

// roleOracle is IAM's rule for what ends a role's ARN after "role/",
// byte by byte: a name of 1-64 of [A-Za-z0-9+=,.@_-], after an optional
// path of printable ASCII whose form with its slashes (/team/) is 512
// characters at most.
func roleOracle(role string) bool {
	i := strings.LastIndex(role, "/")
	if !iamNameOracle(role[i+1:], 64) {
		return false
	}
	if i < 0 {
		return true
	}
	path := "/" + strings.TrimPrefix(role[:i], "/") + "/"
	if len(path) > 512 {
		return false
	}
	for j := 0; j < len(path); j++ {
		if path[j] <= ' ' || path[j] > '~' {
			return false
		}
	}
	return true
}

func FuzzValidateRole(f *testing.F) {
	for _, s := range []string{"OrganizationAccountAccessRole", "team/Auditor", "/team/ops/Auditor", "", "team/", "Org Auditor", "my team/Auditor",
		"arn:aws:iam::123456789012:role/Auditor", "Prüfer", strings.Repeat("r", 64), strings.Repeat("r", 65), strings.Repeat("p", 510) + "/A", strings.Repeat("p", 511) + "/A", "a\x7f/b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, role string) {
		err := awsops.ValidateRole(role)
		if want := roleOracle(role); (err == nil) != want {
			t.Errorf("ValidateRole(%q) = %v; IAM's rules say valid=%v", role, err, want)
		}
	})
}

// A role with a path is in the ARN after role/, once: with or without
// the path's leading slash.
func TestRoleARNWithAPath(t *testing.T) {
	for _, role := range []string{"team/Auditor", "/team/Auditor"} {
		if got := awsops.RoleARN("aws", "123456789012", role); got != "arn:aws:iam::123456789012:role/team/Auditor" {
			t.Errorf("RoleARN(%q) = %s", role, got)
		}
	}
}
