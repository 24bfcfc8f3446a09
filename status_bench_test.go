package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/awsops/awstest"
)

// benchLatency is what every call costs on the way to AWS and back in the
// benchmarks: a workshop's network to us-east-1, roughly. AWSSECURE_BENCH_LATENCY
// (a Go duration; 0 for none) sets another, e.g. to see moto's own limit.
var benchLatency = func() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("AWSSECURE_BENCH_LATENCY")); err == nil {
		return d
	}
	return 100 * time.Millisecond
}()

// BenchmarkStatus runs `awssecure status --json` on moto through the
// recording proxies, every call delayed by benchLatency, on accounts of 1,
// 50 and 200 users (see buildRoom) with the regions of an account opened
// today (17 enabled). "nomfa" is the 200 users with no MFA
// device at all, the worst case, where every user's console password must
// be read. See benchStatus for what it reports.
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
			iam, doubles := newRoom(b, tc.users, tc.mfa)
			benchStatus(b, iam, doubles, []string{"status", "--json", "--timeout", "2m"}, func(out []byte) {
				var report struct{ Checks []struct{ ID, Status string } }
				if err := json.Unmarshal(out, &report); err != nil {
					b.Fatal(err)
				}
				for _, c := range report.Checks {
					if c.ID == "admin-user" && c.Status != "pass" {
						b.Fatalf("admin-user is %s, want pass", c.Status)
					}
					// The checks of users' policies and credentials' ages
					// are read, not given up.
					if slices.Contains([]string{"iam-user-policies", "access-keys-rotated", "unused-credentials"}, c.ID) && c.Status == "unknown" {
						b.Fatalf("%s is unknown", c.ID)
					}
				}
			})
		})
	}
}

// benchStatus times `awssecure ARGS` (which must exit 1: moto's root has
// no MFA) with benchLatency added to every call, and checks each run's
// output. It reports the calls of a run: calls/op in all, of them
// region-calls/op made once per enabled region (EC2, IAM Access
// Analyzer and EventBridge, in one concurrent round), and global-calls/op, the rest (IAM,
// STS, Organizations, the Account API, S3's bucket list, billing, and
// the home region's CloudTrail and GuardDuty); and round-trips/op, the
// longest chain of calls each waiting for the one before
// (awstest.RoundTrips): what the caller waits for, in benchLatency units.
//
// One run goes first, untimed and without the delay: moto builds a
// region's backends at the first call there, up to two seconds each for
// EC2, a cost of the simulator that AWS never makes a caller wait for.
func benchStatus(b *testing.B, iam, doubles *awstest.Proxy, args []string, check func(stdout []byte)) {
	b.Helper()
	status := func() {
		var stdout, stderr bytes.Buffer
		if code := run(args, &stdout, &stderr); code != 1 {
			b.Fatalf("exit %d, want 1: %s", code, stderr.String())
		}
		check(stdout.Bytes())
	}
	status()
	for _, p := range []*awstest.Proxy{iam, doubles} {
		p.SetDelay(benchLatency)
	}
	var all, regional, rounds int
	b.ResetTimer()
	for b.Loop() {
		iam.Reset()
		doubles.Reset()
		status()
		b.StopTimer()
		for _, service := range append(iam.Services(), doubles.Services()...) {
			all++
			if service == "ec2" || service == "access-analyzer" || service == "events" {
				regional++
			}
		}
		depth, chain := awstest.RoundTrips(iam.Spans(), doubles.Spans())
		rounds += depth
		if rounds == depth || depth > 2 {
			b.Logf("critical path: %d round trips (%s)", depth, chain)
		}
		for _, a := range append(iam.Actions(), doubles.Actions()...) {
			if slices.Contains(perUserReads, a) {
				b.Fatalf("status called %s, a call per user", a)
			}
		}
		b.StartTimer()
	}
	b.StopTimer()
	n := float64(b.N)
	b.ReportMetric(float64(all)/n, "calls/op")
	b.ReportMetric(float64(regional)/n, "region-calls/op")
	b.ReportMetric(float64(all-regional)/n, "global-calls/op")
	b.ReportMetric(float64(rounds)/n, "round-trips/op")
}

// perUserReads are the per-user reads the checks of users' policies and
// credentials' ages would need without the bulk read and the credential
// report: status makes none of them.
var perUserReads = []string{"ListAttachedUserPolicies", "ListUserPolicies", "ListAccessKeys", "GetAccessKeyLastUsed", "GetUser", "ListGroupsForUser"}

// newRoom is a moto account of n users (buildRoom) with the regions of a
// new account, behind the recording proxies it returns.
func newRoom(b *testing.B, n int, mfa bool) (iam, doubles *awstest.Proxy) {
	iam, doubles, api := moto.UseThroughProxies(b)
	api.LikeANewAccount()
	// Two hundred users take longer than a test's usual deadline.
	ctx, cancel := context.WithTimeout(b.Context(), 5*time.Minute)
	defer cancel()
	c, err := awsops.New(ctx, awsops.Options{})
	if err != nil {
		b.Fatal(err)
	}
	if err := buildRoom(ctx, c, n, mfa); err != nil {
		b.Fatal(err)
	}
	return iam, doubles
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
			c1, c2 := awsops.PhoneCodes(dev.Seed, time.Now())
			return c.EnableMFADevice(gctx, name, dev.Serial, c1, c2)
		})
	}
	return g.Wait()
}

