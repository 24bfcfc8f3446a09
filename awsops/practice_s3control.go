package awsops

import "context"

// PublicAccessBlock reads the account's S3 Block Public Access.
func (p *Practice) PublicAccessBlock(ctx context.Context, accountID string) (PublicAccessBlock, error) {
	return practiceRead(ctx, p, opGetAccountPublicAccessBlock, func(st *practiceState) (PublicAccessBlock, error) {
		if accountID != PracticeAccountID {
			return PublicAccessBlock{}, replyAccessDenied()
		}
		if st.PublicAccessBlock == nil {
			return PublicAccessBlock{}, replyNoPublicAccessBlock()
		}
		return *st.PublicAccessBlock, nil
	})
}

// PutPublicAccessBlock sets the account's S3 Block Public Access.
func (p *Practice) PutPublicAccessBlock(ctx context.Context, accountID string, b PublicAccessBlock) error {
	return p.write(ctx, opPutAccountPublicAccessBlock, func(st *practiceState) (bool, error) {
		if accountID != PracticeAccountID {
			return false, replyAccessDenied()
		}
		if st.PublicAccessBlock != nil && *st.PublicAccessBlock == b {
			return false, nil
		}
		st.PublicAccessBlock = &b
		return true, nil
	})
}
