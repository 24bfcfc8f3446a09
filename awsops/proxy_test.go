package awsops_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/awsops/awstest"
)

// clientThroughProxy is a real SDK client whose IAM/STS calls pass a
// recording proxy to moto, and whose Account API calls pass another to the
// Account API double.
func clientThroughProxy(t *testing.T) (*awsops.Client, *awstest.Proxy, *awstest.Proxy) {
	t.Helper()
	iam, regions, _ := moto.UseThroughProxies(t)
	c, err := awsops.New(awstest.Context(t), awsops.Options{MaxBackoff: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return c, iam, regions
}

func TestProxyRecordsEveryAction(t *testing.T) {
	c, iam, regions := clientThroughProxy(t)
	ctx := awstest.Context(t)
	if _, err := c.CreateUser(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Users(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.EnableRegion(ctx, "af-south-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Regions(ctx); err != nil {
		t.Fatal(err)
	}
	if got, want := iam.Actions(), []string{"CreateUser", "ListUsers"}; !slices.Equal(got, want) {
		t.Errorf("IAM actions = %v, want %v", got, want)
	}
	if got := regions.Writes(); !slices.Equal(got, []string{"EnableRegion"}) {
		t.Errorf("Account API writes = %v", got)
	}
	if got := iam.Writes(); !slices.Equal(got, []string{"CreateUser"}) {
		t.Errorf("IAM writes = %v", got)
	}
	if _, err := c.EBSEncryptionByDefault(ctx, "eu-west-1"); err != nil {
		t.Fatal(err)
	}
	if got, want := iam.Services(), []string{"iam", "iam", "ec2"}; !slices.Equal(got, want) {
		t.Errorf("services = %v, want %v (from each call's signature)", got, want)
	}
	if got, want := regions.Services(), []string{"account", "account"}; !slices.Equal(got, want) {
		t.Errorf("Account API services = %v, want %v", got, want)
	}
}

// Each fault, once, is absorbed by the SDK's retries; lasting longer than
// the retries, it reaches the caller as a typed error.
func TestFaultsAreRetriedThenSurface(t *testing.T) {
	for fault, kind := range map[awstest.Fault]error{
		awstest.Fault500:      awsops.ErrUnavailable,
		awstest.Fault503:      awsops.ErrUnavailable,
		awstest.FaultThrottle: awsops.ErrThrottled,
		awstest.FaultReset:    awsops.ErrNetwork,
		awstest.FaultSlow:     nil,
	} {
		t.Run(fault.String(), func(t *testing.T) {
			c, iam, _ := clientThroughProxy(t)
			ctx := awstest.Context(t)
			faults := awstest.NewFaults(1, 0, 50*time.Millisecond)
			iam.SetFaults(faults)
			faults.Force("ListUsers", fault, 1)
			if _, err := c.Users(ctx); err != nil {
				t.Fatalf("one %v fault was not retried: %v", fault, err)
			}
			if fault == awstest.FaultSlow {
				return
			}
			faults.Force("ListUsers", fault, 10)
			_, err := c.Users(ctx)
			var op *awsops.OpError
			if !errors.As(err, &op) || op.Action != "iam:ListUsers" || !errors.Is(err, kind) {
				t.Errorf("a lasting %v fault: err = %v, want an OpError of kind %v naming iam:ListUsers", fault, err, kind)
			}
		})
	}
}
