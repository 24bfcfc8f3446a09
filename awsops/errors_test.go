package awsops_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/smithy-go"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/awsops/awstest"
)

func TestNoCredentials(t *testing.T) {
	awstest.Isolate(t)
	_, err := awsops.New(awstest.Context(t), awsops.Options{})
	if !errors.Is(err, awsops.ErrNoCredentials) {
		t.Errorf("err = %v, want ErrNoCredentials", err)
	}
}

func TestUnknownProfile(t *testing.T) {
	awstest.Isolate(t)
	_, err := awsops.New(awstest.Context(t), awsops.Options{Profile: "does-not-exist"})
	if err == nil {
		t.Fatal("a profile that does not exist was accepted")
	}
}

func TestNetworkUnreachable(t *testing.T) {
	// Port 1 on loopback: nothing listens, the connection is refused at once.
	awstest.UseServer(t, "http://127.0.0.1:1")
	c, err := awsops.New(awstest.Context(t), awsops.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.WhoAmI(awstest.Context(t)); !errors.Is(err, awsops.ErrNetwork) {
		t.Errorf("err = %v, want ErrNetwork", err)
	}
}

// An endpoint that accepts the connection and never answers costs one
// attempt timeout per try, then ErrTimeout: never a hang.
func TestSilentEndpointTimesOut(t *testing.T) {
	awstest.Isolate(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "x")
	t.Setenv("AWS_MAX_ATTEMPTS", "2")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			defer conn.Close() // held open, never answered
		}
	}()
	t.Setenv("AWS_ENDPOINT_URL", "http://"+ln.Addr().String())
	c, err := awsops.New(awstest.Context(t), awsops.Options{AttemptTimeout: 200 * time.Millisecond, MaxBackoff: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.WhoAmI(awstest.Context(t)); !errors.Is(err, awsops.ErrTimeout) {
		t.Errorf("err = %v, want ErrTimeout", err)
	}
}

func TestCanceledContextIsNotClassified(t *testing.T) {
	c, _ := newClient(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := c.WhoAmI(ctx)
	if !errors.Is(err, context.Canceled) || errors.Is(err, awsops.ErrNetwork) {
		t.Errorf("err = %v, want context.Canceled and no ErrNetwork", err)
	}
}

func TestProfileAndRegionFlagsWin(t *testing.T) {
	moto.Use(t, "")
	t.Setenv("AWS_REGION", "eu-west-1")
	c, err := awsops.New(awstest.Context(t), awsops.Options{Region: "ap-southeast-2"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Region() != "ap-southeast-2" {
		t.Errorf("region = %s, want the flag's", c.Region())
	}
	t.Setenv("AWS_REGION", "")
	c, err = awsops.New(awstest.Context(t), awsops.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Region() != awsops.DefaultRegion {
		t.Errorf("region with none configured = %s, want %s", c.Region(), awsops.DefaultRegion)
	}
}

// iamErrorServer answers every call with an IAM/STS query-protocol error
// carrying code, as AWS does, so the real SDK deserializes it.
func iamErrorServer(t *testing.T, status int, code string) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(status)
		fmt.Fprintf(w, `<ErrorResponse><Error><Type>Sender</Type><Code>%s</Code><Message>from the test server</Message></Error><RequestId>1</RequestId></ErrorResponse>`, code)
	}))
	t.Cleanup(srv.Close)
	awstest.UseServer(t, srv.URL)
}

func TestErrorCodesMapToKinds(t *testing.T) {
	for _, tc := range []struct {
		status int
		code   string
		call   func(context.Context, *awsops.Client) error
		want   error
	}{
		{403, "AccessDenied", createGroup, awsops.ErrAccessDenied},
		{403, "InvalidClientTokenId", whoAmI, awsops.ErrInvalidCredentials},
		{403, "SignatureDoesNotMatch", whoAmI, awsops.ErrInvalidCredentials},
		{403, "ExpiredToken", whoAmI, awsops.ErrExpiredCredentials},
		{400, "Throttling", createGroup, awsops.ErrThrottled},
		{409, "LimitExceeded", createGroup, awsops.ErrLimitExceeded},
		{400, "PasswordPolicyViolation", func(ctx context.Context, c *awsops.Client) error {
			return c.CreateLoginProfile(ctx, "alice", awsops.NewSecret("weak"), true)
		}, awsops.ErrPasswordPolicy},
		{409, "EntityAlreadyExists", func(ctx context.Context, c *awsops.Client) error {
			return c.CreateAccountAlias(ctx, "test")
		}, awsops.ErrAliasTaken},
		{400, "OptInRequired", createGroup, awsops.ErrNotActivated},
		{400, "ValidationError", createGroup, awsops.ErrInvalidInput},
	} {
		t.Run(tc.code, func(t *testing.T) {
			iamErrorServer(t, tc.status, tc.code)
			c, err := awsops.New(awstest.Context(t), awsops.Options{})
			if err != nil {
				t.Fatal(err)
			}
			err = tc.call(awstest.Context(t), c)
			if !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
			var apiErr smithy.APIError
			if !errors.As(err, &apiErr) || apiErr.ErrorCode() != tc.code {
				t.Errorf("the SDK's error with code %s is lost: %v", tc.code, err)
			}
		})
	}
}

func createGroup(ctx context.Context, c *awsops.Client) error { return c.CreateGroup(ctx, "g") }
func whoAmI(ctx context.Context, c *awsops.Client) error {
	_, err := c.WhoAmI(ctx)
	return err
}

func TestNamedProfileFromSharedFiles(t *testing.T) {
	c, _ := newClient(t)
	ctx := awstest.Context(t)
	// moto answers GetCallerIdentity as the owner of a key it issued, so
	// the caller's ARN proves which profile's key signed the call.
	if _, err := c.CreateUser(ctx, "worker"); err != nil {
		t.Fatal(err)
	}
	key, err := c.CreateAccessKey(ctx, "worker")
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	creds := "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = x\n\n[work]\naws_access_key_id = " +
		key.ID + "\naws_secret_access_key = " + key.Secret.Reveal() + "\n"
	if err := os.WriteFile(os.Getenv("AWS_SHARED_CREDENTIALS_FILE"), []byte(creds), 0o600); err != nil {
		t.Fatal(err)
	}
	for profile, wantSuffix := range map[string]string{"work": ":user/worker", "": ":user/moto"} {
		c, err := awsops.New(ctx, awsops.Options{Profile: profile})
		if err != nil {
			t.Fatal(err)
		}
		caller, err := c.WhoAmI(ctx)
		if err != nil || !strings.HasSuffix(caller.ARN, wantSuffix) {
			t.Errorf("profile %q: caller %s, %v; want ...%s", profile, caller.ARN, err, wantSuffix)
		}
	}
}

// An endpoint that answers an API with a web page (as moto does, with 404
// for the Account API and 500 for IAM Access Analyzer) does not offer it:
// the failure is ErrNotOffered, and the call log keeps the HTTP status and
// the SDK's own words for whoever debugs the endpoint.
func TestAWebPageForAnAnswerIsAnAPINotOffered(t *testing.T) {
	for _, status := range []int{http.StatusNotFound, http.StatusInternalServerError} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			awstest.Isolate(t)
			t.Setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
			t.Setenv("AWS_SECRET_ACCESS_KEY", "x")
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(status)
				fmt.Fprint(w, "<!doctype html>\n<title>Not Found</title>\n<h1>Not Found</h1>")
			}))
			defer srv.Close()
			t.Setenv("AWS_ENDPOINT_URL", srv.URL)
			var log strings.Builder
			c, err := awsops.New(awstest.Context(t), awsops.Options{MaxBackoff: time.Millisecond,
				Logger: slog.New(slog.NewTextHandler(&log, nil))})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Regions(awstest.Context(t))
			if !errors.Is(err, awsops.ErrNotOffered) {
				t.Fatalf("err = %v, want ErrNotOffered", err)
			}
			if want := fmt.Sprintf("http_status=%d answer=", status); !strings.Contains(log.String(), want) {
				t.Errorf("the call log lacks %q:\n%s", want, log.String())
			}
		})
	}
}
