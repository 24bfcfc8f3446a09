package awsops_test

import (
	"encoding/base32"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/awsops/awstest"
)

func containsSecret(text string, s awsops.Secret) bool {
	return strings.Contains(text, s.Reveal())
}

func TestVirtualMFAAgainstMoto(t *testing.T) {
	c, _ := newClient(t)
	ctx := awstest.Context(t)
	if _, err := c.CreateUser(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	dev, err := c.CreateVirtualMFADevice(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(dev.Serial, ":mfa/alice") {
		t.Errorf("serial = %s", dev.Serial)
	}
	if _, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.TrimRight(dev.Seed.Reveal(), "=")); err != nil || dev.Seed.IsZero() {
		t.Errorf("seed is not Base32: %v", err)
	}
	if _, err := c.CreateVirtualMFADevice(ctx, "alice"); !errors.Is(err, awsops.ErrAlreadyExists) {
		t.Errorf("duplicate device: err = %v, want ErrAlreadyExists", err)
	}
	devices, err := c.VirtualMFADevices(ctx)
	if err != nil || !slices.Equal(devices, []awsops.MFADeviceInfo{{Serial: dev.Serial}}) {
		t.Fatalf("devices before enable = %+v, %v; want one unassigned", devices, err)
	}
	// moto does not check the codes; the TOTP check is covered on the practice account.
	if err := c.EnableMFADevice(ctx, "alice", dev.Serial, "123456", "654321"); err != nil {
		t.Fatal(err)
	}
	if serials, err := c.UserMFADevices(ctx, "alice"); err != nil || !slices.Equal(serials, []string{dev.Serial}) {
		t.Errorf("alice's devices = %v, %v", serials, err)
	}
	devices, _ = c.VirtualMFADevices(ctx)
	if !slices.Equal(devices, []awsops.MFADeviceInfo{{Serial: dev.Serial, User: "alice"}}) {
		t.Errorf("devices after enable = %+v, want assigned to alice", devices)
	}
	if err := c.EnableMFADevice(ctx, "bob", dev.Serial, "123456", "654321"); !errors.Is(err, awsops.ErrNotFound) {
		t.Errorf("enable for missing user: err = %v, want ErrNotFound", err)
	}
}

func TestDeleteVirtualMFAAgainstMoto(t *testing.T) {
	c, _ := newClient(t)
	ctx := awstest.Context(t)
	dev, err := c.CreateVirtualMFADevice(ctx, "orphan")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteVirtualMFADevice(ctx, dev.Serial); err != nil {
		t.Fatal(err)
	}
	if devices, _ := c.VirtualMFADevices(ctx); len(devices) != 0 {
		t.Errorf("devices after delete = %+v", devices)
	}
	if err := c.DeleteVirtualMFADevice(ctx, dev.Serial); !errors.Is(err, awsops.ErrNotFound) {
		t.Errorf("delete twice: err = %v, want ErrNotFound", err)
	}
	if _, err := c.UserMFADevices(ctx, "nobody"); !errors.Is(err, awsops.ErrNotFound) {
		t.Errorf("devices of a missing user: err = %v, want ErrNotFound", err)
	}
}

// More assigned devices than IAM's default page (100) come in one call:
// the listing asks for IAM's largest page.
func TestAssignedVirtualMFADevicesInOneCall(t *testing.T) {
	c, iam, _ := clientThroughProxy(t)
	ctx := awstest.Context(t)
	const n = 101
	var g errgroup.Group
	g.SetLimit(8)
	for i := range n {
		g.Go(func() error {
			name := fmt.Sprintf("u%03d", i)
			if _, err := c.CreateUser(ctx, name); err != nil {
				return err
			}
			dev, err := c.CreateVirtualMFADevice(ctx, name)
			if err != nil {
				return err
			}
			c1, c2 := awsops.PhoneCodes(dev.Seed, time.Now())
			return c.EnableMFADevice(ctx, name, dev.Serial, c1, c2)
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	iam.Reset()
	devices, err := c.AssignedVirtualMFADevices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if calls := iam.Actions(); len(devices) != n || !slices.Equal(calls, []string{"ListVirtualMFADevices"}) {
		t.Errorf("%d devices in calls %v; want %d in one ListVirtualMFADevices", len(devices), calls, n)
	}
}
