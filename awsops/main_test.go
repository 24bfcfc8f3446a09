package awsops_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/awsops/awstest"
)

var moto *awstest.Moto

func TestMain(m *testing.M) {
	var err error
	moto, err = awstest.StartMoto()
	if err != nil {
		fmt.Fprintln(os.Stderr, "FAIL: the awsops tests need moto's server:", err)
		os.Exit(1)
	}
	code := m.Run()
	moto.Stop()
	os.Exit(code)
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
