package awsops

import (
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/budgets"
	"github.com/aws/aws-sdk-go-v2/service/budgets/types"
)

// The AWS Budgets calls, named once for both backends (see operation).
// Budgets takes the account id in every call.

var opDescribeBudgets = operation{action: "budgets:ViewBudget", doing: "list budgets"}

func opDescribeNotifications(budget string) operation {
	return operation{action: "budgets:ViewBudget", doing: "list the alerts of budget " + budget}
}

func opCreateBudget(name string) operation {
	return operation{action: "budgets:ModifyBudget", doing: "create budget " + name}
}

func opCreateNotification(budget string) operation {
	return operation{action: "budgets:ModifyBudget", doing: "add an alert to budget " + budget}
}

// Budget is a budget as DescribeBudgets tells it.
type Budget struct {
	Name   string
	Type   string // COST, USAGE, …
	Amount string // the limit, as Budgets keeps it ("10", "10.0")
	Unit   string // USD for a cost budget
	Period string // MONTHLY, …
}

// BudgetTypeCost is a budget on spend, the kind awssecure makes.
const BudgetTypeCost = "COST"

// BudgetAlert is one notification of a budget: mail when spend (ACTUAL
// or FORECASTED) passes Percent of the limit.
type BudgetAlert struct {
	Kind    string // ACTUAL or FORECASTED
	Percent float64
}

// The kinds of alert, as Budgets spells them.
const (
	AlertActual   = "ACTUAL"
	AlertForecast = "FORECASTED"
)

func (a BudgetAlert) String() string {
	return fmt.Sprintf("%s %g %%", strings.ToLower(a.Kind), a.Percent)
}

// NewBudget is what awssecure asks Budgets to make: a monthly cost
// budget of Amount USD whose Alerts mail Email.
type NewBudget struct {
	Name   string
	Amount string
	Email  string
	Alerts []BudgetAlert
}

// MaxBudgetAmount bounds a budget's limit: a first budget is about a
// surprise of tens or hundreds of dollars; a million is a typo.
const MaxBudgetAmount = 1_000_000

var amountRule = regexp.MustCompile(`^[0-9]+(\.[0-9]{1,2})?$`)

// ValidateBudgetAmount checks a monthly limit in USD as a person types
// it: digits with at most two decimals, more than 0, at most
// MaxBudgetAmount ("1e9", "-5", "ten" and "10.001" are refused).
func ValidateBudgetAmount(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return errors.New("type the monthly amount in US dollars, e.g. 10")
	}
	if !amountRule.MatchString(s) {
		return errors.New("an amount in US dollars: digits, with at most two decimals (e.g. 10 or 12.50)")
	}
	v, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil || math.IsInf(v, 0):
		return errors.New("an amount in US dollars: digits, with at most two decimals (e.g. 10 or 12.50)")
	case v <= 0:
		return errors.New("the amount must be more than 0")
	case v > MaxBudgetAmount:
		return fmt.Errorf("at most %d USD a month: a first budget warns of a surprise, not of a fortune", MaxBudgetAmount)
	}
	return nil
}

// ValidateEmail checks the one address budget alerts go to: no spaces,
// one @ with something before it and a domain with a dot after it.
func ValidateEmail(s string) error {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return errors.New("type the e-mail address the alerts go to")
	case strings.ContainsAny(s, ",;"), strings.Count(s, "@") > 1:
		return errors.New("one address only")
	case strings.ContainsAny(s, " \t"):
		return errors.New("an e-mail address has no spaces")
	case len(s) > 254:
		return errors.New("an e-mail address has at most 254 characters")
	}
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return errors.New("an e-mail address looks like name@example.com")
	}
	return nil
}

