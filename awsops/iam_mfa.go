package awsops

import (
	"context"

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

// The IAM calls on MFA devices, named once for both backends (see operation).
var opListVirtualMFADevices = operation{action: "iam:ListVirtualMFADevices", doing: "list virtual MFA devices"}

func opCreateVirtualMFADevice(name string) operation {
	return operation{action: "iam:CreateVirtualMFADevice", doing: "create virtual MFA device " + name}
}

func opEnableMFADevice(user string) operation {
	return operation{action: "iam:EnableMFADevice", doing: "enable MFA device for " + user}
}

func opListMFADevices(user string) operation {
	return operation{action: "iam:ListMFADevices", doing: "list MFA devices of " + user}
}

func opDeleteVirtualMFADevice(serial string) operation {
	return operation{action: "iam:DeleteVirtualMFADevice", doing: "delete virtual MFA device " + serial}
}

// CreateVirtualMFADevice calls iam:CreateVirtualMFADevice.
func (c *Client) CreateVirtualMFADevice(ctx context.Context, name string) (VirtualMFADevice, error) {
	if err := ValidateMFADeviceName(name); err != nil {
		return VirtualMFADevice{}, opCreateVirtualMFADevice(name).refused(err)
	}
	out, err := c.iam.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String(name)})
	if err != nil {
		return VirtualMFADevice{}, opCreateVirtualMFADevice(name).failed(err)
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
	return opEnableMFADevice(user).failed(err)
}

// UserMFADevices lists the serial numbers of the MFA devices assigned to a user.
func (c *Client) UserMFADevices(ctx context.Context, user string) ([]string, error) {
	var serials []string
	pages := iam.NewListMFADevicesPaginator(c.iam, &iam.ListMFADevicesInput{UserName: aws.String(user)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, opListMFADevices(user).failed(err)
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
			return nil, opListVirtualMFADevices.failed(err)
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
	return opDeleteVirtualMFADevice(serial).failed(err)
}

// AssignedVirtualMFADevices lists the virtual MFA devices assigned to a
// user, with the user, all pages of a thousand (IAM's largest; its
// default is a hundred): one call tells which users have one.
func (c *Client) AssignedVirtualMFADevices(ctx context.Context) ([]MFADeviceInfo, error) {
	var devices []MFADeviceInfo
	pages := iam.NewListVirtualMFADevicesPaginator(c.iam, &iam.ListVirtualMFADevicesInput{
		AssignmentStatus: types.AssignmentStatusTypeAssigned,
		MaxItems:         aws.Int32(authorizationDetailsPage),
	})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, opListVirtualMFADevices.failed(err)
		}
		for _, d := range page.VirtualMFADevices {
			if d.User != nil {
				devices = append(devices, MFADeviceInfo{Serial: aws.ToString(d.SerialNumber), User: aws.ToString(d.User.UserName)})
			}
		}
	}
	return devices, nil
}
