package awsops

import (
	"context"
	"errors"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/account"
	"github.com/aws/aws-sdk-go-v2/service/account/types"
)

// Region opt-in statuses, as the Account API spells them.
const (
	RegionEnabled          = "ENABLED"
	RegionEnabling         = "ENABLING"
	RegionDisabled         = "DISABLED"
	RegionDisabling        = "DISABLING"
	RegionEnabledByDefault = "ENABLED_BY_DEFAULT"
)

// Region is an AWS region and its opt-in status for this account.
type Region struct {
	Name   string
	Status string
}

// OptIn reports whether the region is one an account must opt in to.
func (r Region) OptIn() bool { return r.Status != RegionEnabledByDefault }

// The Account API's calls on regions, named once for both backends (see
// operation).
// maxRegionsPage is the most regions ListRegions returns in one page.
const maxRegionsPage = 50

var opListRegions = operation{action: "account:ListRegions", doing: "list regions"}

func opEnableRegion(name string) operation {
	return operation{action: "account:EnableRegion", doing: "enable region " + name}
}

func opGetRegionOptStatus(name string) operation {
	return operation{action: "account:GetRegionOptStatus", doing: "read status of region " + name}
}

// Regions calls account:ListRegions, all pages: the live list, so a region
// launched after this program was built still shows. It asks for AWS's
// largest page, which holds every region there is today, so the list
// costs one round trip, not one per default-sized page.
func (c *Client) Regions(ctx context.Context) ([]Region, error) {
	var regions []Region
	pages := account.NewListRegionsPaginator(c.account, &account.ListRegionsInput{MaxResults: aws.Int32(maxRegionsPage)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, opListRegions.failed(err)
		}
		for _, r := range page.Regions {
			regions = append(regions, Region{Name: aws.ToString(r.RegionName), Status: string(r.RegionOptStatus)})
		}
	}
	return regions, nil
}

// EnableRegion calls account:EnableRegion; AWS then moves the region
// through ENABLING to ENABLED on its own, which can take minutes.
func (c *Client) EnableRegion(ctx context.Context, name string) error {
	_, err := c.account.EnableRegion(ctx, &account.EnableRegionInput{RegionName: aws.String(name)})
	return opEnableRegion(name).failed(err)
}

// RegionStatus calls account:GetRegionOptStatus.
func (c *Client) RegionStatus(ctx context.Context, name string) (string, error) {
	out, err := c.account.GetRegionOptStatus(ctx, &account.GetRegionOptStatusInput{RegionName: aws.String(name)})
	if err != nil {
		return "", opGetRegionOptStatus(name).failed(err)
	}
	return string(out.RegionOptStatus), nil
}

// Alternate contact types, as the Account API spells them.
const (
	ContactSecurity   = "SECURITY"
	ContactBilling    = "BILLING"
	ContactOperations = "OPERATIONS"
)

// ContactTypes are the alternate contacts an account can have, in the
// order the console lists them.
var ContactTypes = []string{ContactBilling, ContactOperations, ContactSecurity}

// Contact is an alternate contact: who AWS writes to about security,
// billing or operations besides the root user's e-mail address.
type Contact struct {
	Type  string // ContactSecurity, ContactBilling or ContactOperations
	Name  string
	Title string
	Email string
	Phone string
}

func opGetAlternateContact(kind string) operation {
	return operation{action: "account:GetAlternateContact", doing: "read the " + strings.ToLower(kind) + " contact"}
}

func opPutAlternateContact(kind string) operation {
	return operation{action: "account:PutAlternateContact", doing: "set the " + strings.ToLower(kind) + " contact"}
}

// AlternateContact calls account:GetAlternateContact; a contact never set
// is ErrNotFound (AWS answers ResourceNotFoundException).
func (c *Client) AlternateContact(ctx context.Context, kind string) (Contact, error) {
	out, err := c.account.GetAlternateContact(ctx, &account.GetAlternateContactInput{AlternateContactType: types.AlternateContactType(kind)})
	if err != nil {
		return Contact{}, opGetAlternateContact(kind).failed(err)
	}
	ac := out.AlternateContact
	if ac == nil {
		return Contact{}, opGetAlternateContact(kind).failed(errors.New("AWS answered without the contact"))
	}
	return Contact{Type: string(ac.AlternateContactType), Name: aws.ToString(ac.Name), Title: aws.ToString(ac.Title),
		Email: aws.ToString(ac.EmailAddress), Phone: aws.ToString(ac.PhoneNumber)}, nil
}

// PutAlternateContact calls account:PutAlternateContact, which creates or
// replaces the contact of its type: running it twice leaves one contact.
// A contact the API would refuse is refused before calling.
func (c *Client) PutAlternateContact(ctx context.Context, ct Contact) error {
	op := opPutAlternateContact(ct.Type)
	if err := ValidateContact(ct); err != nil {
		return op.refused(err)
	}
	_, err := c.account.PutAlternateContact(ctx, &account.PutAlternateContactInput{
		AlternateContactType: types.AlternateContactType(ct.Type),
		Name:                 aws.String(ct.Name),
		Title:                aws.String(ct.Title),
		EmailAddress:         aws.String(ct.Email),
		PhoneNumber:          aws.String(ct.Phone),
	})
	return op.failed(err)
}
