package awsops

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// IAM's own rules for names, checked before any call so a form can say
// what is wrong at once. The practice account enforces the same rules.
var (
	iamName   = regexp.MustCompile(`^[\w+=,.@-]+$`)
	aliasForm = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

func validateName(kind, name string, max int) error {
	switch {
	case name == "":
		return fmt.Errorf("%s name is empty", kind)
	case len(name) > max:
		return fmt.Errorf("%s name is %d characters; the most IAM allows is %d", kind, len(name), max)
	case !iamName.MatchString(name):
		return fmt.Errorf("%s name may hold only plain letters (a–z, A–Z, no accents), digits and + = , . @ _ - (no spaces)", kind)
	}
	return nil
}

// ValidateUserName applies IAM's user name rules: 1-64 of [A-Za-z0-9+=,.@_-].
func ValidateUserName(name string) error { return validateName("user", name, 64) }

// ValidateGroupName applies IAM's group name rules: 1-128 of [A-Za-z0-9+=,.@_-].
func ValidateGroupName(name string) error { return validateName("group", name, 128) }

// ValidateMFADeviceName applies IAM's virtual MFA device name rules.
func ValidateMFADeviceName(name string) error { return validateName("MFA device", name, 226) }

// ValidateRole applies IAM's rules to a role as its ARN ends after
// "role/": its name, 1-64 of [A-Za-z0-9+=,.@_-], after its path when it
// has one (team/Auditor; a leading slash, /team/Auditor, is the same
// role). A path's characters are printable ASCII, no spaces, and the path
// with its outer slashes is 512 characters at most (CreateRole's Path).
func ValidateRole(role string) error {
	i := strings.LastIndexByte(role, '/')
	if err := validateName("role", role[i+1:], 64); err != nil {
		return err
	}
	if i < 0 {
		return nil
	}
	path := "/" + strings.TrimPrefix(role[:i], "/") + "/"
	if len(path) > 512 {
		return fmt.Errorf("role path is %d characters with its slashes; the most IAM allows is 512", len(path))
	}
	for j := 0; j < len(path); j++ {
		if path[j] < '!' || path[j] > '~' {
			return fmt.Errorf("role path may hold only plain letters, digits and punctuation (no spaces, no accents)")
		}
	}
	return nil
}

// ValidateAlias applies IAM's account alias rules: 3-63 characters of
// lowercase letters, digits and single hyphens, not starting or ending
// with a hyphen. (IAM also refuses an all-digit alias: it would look like
// an account id.)
func ValidateAlias(alias string) error {
	switch {
	case len(alias) < 3 || len(alias) > 63:
		return fmt.Errorf("alias must be 3 to 63 characters; this one has %d", len(alias))
	case strings.HasPrefix(alias, "-") || strings.HasSuffix(alias, "-"):
		return fmt.Errorf("alias cannot start or end with a hyphen")
	case strings.Contains(alias, "--"):
		return fmt.Errorf("alias cannot hold two hyphens in a row")
	case !aliasForm.MatchString(alias):
		return fmt.Errorf("alias may hold only lowercase plain letters (a–z, no accents), digits and hyphens")
	case strings.Trim(alias, "0123456789") == "":
		return fmt.Errorf("alias cannot be only digits")
	}
	return nil
}

// ValidatePasswordPolicy applies the bounds of UpdateAccountPasswordPolicy.
func ValidatePasswordPolicy(p PasswordPolicy) error {
	switch {
	case p.MinimumLength < 6 || p.MinimumLength > 128:
		return fmt.Errorf("minimum length must be 6 to 128")
	case p.ReusePrevention < 0 || p.ReusePrevention > 24:
		return fmt.Errorf("password reuse prevention must be 0 (off) to 24")
	case p.MaxAgeDays < 0 || p.MaxAgeDays > 1095:
		return fmt.Errorf("maximum password age must be 0 (never expires) to 1095 days")
	}
	return nil
}

// DefaultPasswordPolicy is what IAM enforces when an account has no policy
// of its own: at least 8 characters and three of the four character kinds.
var DefaultPasswordPolicy = PasswordPolicy{MinimumLength: 8}

// PasswordSatisfies reports why password does not meet policy, or nil.
// policy is nil when the account has none (IAM's default rules apply).
func PasswordSatisfies(password Secret, policy *PasswordPolicy) error {
	pw := password.Reveal()
	var upper, lower, digit, symbol bool
	for _, r := range pw {
		switch {
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsLower(r):
			lower = true
		case unicode.IsDigit(r):
			digit = true
		case strings.ContainsRune(`!@#$%^&*()_+-=[]{}|'`, r):
			symbol = true
		}
	}
	if policy == nil {
		kinds := 0
		for _, has := range []bool{upper, lower, digit, symbol} {
			if has {
				kinds++
			}
		}
		if len(pw) < DefaultPasswordPolicy.MinimumLength || kinds < 3 {
			return fmt.Errorf("password must have at least 8 characters and three of: uppercase, lowercase, digits, symbols")
		}
		return nil
	}
	switch {
	case len(pw) < policy.MinimumLength:
		return fmt.Errorf("password must have at least %d characters", policy.MinimumLength)
	case policy.RequireUppercase && !upper:
		return fmt.Errorf("password must hold an uppercase letter")
	case policy.RequireLowercase && !lower:
		return fmt.Errorf("password must hold a lowercase letter")
	case policy.RequireNumbers && !digit:
		return fmt.Errorf("password must hold a digit")
	case policy.RequireSymbols && !symbol:
		return fmt.Errorf("password must hold one of ! @ # $ %% ^ & * ( ) _ + - = [ ] { } | '")
	}
	return nil
}

// regionName is the shape of every AWS region name in the standard, China,
// GovCloud and ISO partitions: us-east-1, cn-north-1, us-gov-west-1,
// us-isob-east-1. A typo such as "us-east1" or "mars-north-1" fails it.
var regionName = regexp.MustCompile(`^(us|eu|ap|sa|ca|me|af|il|mx|cn)(-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}$`)

// ValidateRegion refuses a region name no AWS region has, before any call
// goes to an endpoint that cannot exist.
func ValidateRegion(name string) error {
	if !regionName.MatchString(name) {
		return &OpError{Action: "region", Kind: ErrUnknownRegion, Err: fmt.Errorf("there is no AWS region named %q", name)}
	}
	return nil
}

// The Account API's limits on an alternate contact (PutAlternateContact):
// every field is required; a name of 1-64 characters, a title of 1-50,
// an e-mail address of 1-254 in its pattern, a phone number of 1-25 of
// digits, spaces and ( ) + -.
var (
	contactEmail = regexp.MustCompile(`^[\s]*[\w+=.#|!&-]+@[\w.-]+\.[\w]+[\s]*$`)
	contactPhone = regexp.MustCompile(`^[\s0-9()+-]+$`)
)

func validateContactText(field, value string, max int) error {
	switch n := len([]rune(value)); {
	case strings.TrimSpace(value) == "":
		return fmt.Errorf("%s is required", field)
	case n > max:
		return fmt.Errorf("%s is %d characters; the most AWS allows is %d", field, n, max)
	}
	return nil
}

// ValidateContactName applies the Account API's limit on a contact's name.
func ValidateContactName(name string) error { return validateContactText("name", name, 64) }

// ValidateContactTitle applies the Account API's limit on a contact's title.
func ValidateContactTitle(title string) error { return validateContactText("title", title, 50) }

// ValidateContactEmail applies the Account API's rules for an e-mail address.
func ValidateContactEmail(email string) error {
	if err := validateContactText("e-mail address", email, 254); err != nil {
		return err
	}
	if !contactEmail.MatchString(email) {
		return fmt.Errorf("e-mail address must look like name@example.com")
	}
	return nil
}

// ValidateContactPhone applies the Account API's rules for a phone number.
func ValidateContactPhone(phone string) error {
	if err := validateContactText("phone number", phone, 25); err != nil {
		return err
	}
	if !contactPhone.MatchString(phone) {
		return fmt.Errorf("phone number may hold only digits, spaces and ( ) + -")
	}
	return nil
}

// ValidateContact applies every rule of PutAlternateContact, the type included.
func ValidateContact(c Contact) error {
	if !slices.Contains(ContactTypes, c.Type) {
		return fmt.Errorf("contact type must be one of %s", strings.Join(ContactTypes, ", "))
	}
	for _, err := range []error{ValidateContactName(c.Name), ValidateContactTitle(c.Title), ValidateContactEmail(c.Email), ValidateContactPhone(c.Phone)} {
		if err != nil {
			return err
		}
	}
	return nil
}

var analyzerName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.-]*$`)

// ValidateAnalyzerName applies IAM Access Analyzer's rules for a name:
// 1-255 characters, a letter first, then letters, digits, _ . -.
func ValidateAnalyzerName(name string) error {
	if len(name) == 0 || len(name) > 255 || !analyzerName.MatchString(name) {
		return fmt.Errorf("analyzer name must be 1 to 255 letters, digits, _ . or -, starting with a letter")
	}
	return nil
}
