package steps

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/internal/inert"
)

// A bucket of our own: the CloudTrail step's log bucket and the billing
// step's report bucket are both found, named and guarded the same way.
//
// Their names follow the console's own patterns, so a bucket named like
// one may well be someone else's: a leftover of an earlier trail, with
// years of logs and a policy that lets an auditor read them, or a bucket
// of the user's own, empty and unmarked, that serves a website (Block
// Public Access would take it offline). awssecure marks the buckets it
// makes with a tag given in the CreateBucket call itself, so S3 makes
// them marked: a run stopped at any point (Ctrl-C, a lost connection)
// leaves a bucket of ours marked, or none, and a rerun converges on it.
// It uses again only a marked bucket. Every other bucket named like ours,
// an unmarked one however empty, stays exactly as it is: the screen and
// the outcome name it, and a new name is drawn. On its own buckets it
// adds its policy statements and its lifecycle rule beside what a bucket
// has and never replaces either.

// BucketMarkKey and BucketMarkValue are the tag awssecure puts on a
// bucket it makes.
const (
	BucketMarkKey   = "awssecure:created-by"
	BucketMarkValue = "awssecure"
)

// bucketCreateCLI makes bucket $B in region $R marked, as makeOwnBucket
// does: the mark is in the create-bucket call (shorthand the aws CLI
// reads), with the location constraint every region but us-east-1 needs.
func bucketCreateCLI(region string) []string {
	lines := []string{`C="Tags=[{Key=` + BucketMarkKey + ",Value=" + BucketMarkValue + `}]"`}
	if region != "us-east-1" {
		lines = append(lines, `C="LocationConstraint=$R,$C"`)
	}
	return append(lines, `aws s3api create-bucket --bucket "$B" --region "$R" --create-bucket-configuration "$C"`)
}

// bucketReplacesCLI warns, after the calls for a new bucket, that the
// policy and lifecycle calls replace a bucket's whole document.
const bucketReplacesCLI = "# a bucket with a policy or rules already: add these to them, not over them"

// maxBucketNameTries bounds how many new names are drawn when one is taken.
const maxBucketNameTries = 5

// BucketPlan is the bucket a new trail or report would use, as the
// read found it, and the buckets named like it that stay as they are.
type BucketPlan struct {
	Bucket string
	// Untouched are the buckets of the home region named like ours that
	// awssecure did not make: it never uses or changes them.
	Untouched []string
}

// bucketKind is whose a bucket name is, as far as awssecure may use it.
type bucketKind int

const (
	bucketAbsent    bucketKind = iota // no bucket of this account has the name
	bucketOurs                        // marked as awssecure's
	bucketElsewhere                   // a bucket of ours in another region
	bucketTheirs                      // anything else, unmarked: not awssecure's to touch
)

// whoseBucket sorts a bucket name for use in region. A name S3 will not
// show us (another account's, answering AccessDenied) counts as absent:
// CreateBucket then tells taken from free.
func whoseBucket(ctx context.Context, acct Account, name, region string) (bucketKind, error) {
	r, err := acct.BucketRegion(ctx, name)
	switch {
	case errors.Is(err, awsops.ErrNotFound), errors.Is(err, awsops.ErrAccessDenied):
		return bucketAbsent, nil
	case err != nil:
		return 0, err
	case r != region:
		return bucketElsewhere, nil
	}
	tags, err := acct.BucketTags(ctx, name)
	switch {
	case err != nil:
		return 0, err
	case tags[BucketMarkKey] == BucketMarkValue:
		return bucketOurs, nil
	}
	return bucketTheirs, nil
}

// findOwnBucket plans the bucket named prefix… in region: a bucket of
// ours an earlier, interrupted run made, so a rerun makes no second one;
// else a new name. Every other bucket of the region so named is
// Untouched (one that could not be read too).
func findOwnBucket(ctx context.Context, acct Account, prefix, region string) (BucketPlan, error) {
	names, err := acct.Buckets(ctx, prefix)
	if err != nil {
		return BucketPlan{Bucket: newBucketName(prefix)}, err
	}
	kinds := make([]bucketKind, len(names))
	errs := make([]error, len(names))
	var reads []func()
	for i, name := range names {
		reads = append(reads, func() { kinds[i], errs[i] = whoseBucket(ctx, acct, name, region) })
	}
	together(reads...)
	var plan BucketPlan
	if i := slices.Index(kinds, bucketOurs); i >= 0 {
		plan.Bucket = names[i]
	}
	for i, name := range names {
		switch {
		case name == plan.Bucket:
		case errs[i] != nil, kinds[i] == bucketTheirs:
			plan.Untouched = append(plan.Untouched, name)
		}
	}
	if plan.Bucket == "" {
		plan.Bucket = newBucketName(prefix)
	}
	return plan, firstError(errs)
}

