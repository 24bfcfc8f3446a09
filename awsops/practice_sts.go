package awsops

import "context"

// WhoAmI answers as the practice account's root user.
func (p *Practice) WhoAmI(ctx context.Context) (Caller, error) {
	return practiceRead(ctx, p, opGetCallerIdentity, func(*practiceState) (Caller, error) {
		return Caller{AccountID: PracticeAccountID, ARN: "arn:aws:iam::" + PracticeAccountID + ":root", UserID: PracticeAccountID}, nil
	})
}
