package awsops

import "context"

// WhoAmI answers as the practice account's root user or, for a view
// signed in with a key (WithKey), as that key's IAM user: once the key
// works, and never once it is inactive or deleted (see refusesKey).
func (p *Practice) WhoAmI(ctx context.Context) (Caller, error) {
	return practiceRead(ctx, p, opGetCallerIdentity, func(st *practiceState) (Caller, error) {
		if p.as == nil {
			return Caller{AccountID: PracticeAccountID, ARN: "arn:aws:iam::" + PracticeAccountID + ":root", UserID: PracticeAccountID,
				Temporary: p.rootKey == ""}, nil
		}
		owner, _ := st.keyOwner(p.as.ID)
		return Caller{AccountID: PracticeAccountID, ARN: st.Users[owner].info(owner).ARN, UserID: "AIDA" + p.as.ID[4:]}, nil
	})
}
