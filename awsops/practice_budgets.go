package awsops

import (
	"context"
	"maps"
	"slices"
	"strings"
)

// practiceBudget is one of the practice account's budgets, with its
// alerts; each alert mails Emails[i].
type practiceBudget struct {
	Amount string
	Alerts []BudgetAlert
	Emails []string
}

// Budgets lists the practice account's budgets, by name, as monthly cost
// budgets in USD.
func (p *Practice) Budgets(ctx context.Context, account string) ([]Budget, error) {
	return practiceRead(ctx, p, opDescribeBudgets, func(st *practiceState) ([]Budget, error) {
		if account != PracticeAccountID {
			return nil, replyBudgetsAccessDenied(account)
		}
		list := []Budget{}
		for _, name := range slices.Sorted(maps.Keys(st.Budgets)) {
			list = append(list, Budget{Name: name, Type: BudgetTypeCost, Amount: st.Budgets[name].Amount, Unit: "USD", Period: "MONTHLY"})
		}
		return list, nil
	})
}

// BudgetAlerts lists a budget's alerts; a budget that does not exist is
// NotFoundException, as Budgets answers.
func (p *Practice) BudgetAlerts(ctx context.Context, account, budget string) ([]BudgetAlert, error) {
	return practiceRead(ctx, p, opDescribeNotifications(budget), func(st *practiceState) ([]BudgetAlert, error) {
		b, err := st.budget(account, budget)
		if err != nil {
			return nil, err
		}
		return slices.Clone(b.Alerts), nil
	})
}

// CreateBudget makes a budget with its alerts; a budget of that name is
// DuplicateRecordException.
func (p *Practice) CreateBudget(ctx context.Context, account string, nb NewBudget) error {
	op := opCreateBudget(nb.Name)
	if err := validateNewBudget(nb); err != nil {
		return op.refused(err)
	}
	return p.write(ctx, op, func(st *practiceState) (bool, error) {
		if account != PracticeAccountID {
			return false, replyBudgetsAccessDenied(account)
		}
		if st.Budgets[nb.Name] != nil {
			return false, replyBudgetExists(nb.Name)
		}
		b := &practiceBudget{Amount: strings.TrimSpace(nb.Amount)}
		for _, a := range nb.Alerts {
			b.Alerts, b.Emails = append(b.Alerts, a), append(b.Emails, strings.TrimSpace(nb.Email))
		}
		st.Budgets[nb.Name] = b
		return true, nil
	})
}

// AddBudgetAlert adds an alert to a budget; the same alert again is
// DuplicateRecordException.
func (p *Practice) AddBudgetAlert(ctx context.Context, account, budget string, a BudgetAlert, email string) error {
	op := opCreateNotification(budget)
	if err := ValidateEmail(email); err != nil {
		return op.refused(err)
	}
	return p.write(ctx, op, func(st *practiceState) (bool, error) {
		b, err := st.budget(account, budget)
		if err != nil {
			return false, err
		}
		if slices.Contains(b.Alerts, a) {
			return false, replyAlertExists(budget)
		}
		b.Alerts, b.Emails = append(b.Alerts, a), append(b.Emails, strings.TrimSpace(email))
		return true, nil
	})
}

// BudgetEmails is who each of a budget's alerts mails, in the order of
// BudgetAlerts: what Budgets' DescribeSubscribersForNotification tells,
// which moto lacks; tests read it back from the practice account.
func (p *Practice) BudgetEmails(ctx context.Context, account, budget string) ([]string, error) {
	return practiceRead(ctx, p, opDescribeNotifications(budget), func(st *practiceState) ([]string, error) {
		b, err := st.budget(account, budget)
		if err != nil {
			return nil, err
		}
		return slices.Clone(b.Emails), nil
	})
}

func (st *practiceState) budget(account, name string) (*practiceBudget, error) {
	if account != PracticeAccountID {
		return nil, replyBudgetsAccessDenied(account)
	}
	if b := st.Budgets[name]; b != nil {
		return b, nil
	}
	return nil, replyNoSuchBudget(name)
}
