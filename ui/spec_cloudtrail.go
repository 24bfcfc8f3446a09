package ui

import (
	"strconv"
	"strings"

	"charm.land/huh/v2"

	"github.com/awssecure/awssecure/internal/inert"
	"github.com/awssecure/awssecure/steps"
)

// cloudTrailSpec is the CloudTrail step's screen: what it will make (or
// fix), what it costs, and an optional expiry for old logs.
var cloudTrailSpec = formSpec[steps.TrailRequest]{
	step:    steps.CloudTrail,
	form:    newTrailForm,
	fresh:   steps.ReadCloudTrailAgain,
	freshIf: steps.TrailsUnread,
}

// newTrailForm says what the step will do before anything is done. A
// trail of ours that falls short is fixed in place (enter fixes it);
// otherwise the bucket and trail are named, with the cost, and the only
// question is the expiry, which enter leaves empty: keep the logs. When
// another account's trail (an organization's) already logs here, a trail
// of our own is a second, billed copy: the form says so first, and enter
// keeps theirs.
func newTrailForm(_ *common, in steps.TrailRequest) (*huh.Form, func() steps.TrailRequest) {
	if in.Fix != nil {
		note := huh.NewNote().Title("Fix trail " + in.Trail + " (" + in.Region + ")").
			Description(noteText("It has: " + strings.Join(in.Fix.Shortfalls(), ", ") + ".\n" +
				"awssecure turns on every region and log file validation, and starts it logging — in place, no second trail.\n\n" +
				"Cost: " + steps.CloudTrailCost)).
			Next(true).NextLabel("Fix it")
		return huh.NewForm(huh.NewGroup(note)), func() steps.TrailRequest { return in }
	}
	expiry := ""
	if in.ExpiryDays > 0 {
		expiry = strconv.Itoa(in.ExpiryDays)
	}
	cost := steps.CloudTrailCost
	create := true
	var groups []*huh.Group
	if t := in.Existing; t != nil {
		cost, create = steps.SecondCopyCost, !in.Keep
		whose := "account " + t.Account() + "'s"
		if t.Organization {
			whose = "the organization's"
		}
		groups = append(groups, huh.NewGroup(
			huh.NewNote().Title("Trail "+inert.PrintableLine(t.Name)+" ("+whose+") already logs here").
				Description(noteText("It has: "+strings.Join(t.Shortfalls(), ", ")+"; only account "+t.Account()+" can change it.\n"+
					steps.SecondCopyCost)),
			huh.NewConfirm().Title("Make a trail of your own anyway?").Affirmative("Make one").Negative("Keep theirs").Value(&create),
		))
	}
	note := huh.NewNote().Title("This creates, in " + in.Region + ":").
		Description(noteText("bucket " + in.Bucket + "\n       private, encrypted, CloudTrail alone may write\n" +
			"trail  " + in.Trail + "\n       every region, log file validation\n" + untouchedLines(in.Untouched) + "\n" +
			"Cost: " + cost))
	groups = append(groups, huh.NewGroup(note,
		huh.NewInput().Title("Delete logs older than how many days?").Description("1–3650; leave empty to keep them").
			Value(&expiry).Validate(steps.ValidateExpiryDays).CharLimit(6),
	).WithHideFunc(func() bool { return !create }))
	return huh.NewForm(groups...), func() steps.TrailRequest {
		in.ExpiryDays, _ = strconv.Atoi(strings.TrimSpace(expiry))
		in.Keep = in.Existing != nil && !create
		return in
	}
}

// untouchedLines names, under the bucket and trail lines, the buckets
// named alike that awssecure did not make and leaves as they are: two at
// most, and how many more.
func untouchedLines(names []string) string {
	var lines string
	for i, name := range names {
		if i == 2 {
			lines += "       and " + strconv.Itoa(len(names)-2) + " more named alike\n"
			break
		}
		lines += "left   " + inert.PrintableLine(name) + "\n"
	}
	if lines != "" {
		stay := "it stays as it is"
		if len(names) > 1 {
			stay = "they stay as they are"
		}
		lines += "       not made by awssecure: " + stay + "\n"
	}
	return lines
}