// newBucketName is prefix and eight random lowercase letters and digits:
// bucket names are unique across all of AWS, and a guessable one could be
// taken first.
func newBucketName(prefix string) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	suffix := []byte(rand.Text()[:8])
	for i, b := range suffix { // rand.Text is base32: upper case and 2–7
		suffix[i] = alphabet[int(b)%len(alphabet)]
	}
	return prefix + string(suffix)
}

// UntouchedSaid says that buckets awssecure did not make stay as they
// are, in one sentence; "" for none.
func UntouchedSaid(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return "Bucket " + inert.PrintableLine(names[0]) + ", which awssecure did not make, stays as it is."
	}
	shown := make([]string, len(names))
	for i, n := range names {
		shown[i] = inert.PrintableLine(n)
	}
	return "Buckets " + strings.Join(shown, ", ") + ", which awssecure did not make, stay as they are."
}

// makeOwnBucket makes plan's bucket in region, marked, or takes it when
// it is ours already (marked); a name another account holds, or a bucket
// that is not ours (unmarked), is passed over for a new name with the
// same prefix. Then it guards the bucket: Block Public Access, SSE-S3,
// owner enforced, and policy(name)'s statements beside those of the
// bucket's policy. Every call is safe to repeat. It returns
// the bucket's name and what to tell about the buckets it passed over.
func makeOwnBucket(ctx context.Context, acct Account, plan BucketPlan, prefix, region string, policy func(bucket string) string) (string, []string, error) {
	bucket := plan.Bucket
	if bucket == "" {
		bucket = newBucketName(prefix)
	}
	var said []string
	if s := UntouchedSaid(plan.Untouched); s != "" {
		said = append(said, s)
	}
	for try := 1; ; try++ {
		kind, err := whoseBucket(ctx, acct, bucket, region)
		if err != nil {
			return "", nil, err
		}
		switch kind {
		case bucketOurs:
		case bucketAbsent:
			err := acct.CreateBucket(ctx, bucket, region, awsops.BucketTag{Key: BucketMarkKey, Value: BucketMarkValue})
			switch {
			case errors.Is(err, awsops.ErrBucketTaken) && try < maxBucketNameTries:
				taken := bucket
				bucket = newBucketName(prefix)
				said = append(said, "The name "+taken+" is taken by another AWS account, so the bucket is "+bucket+".")
				continue
			case errors.Is(err, awsops.ErrAlreadyExists) && try < maxBucketNameTries:
				continue // this call's own lost reply (made marked), or a run beside this one: look again
			case err != nil:
				return "", nil, err
			}
			// S3 made it marked, and this reads the mark and writes nothing;
			// an endpoint that drops tags at creation (moto 5.2.1) gets it here.
			if err := acct.TagBucket(ctx, bucket, BucketMarkKey, BucketMarkValue); err != nil {
				return "", nil, err
			}
		default:
			if try >= maxBucketNameTries {
				return "", nil, fmt.Errorf("find a name for a bucket of awssecure's: %d names were not free", try)
			}
			passed := bucket
			bucket = newBucketName(prefix)
			if kind == bucketElsewhere {
				said = append(said, "Bucket "+passed+" is not in "+region+", so the bucket is "+bucket+".")
			} else {
				said = append(said, "Bucket "+inert.PrintableLine(passed)+", which awssecure did not make, stays as it is; the bucket is "+bucket+".")
			}
			continue
		}
		break
	}
	for _, guard := range []func() error{
		func() error { return acct.BlockPublicAccess(ctx, bucket) },
		func() error { return acct.EncryptBucket(ctx, bucket) },
		func() error { return acct.EnforceBucketOwner(ctx, bucket) },
		func() error { return addPolicyStatements(ctx, acct, bucket, policy(bucket)) },
	} {
		if err := guard(); err != nil {
			return "", nil, err
		}
	}
	return bucket, said, nil
}

// addPolicyStatements gives the bucket's policy the statements of ours,
// beside the statements it has: S3 takes a policy whole, so the policy
// is read first. A bucket without a policy gets ours as it is.
func addPolicyStatements(ctx context.Context, acct Account, bucket, ours string) error {
	have, err := acct.BucketPolicy(ctx, bucket)
	if err != nil {
		return err
	}
	merged, changed, err := mergePolicy(bucket, have, ours)
	if err != nil || !changed {
		return err
	}
	return acct.SetBucketPolicy(ctx, bucket, merged)
}

// maxBucketPolicyBytes is the most S3 allows in a bucket policy.
const maxBucketPolicyBytes = 20 * 1024

