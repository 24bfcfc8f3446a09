package awsops_test

import (
	"os"
	"testing"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/awsops/awstest"
)

var moto *awstest.Moto

func TestMain(m *testing.M) {
	if arg := os.Getenv(practiceHelperEnv); arg != "" {
		os.Exit(practiceHelper(arg)) // a child of a practice file test: no moto
	}
	awstest.RunWithMoto(m, &moto)
}

// newClient returns a real SDK client pointed at a freshly reset moto and,
// for the region calls, at a new Account API double.
func newClient(t *testing.T) (*awsops.Client, *awstest.AccountAPI) {
	t.Helper()
	accountAPI := awstest.NewAccountAPI(t)
	moto.Use(t, accountAPI.URL)
	c, err := awsops.New(awstest.Context(t), awsops.Options{})
	if err != nil {
		t.Fatalf("new client: %v", err)
	}
	return c, accountAPI
}