// validateBudgetName applies Budgets' rule for names: 1–100 characters,
// no colon or backslash.
func validateBudgetName(name string) error {
	if name == "" || len(name) > 100 || strings.ContainsAny(name, `:\`) {
		return errors.New("a budget name has 1 to 100 characters, without : or \\")
	}
	return nil
}

// Budgets calls budgets:DescribeBudgets for account, all pages.
func (c *Client) Budgets(ctx context.Context, account string) ([]Budget, error) {
	var list []Budget
	pages := budgets.NewDescribeBudgetsPaginator(c.budgets, &budgets.DescribeBudgetsInput{AccountId: aws.String(account)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, opDescribeBudgets.failed(err)
		}
		for _, b := range page.Budgets {
			budget := Budget{Name: aws.ToString(b.BudgetName), Type: string(b.BudgetType), Period: string(b.TimeUnit)}
			if b.BudgetLimit != nil {
				budget.Amount, budget.Unit = aws.ToString(b.BudgetLimit.Amount), aws.ToString(b.BudgetLimit.Unit)
			}
			list = append(list, budget)
		}
	}
	return list, nil
}

// BudgetAlerts calls budgets:DescribeNotificationsForBudget, all pages.
// Budgets keeps a notification only with a subscriber, so each one is an
// alert someone gets.
func (c *Client) BudgetAlerts(ctx context.Context, account, budget string) ([]BudgetAlert, error) {
	var alerts []BudgetAlert
	pages := budgets.NewDescribeNotificationsForBudgetPaginator(c.budgets, &budgets.DescribeNotificationsForBudgetInput{
		AccountId: aws.String(account), BudgetName: aws.String(budget)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, opDescribeNotifications(budget).failed(err)
		}
		for _, n := range page.Notifications {
			alerts = append(alerts, BudgetAlert{Kind: string(n.NotificationType), Percent: n.Threshold})
		}
	}
	return alerts, nil
}

// CreateBudget calls budgets:CreateBudget: a monthly cost budget with
// its alerts and their subscriber in one call. A budget of that name
// wraps ErrAlreadyExists.
func (c *Client) CreateBudget(ctx context.Context, account string, b NewBudget) error {
	op := opCreateBudget(b.Name)
	if err := validateNewBudget(b); err != nil {
		return op.refused(err)
	}
	_, err := c.budgets.CreateBudget(ctx, &budgets.CreateBudgetInput{
		AccountId: aws.String(account),
		Budget: &types.Budget{
			BudgetName: aws.String(b.Name), BudgetType: types.BudgetTypeCost, TimeUnit: types.TimeUnitMonthly,
			BudgetLimit: &types.Spend{Amount: aws.String(strings.TrimSpace(b.Amount)), Unit: aws.String("USD")},
		},
		NotificationsWithSubscribers: notificationsWithSubscribers(b.Alerts, b.Email),
	})
	return op.failed(err)
}

// AddBudgetAlert calls budgets:CreateNotification: one more alert, to
// email, on an existing budget. The same alert again wraps
// ErrAlreadyExists.
func (c *Client) AddBudgetAlert(ctx context.Context, account, budget string, a BudgetAlert, email string) error {
	op := opCreateNotification(budget)
	if err := ValidateEmail(email); err != nil {
		return op.refused(err)
	}
	_, err := c.budgets.CreateNotification(ctx, &budgets.CreateNotificationInput{
		AccountId: aws.String(account), BudgetName: aws.String(budget),
		Notification: notification(a), Subscribers: subscribers(email),
	})
	return op.failed(err)
}

func validateNewBudget(b NewBudget) error {
	if err := validateBudgetName(b.Name); err != nil {
		return err
	}
	if err := ValidateBudgetAmount(b.Amount); err != nil {
		return err
	}
	if len(b.Alerts) > 0 {
		return ValidateEmail(b.Email)
	}
	return nil
}

func notification(a BudgetAlert) *types.Notification {
	return &types.Notification{NotificationType: types.NotificationType(a.Kind), ComparisonOperator: types.ComparisonOperatorGreaterThan,
		Threshold: a.Percent, ThresholdType: types.ThresholdTypePercentage}
}

func subscribers(email string) []types.Subscriber {
	return []types.Subscriber{{SubscriptionType: types.SubscriptionTypeEmail, Address: aws.String(strings.TrimSpace(email))}}
}
