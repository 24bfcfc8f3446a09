package ui

import (
	"testing"

	"github.com/awssecure/awssecure/awsops"
)

// Bad amounts and addresses on the billing screen are refused where they
// were typed, with the reason, and make no AWS call: the wizard runs on
// moto and the Data Exports double through recording proxies, whose
// counts of calls must not move while the answers are refused. Then good
// answers set the budget and the report up.
func TestBadBillingInputIsRefusedWithoutCallingAWS(t *testing.T) {
	m := newMotoAccount(t, awsops.Options{})
	h := newWizard(t, m.acct, false, t.TempDir())
	h.waitFor("Account 123456789012")
	walkTo(t, h, "A monthly cost budget that e-mails you?")
	h.press("enter")
	h.waitFor("Amount, USD a month")
	calls := func() int { return len(m.iam.Actions()) + len(m.regions.Actions()) }
	tried := 0
	refuse := func(field string, inputs ...badInput) {
		t.Helper()
		for _, in := range inputs {
			h.drain()
			before := calls()
			h.press("ctrl+u")
			h.typeText(in.typed)
			h.press("enter")
			h.waitFor(in.says)
			if n := calls(); n != before {
				t.Errorf("%s: %q made %d AWS calls: %v", field, in.typed, n-before, m.iam.Actions()[before:])
			}
			tried++
		}
		h.press("ctrl+u")
	}
	const digits = "digits, with at most two decimals"
	refuse("amount",
		badInput{"", "type the monthly amount in US dollars"},
		badInput{" ", "type the monthly amount in US dollars"},
		badInput{"0", "the amount must be more than 0"},
		badInput{"0.00", "the amount must be more than 0"},
		badInput{"-5", digits},
		badInput{"ten", digits},
		badInput{"1e9", digits},
		badInput{"10.123", digits},
		badInput{"12,50", digits},
		badInput{"$10", digits},
		badInput{"2000000", "at most 1000000 USD a month"},
	)
	h.typeText("15")
	h.press("enter")
	h.waitFor("┃ E-mail for the alerts")
	refuse("e-mail",
		badInput{"", "type the e-mail address the alerts go to"},
		badInput{"owner", "an e-mail address looks like name@example.com"},
		badInput{"owner@", "an e-mail address looks like name@example.com"},
		badInput{"@example.com", "an e-mail address looks like name@example.com"},
		badInput{"owner@example", "an e-mail address looks like name@example.com"},
		badInput{"owner @example.com", "an e-mail address has no spaces"},
		badInput{"a@example.com b@example.com", "one address only"},
		badInput{"a@example.com,b@example.com", "one address only"},
		badInput{"a@@example.com", "one address only"},
	)
	if tried < 20 {
		t.Errorf("only %d bad inputs tried", tried)
	}
	h.typeText("owner@example.com")
	h.press("enter")
	h.waitFor("A daily billing report")
	h.press("enter")
	h.waitFor("Is it on?")
	h.press("enter")
	h.waitFor("/cur2/.")
	budgets, _ := m.acct.Budgets(t.Context(), "123456789012")
	if len(budgets) != 1 || budgets[0].Amount != "15" {
		t.Errorf("budgets = %+v", budgets)
	}
	t.Logf("%d bad inputs refused without an AWS call", tried)
}

// When the preflight could not read the billing reports (a fault that
// outlasted the SDK's retries), the billing screen reads them again as
// it opens and offers the report, instead of saying it could not read
// them and offering none.
func TestBillingScreenReadsTheReportsAgainWhenThePreflightCouldNot(t *testing.T) {
	m := newMotoAccount(t, awsops.Options{})
	h := wizardPastAFailedRead(t, m, m.regions, "ListExports")
	walkTo(t, h, "A daily billing report (CUR 2.0)?")
	h.press("enter")
	h.waitFor("Is it on?")
	h.press("enter")
	h.waitFor("/cur2/.")
	if exports, err := m.acct.Exports(t.Context()); err != nil || len(exports) != 1 {
		t.Errorf("exports %+v %v", exports, err)
	}
}
