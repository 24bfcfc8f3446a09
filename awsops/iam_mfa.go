package awsops

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// VirtualMFADevice is a new virtual MFA device: its serial number (an ARN)
// and the Base32 seed an authenticator app needs. AWS returns the seed only
// once, at creation.
type VirtualMFADevice struct {
	Serial string
	Seed   Secret
}

// MFADeviceInfo is an existing virtual MFA device; User is "" while the
// device is not assigned to anyone.
type MFADeviceInfo struct {
	Serial string
	User   string
}

// CreateVirtualMFADevice calls iam:CreateVirtualMFADevice.
func (c *Client) CreateVirtualMFADevice(ctx context.Context, name string) (VirtualMFADevice, error) {
	if err := ValidateMFADeviceName(name); err != nil {
		return VirtualMFADevice{}, fmt.Errorf("create virtual MFA device %s: %w", name, invalidInput("iam:CreateVirtualMFADevice", err))
	}
	out, err := c.iam.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String(name)})
	if err != nil {
		return VirtualMFADevice{}, fmt.Errorf("create virtual MFA device %s: %w", name, wrap("iam:CreateVirtualMFADevice", err))
	}
	return VirtualMFADevice{
		Serial: aws.ToString(out.VirtualMFADevice.SerialNumber),
		Seed:   NewSecret(string(out.VirtualMFADevice.Base32StringSeed)),
	}, nil
}

// EnableMFADevice assigns a device to a user, proven by two consecutive codes.
func (c *Client) EnableMFADevice(ctx context.Context, user, serial, code1, code2 string) error {
	_, err := c.iam.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{
		UserName:            aws.String(user),
		SerialNumber:        aws.String(serial),
		AuthenticationCode1: aws.String(code1),
		AuthenticationCode2: aws.String(code2),
	})
	if err != nil {
		return fmt.Errorf("enable MFA device for %s: %w", user, wrap("iam:EnableMFADevice", err))
	}
	return nil
}

// UserMFADevices lists the serial numbers of the MFA devices assigned to a user.
func (c *Client) UserMFADevices(ctx context.Context, user string) ([]string, error) {
	var serials []string
	pages := iam.NewListMFADevicesPaginator(c.iam, &iam.ListMFADevicesInput{UserName: aws.String(user)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list MFA devices of %s: %w", user, wrap("iam:ListMFADevices", err))
		}
		for _, d := range page.MFADevices {
			serials = append(serials, aws.ToString(d.SerialNumber))
		}
	}
	return serials, nil
}

// VirtualMFADevices lists the account's virtual MFA devices, all pages.
// A rerun uses it to find an unassigned device left by an interrupted run.
func (c *Client) VirtualMFADevices(ctx context.Context) ([]MFADeviceInfo, error) {
	var devices []MFADeviceInfo
	pages := iam.NewListVirtualMFADevicesPaginator(c.iam, &iam.ListVirtualMFADevicesInput{AssignmentStatus: types.AssignmentStatusTypeAny})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list virtual MFA devices: %w", wrap("iam:ListVirtualMFADevices", err))
		}
		for _, d := range page.VirtualMFADevices {
			info := MFADeviceInfo{Serial: aws.ToString(d.SerialNumber)}
			if d.User != nil {
				info.User = aws.ToString(d.User.UserName)
			}
			devices = append(devices, info)
		}
	}
	return devices, nil
}

// DeleteVirtualMFADevice deletes an unassigned virtual MFA device.
func (c *Client) DeleteVirtualMFADevice(ctx context.Context, serial string) error {
	_, err := c.iam.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String(serial)})
	if err != nil {
		return fmt.Errorf("delete virtual MFA device %s: %w", serial, wrap("iam:DeleteVirtualMFADevice", err))
	}
	return nil
}