// mergePolicy is the policy have with the statements of ours it lacks
// added after its own, matched by Sid; every other part of have stays as
// it is. A statement of have with one of our Sids that says otherwise,
// a policy that is not JSON, or one with no room left are not changed:
// the error says which (awsops.ErrWouldReplace). changed is false when
// have holds ours already.
func mergePolicy(bucket, have, ours string) (merged string, changed bool, err error) {
	if strings.TrimSpace(have) == "" {
		return ours, true, nil
	}
	stop := func(has, fix string) error {
		return fmt.Errorf("add awssecure's statements to the policy of bucket %s: %w", bucket,
			&awsops.WouldReplaceError{Bucket: bucket, Has: has, Fix: fix})
	}
	const policyFix = "Look at the bucket policy in the S3 console (bucket → Permissions → Bucket policy), then retry."
	var doc map[string]json.RawMessage
	if err := json.Unmarshal([]byte(have), &doc); err != nil {
		return "", false, stop("its policy is not JSON awssecure can read", policyFix)
	}
	statements, err := policyStatements(doc["Statement"])
	if err != nil {
		return "", false, stop("its policy's statements are not JSON awssecure can read", policyFix)
	}
	bySid := map[string]json.RawMessage{}
	for _, st := range statements {
		if sid := statementSid(st); sid != "" {
			bySid[sid] = st
		}
	}
	var mine struct{ Statement []json.RawMessage }
	if err := json.Unmarshal([]byte(ours), &mine); err != nil {
		return "", false, fmt.Errorf("awssecure's own policy for bucket %s: %w", bucket, err)
	}
	var added []json.RawMessage
	for _, st := range mine.Statement {
		sid := statementSid(st)
		there, ok := bySid[sid]
		switch {
		case !ok:
			added = append(added, st)
		case !sameStatement(there, st):
			return "", false, stop("its policy has a statement "+sid+" that says otherwise than awssecure's statement of that name",
				"Look at statement "+sid+" in the bucket policy (S3 console: bucket → Permissions → Bucket policy); rename or remove it if it is not needed, then retry.")
		}
	}
	if len(added) == 0 {
		return have, false, nil
	}
	all, _ := json.Marshal(append(statements, added...)) // raw JSON read above: it cannot fail
	doc["Statement"] = all
	if _, ok := doc["Version"]; !ok {
		doc["Version"] = json.RawMessage(`"2012-10-17"`)
	}
	out, _ := json.MarshalIndent(doc, "", "  ")
	if len(out) > maxBucketPolicyBytes {
		out, _ = json.Marshal(doc)
	}
	if len(out) > maxBucketPolicyBytes {
		return "", false, stop("its policy has no room for awssecure's statements (S3 allows 20 KB)", policyFix)
	}
	return string(out), true, nil
}

// policyStatements reads a policy's Statement, which may be one
// statement or a list of them (or absent: none).
func policyStatements(raw json.RawMessage) ([]json.RawMessage, error) {
	raw = json.RawMessage(strings.TrimSpace(string(raw)))
	switch {
	case len(raw) == 0 || string(raw) == "null":
		return nil, nil
	case raw[0] == '{':
		return []json.RawMessage{raw}, nil
	}
	var list []json.RawMessage
	err := json.Unmarshal(raw, &list)
	return list, err
}

func statementSid(st json.RawMessage) string {
	var s struct{ Sid string }
	_ = json.Unmarshal(st, &s) // a statement without a readable Sid has none
	return s.Sid
}

// sameStatement says whether two statements mean the same, as IAM reads
// them: a list of one value is that value, and the order of a list of
// values does not matter.
func sameStatement(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(normalJSON(x), normalJSON(y))
}

func normalJSON(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = normalJSON(e)
		}
		return out
	case []any:
		if len(v) == 1 {
			return normalJSON(v[0])
		}
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = normalJSON(e)
		}
		slices.SortFunc(out, func(p, q any) int { return strings.Compare(fmt.Sprint(p), fmt.Sprint(q)) })
		return out
	}
	return v
}

// policyStatement is one statement of a bucket policy.
type policyStatement struct {
	Sid       string
	Effect    string
	Principal any
	Action    any
	Resource  any
	Condition map[string]map[string]any
}

// bucketPolicy is a bucket policy of the statements given, then one that
// denies every request to the bucket made without TLS.
func bucketPolicy(bucketARN string, allow ...policyStatement) string {
	doc := struct {
		Version   string
		Statement []policyStatement
	}{"2012-10-17", append(allow, policyStatement{"DenyInsecureTransport", "Deny", "*", "s3:*", []string{bucketARN, bucketARN + "/*"},
		map[string]map[string]any{"Bool": {"aws:SecureTransport": "false"}}})}
	out, _ := json.MarshalIndent(doc, "", "  ") // plain strings and maps: it cannot fail
	return string(out)
}
