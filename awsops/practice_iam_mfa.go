package awsops

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"maps"
	"slices"
)

// CreateVirtualMFADevice makes a device with a real random seed, so a
// learner's authenticator app works with it.
func (p *Practice) CreateVirtualMFADevice(ctx context.Context, name string) (VirtualMFADevice, error) {
	if err := ValidateMFADeviceName(name); err != nil {
		return VirtualMFADevice{}, opCreateVirtualMFADevice(name).refused(err)
	}
	return practiceCreate(ctx, p, opCreateVirtualMFADevice(name), func(st *practiceState) (VirtualMFADevice, error) {
		serial := "arn:aws:iam::" + PracticeAccountID + ":mfa/" + name
		if st.MFADevices[serial] != nil {
			return VirtualMFADevice{}, replyMFADeviceExists()
		}
		seed := make([]byte, 40) // AWS's seeds are 40 bytes: 64 Base32 characters
		_, _ = rand.Read(seed)
		dev := VirtualMFADevice{Serial: serial, Seed: NewSecret(base32.StdEncoding.EncodeToString(seed))}
		st.MFADevices[serial] = &practiceMFA{Seed: dev.Seed.Reveal()}
		return dev, nil
	})
}

// EnableMFADevice checks the two codes with real TOTP, as AWS does.
func (p *Practice) EnableMFADevice(ctx context.Context, user, serial, code1, code2 string) error {
	return p.write(ctx, opEnableMFADevice(user), func(st *practiceState) (bool, error) {
		_, err := st.user(user)
		dev := st.MFADevices[serial]
		switch {
		case err != nil:
			return false, err
		case dev == nil:
			return false, replyNoSuchMFADevice(serial)
		case dev.User != "":
			return false, replyMFADeviceInUse()
		}
		// An *MFACodeError, sorted as ErrInvalidMFACode: it says what is
		// wrong where AWS's InvalidAuthenticationCode would not.
		if why := CheckMFACodes(NewSecret(dev.Seed), code1, code2, p.opts.Now()); why != nil {
			return false, why
		}
		dev.User = user
		return true, nil
	})
}

// UserMFADevices lists the serials of a user's devices.
func (p *Practice) UserMFADevices(ctx context.Context, user string) ([]string, error) {
	return practiceRead(ctx, p, opListMFADevices(user), func(st *practiceState) ([]string, error) {
		if _, err := st.user(user); err != nil {
			return nil, err
		}
		var serials []string
		for _, serial := range slices.Sorted(maps.Keys(st.MFADevices)) {
			if st.MFADevices[serial].User == user {
				serials = append(serials, serial)
			}
		}
		return serials, nil
	})
}

// VirtualMFADevices lists every device and whom it is assigned to.
func (p *Practice) VirtualMFADevices(ctx context.Context) ([]MFADeviceInfo, error) {
	return practiceRead(ctx, p, opListVirtualMFADevices, func(st *practiceState) ([]MFADeviceInfo, error) {
		var devices []MFADeviceInfo
		for _, serial := range slices.Sorted(maps.Keys(st.MFADevices)) {
			devices = append(devices, MFADeviceInfo{Serial: serial, User: st.MFADevices[serial].User})
		}
		return devices, nil
	})
}

// DeleteVirtualMFADevice deletes an unassigned device.
func (p *Practice) DeleteVirtualMFADevice(ctx context.Context, serial string) error {
	return p.write(ctx, opDeleteVirtualMFADevice(serial), func(st *practiceState) (bool, error) {
		dev := st.MFADevices[serial]
		switch {
		case dev == nil:
			return false, replyNoSuchMFADevice(serial)
		case dev.User != "":
			return false, replyMFADeviceAssigned(dev.User)
		}
		delete(st.MFADevices, serial)
		return true, nil
	})
}

// AssignedVirtualMFADevices lists the devices assigned to a user.
func (p *Practice) AssignedVirtualMFADevices(ctx context.Context) ([]MFADeviceInfo, error) {
	return practiceRead(ctx, p, opListVirtualMFADevices, func(st *practiceState) ([]MFADeviceInfo, error) {
		var devices []MFADeviceInfo
		for _, serial := range slices.Sorted(maps.Keys(st.MFADevices)) {
			if user := st.MFADevices[serial].User; user != "" {
				devices = append(devices, MFADeviceInfo{Serial: serial, User: user})
			}
		}
		return devices, nil
	})
}