// BenchmarkStatusOrg runs `awssecure status --org --json` on a moto
// organization of 40 accounts (the management account and 39 members,
// every other one secured), each with the 17 regions of a new account,
// through the proxies with benchLatency per call.
//
//	go test -run '^$' -bench BenchmarkStatusOrg -benchtime 3x .
func BenchmarkStatusOrg(b *testing.B) {
	iam, doubles, api := moto.UseThroughProxies(b)
	api.LikeANewAccount()
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
	accounts := []*awsops.Client{mgmt}
	for i, id := range ids {
		c, err := mgmt.AssumeRole(ctx, awsops.RoleARN("aws", id, awsops.DefaultOrgRole))
		if err != nil {
			b.Fatal(err)
		}
		accounts = append(accounts, c)
		if i%2 == 0 {
			continue
		}
		if err := buildRoom(ctx, c, 2, true); err != nil {
			b.Fatal(err)
		}
	}
	// moto builds a region's backends for each account at its first call
	// there, a tenth of a second each for EC2: 680 of them would hold the
	// first run's calls past their deadline. Built here, a few at a time.
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(4)
	for _, c := range accounts {
		for _, region := range awstest.DefaultRegions {
			g.Go(func() error {
				_, err := c.EBSEncryptionByDefault(gctx, region)
				return err
			})
		}
	}
	if err := g.Wait(); err != nil {
		b.Fatal(err)
	}
	benchStatus(b, iam, doubles, []string{"status", "--org", "--json", "--timeout", "2m"}, func(out []byte) {
		var report struct{ Accounts []struct{ Error string } }
		if err := json.Unmarshal(out, &report); err != nil {
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
	})
}

// BenchmarkAgainstOtherTools runs `awssecure status --json` (the built
// binary, a process as a person runs it), and the same reads made by
// boto3 in one process and by the aws CLI in a process per call
// (scripts/compare-status --reads), on one moto account through the
// proxies with benchLatency per call; AWSSECURE_COMPARE_USERS users
// (default 200, see buildRoom) and the regions of a new account. It
// reports each tool's seconds and calls per run, and each tool's time as a
// multiple of awssecure's; a tool not installed is left out, saying so.
// scripts/compare-status runs it.
func BenchmarkAgainstOtherTools(b *testing.B) {
	users := 200
	if n, err := strconv.Atoi(os.Getenv("AWSSECURE_COMPARE_USERS")); err == nil && n > 0 {
		users = n
	}
	iam, doubles := newRoom(b, users, true)
	binary := filepath.Join(b.TempDir(), "awssecure")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	type tool struct {
		name, short string
		args        []string
	}
	tools := []tool{{"awssecure status --json", "awssecure", []string{binary, "status", "--json"}}}
	for _, t := range []struct{ name, short, reads, missing string }{
		{"boto3, one process", "boto3", "boto3", "python3 -c 'import boto3'"},
		{"aws CLI, a process per call", "cli", "cli", "aws --version"},
	} {
		probe := exec.Command("python3", "-c", "import boto3")
		if t.short == "cli" {
			probe = exec.Command("aws", "--version")
		}
		if probe.Run() != nil {
			b.Logf("%s is not installed (%s fails): its column is left out", t.name, t.missing)
			continue
		}
		tools = append(tools, tool{t.name, t.short, []string{"python3", "scripts/compare-status", "--reads", t.reads}})
	}
	run := func(t tool) (calls int) {
		cmd := exec.Command(t.args[0], t.args[1:]...)
		// AWSSECURE_COMPARE_LOCAL: the reads leave out S3 Control's,
		// whose host botocore prefixes with the account id, which a
		// local endpoint cannot resolve (see scripts/compare-status).
		cmd.Env = append(os.Environ(), "AWS_DEFAULT_REGION=us-east-1", "AWSSECURE_COMPARE_LOCAL=1")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		var exit *exec.ExitError
		if err != nil && !(t.short == "awssecure" && errors.As(err, &exit) && exit.ExitCode() == 1) {
			b.Fatalf("%s: %v\n%s", t.name, err, stderr.String())
		}
		return len(iam.Services()) + len(doubles.Services())
	}
	run(tools[0]) // moto builds each region's backends at the first call there
	for _, p := range []*awstest.Proxy{iam, doubles} {
		p.SetDelay(benchLatency)
	}
	took := make([]time.Duration, len(tools))
	calls := make([]int, len(tools))
	b.ResetTimer()
	for b.Loop() {
		for i, t := range tools {
			iam.Reset()
			doubles.Reset()
			start := time.Now()
			calls[i] = run(t)
			took[i] += time.Since(start)
		}
	}
	b.StopTimer()
	var table strings.Builder
	fmt.Fprintf(&table, "%d users, %v per call, mean of %d runs:\n%-30s %9s %6s %7s\n", users, benchLatency, b.N, "", "seconds", "calls", "ratio")
	for i, t := range tools {
		secs := took[i].Seconds() / float64(b.N)
		ratio := took[i].Seconds() / took[0].Seconds()
		fmt.Fprintf(&table, "%-30s %9.3f %6d %6.1fx\n", t.name, secs, calls[i], ratio)
		b.ReportMetric(secs, t.short+"-s/op")
		b.ReportMetric(float64(calls[i]), t.short+"-calls/op")
		if i > 0 {
			b.ReportMetric(ratio, t.short+"-ratio")
		}
	}
	b.Log(table.String())
}
