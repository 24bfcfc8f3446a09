package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/awsops/awstest"
)

// benchLatency is what every call costs on the way to AWS and back in the
// benchmarks: a workshop's network to us-east-1, roughly.
const benchLatency = 100 * time.Millisecond

// BenchmarkStatus runs `awssecure status --json` on moto through the
// recording proxy, every call delayed by benchLatency, on accounts of 1, 50
// and 200 users (see buildRoom), and reports the calls each run makes:
// iam-calls (IAM and STS, the global services) and account-calls (the
// Account API's region calls). "nomfa" is the same account with no MFA
// device at all, where every user's console password must be read.
//
//	go test -run '^$' -bench BenchmarkStatus -benchtime 3x .
func BenchmarkStatus(b *testing.B) {
	for _, tc := range []struct {
		users int
		mfa   bool
	}{{1, true}, {50, true}, {200, true}, {200, false}} {
		name := fmt.Sprintf("users=%d", tc.users)
		if !tc.mfa {
			name += ",nomfa"
		}
		b.Run(name, func(b *testing.B) {
			api := awstest.NewAccountAPI(b)
			moto.Use(b, api.URL)
			ctx := awstest.Context(b)
			c, err := awsops.New(ctx, awsops.Options{})
			if err != nil {
				b.Fatal(err)
			}
			if err := buildRoom(ctx, c, tc.users, tc.mfa); err != nil {
				b.Fatal(err)
			}
			iam, regions := awstest.NewProxy(b, moto.URL), awstest.NewProxy(b, api.URL)
			iam.SetDelay(benchLatency)
			regions.SetDelay(benchLatency)
			b.Setenv("AWS_ENDPOINT_URL", iam.URL)
			b.Setenv("AWS_ENDPOINT_URL_ACCOUNT", regions.URL)
			iam.Reset()
			regions.Reset()
			b.ResetTimer()
			for b.Loop() {
				var stdout, stderr bytes.Buffer
				if code := run([]string{"status", "--json", "--timeout", "2m"}, &stdout, &stderr); code != 1 {
					b.Fatalf("exit %d, want 1 (moto's root MFA is off): %s", code, stderr.String())
				}
				var report struct{ Checks []struct{ ID, Status string } }
				if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
					b.Fatal(err)
				}
				for _, c := range report.Checks {
					if c.ID == "admin-user" && c.Status != "pass" {
						b.Fatalf("admin-user is %s, want pass", c.Status)
					}
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(len(iam.Actions()))/float64(b.N), "iam-calls/op")
			b.ReportMetric(float64(len(regions.Actions()))/float64(b.N), "account-calls/op")
		})
	}
}

// buildRoom gives an account n users the way a grown account has them:
// up to 20 groups (one of them administrators, with AdministratorAccess;
// the others with ReadOnlyAccess), the first two users admins, every tenth
// user programmatic (no console password, no MFA), and every other user a
// console user, with a virtual MFA device when mfa is set.
func buildRoom(ctx context.Context, c *awsops.Client, n int, mfa bool) error {
	groups := max(1, min(20, n/10))
	if _, err := c.EnsureGroupWithPolicy(ctx, "administrators", "arn:aws:iam::aws:policy/AdministratorAccess"); err != nil {
		return err
	}
	for i := 1; i < groups; i++ {
		if _, err := c.EnsureGroupWithPolicy(ctx, fmt.Sprintf("team-%02d", i), "arn:aws:iam::aws:policy/ReadOnlyAccess"); err != nil {
			return err
		}
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	for i := range n {
		g.Go(func() error {
			name := fmt.Sprintf("user-%03d", i)
			if _, err := c.CreateUser(gctx, name); err != nil {
				return err
			}
			group := "administrators"
			if i >= 2 && groups > 1 {
				group = fmt.Sprintf("team-%02d", 1+i%(groups-1))
			}
			if _, err := c.EnsureUserInGroup(gctx, name, group); err != nil {
				return err
			}
			if i%10 == 9 {
				return nil
			}
			if err := c.CreateLoginProfile(gctx, name, awsops.NewSecret("Xy7!bench-pass-"+name), false); err != nil {
				return err
			}
			if !mfa {
				return nil
			}
			dev, err := c.CreateVirtualMFADevice(gctx, name)
			if err != nil {
				return err
			}
			now := time.Now()
			c1, _ := awsops.MFACode(dev.Seed, now.Add(-awsops.TOTPPeriod))
			c2, _ := awsops.MFACode(dev.Seed, now)
			return c.EnableMFADevice(gctx, name, dev.Serial, c1, c2)
		})
	}
	return g.Wait()
}

// BenchmarkStatusOrg runs `awssecure status --org --json` on a moto
// organization of 40 accounts (the management account and 39 members,
// every other one secured), through the proxy with benchLatency per call.
//
//	go test -run '^$' -bench BenchmarkStatusOrg -benchtime 3x .
func BenchmarkStatusOrg(b *testing.B) {
	api := awstest.NewAccountAPI(b)
	moto.Use(b, api.URL)
	// Building forty accounts takes longer than a test's usual deadline.
	ctx, cancel := context.WithTimeout(b.Context(), 5*time.Minute)
	defer cancel()
	mgmt, err := awsops.New(ctx, awsops.Options{})
	if err != nil {
		b.Fatal(err)
	}
	names := make([]string, 39)
	for i := range names {
		names[i] = fmt.Sprintf("learner-%02d", i+1)
	}
	_, ids := moto.CreateOrganization(b, names...)
	for i, id := range ids {
		if i%2 == 0 {
			continue
		}
		c, err := mgmt.AssumeRole(ctx, awsops.RoleARN("aws", id, awsops.DefaultOrgRole))
		if err != nil {
			b.Fatal(err)
		}
		if err := buildRoom(ctx, c, 2, true); err != nil {
			b.Fatal(err)
		}
	}
	iam, regions := awstest.NewProxy(b, moto.URL), awstest.NewProxy(b, api.URL)
	iam.SetDelay(benchLatency)
	regions.SetDelay(benchLatency)
	b.Setenv("AWS_ENDPOINT_URL", iam.URL)
	b.Setenv("AWS_ENDPOINT_URL_ACCOUNT", regions.URL)
	iam.Reset()
	regions.Reset()
	b.ResetTimer()
	for b.Loop() {
		var stdout, stderr bytes.Buffer
		if code := run([]string{"status", "--org", "--json", "--timeout", "2m"}, &stdout, &stderr); code != 1 {
			b.Fatalf("exit %d, want 1: %s", code, stderr.String())
		}
		var report struct{ Accounts []struct{ Error string } }
		if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
			b.Fatal(err)
		}
		for _, a := range report.Accounts {
			if a.Error != "" {
				b.Fatalf("an account could not be read: %s", a.Error)
			}
		}
		if len(report.Accounts) != 40 {
			b.Fatalf("%d accounts, want 40", len(report.Accounts))
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(len(iam.Actions()))/float64(b.N), "iam-calls/op")
	b.ReportMetric(float64(len(regions.Actions()))/float64(b.N), "account-calls/op")
}
