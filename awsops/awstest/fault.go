package awstest

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Fault is one way a call to AWS can go wrong on the wire.
type Fault int

const (
	NoFault Fault = iota
	// Fault500 answers 500 InternalFailure without reaching the server.
	Fault500
	// Fault503 answers 503 ServiceUnavailable without reaching the server.
	Fault503
	// FaultThrottle answers 400 Throttling, as IAM does when called too fast.
	FaultThrottle
	// FaultReset resets the connection before the call reaches the server.
	FaultReset
	// FaultLostReply lets the call reach the server and do its work, then
	// resets the connection: the caller cannot know it succeeded. This is
	// the fault that creates duplicates in careless code.
	FaultLostReply
	// FaultSlow answers correctly but late.
	FaultSlow
	// FaultDenied answers 403 AccessDenied, as IAM does for a caller
	// without the permission. Never drawn at random; only forced.
	FaultDenied
)

var faultNames = [...]string{"none", "500", "503", "throttle", "reset", "lost reply", "slow", "denied"}

func (f Fault) String() string { return faultNames[f] }

// Faults decides, per call and by seed, whether a call fails and how.
// Install it on a Proxy with SetFaults.
type Faults struct {
	mu     sync.Mutex
	rng    *rand.Rand
	rate   float64
	slow   time.Duration
	forced map[string][]Fault // action → faults for its next calls
	counts map[Fault]int
}

// NewFaults fails a share rate (0–1) of calls with a fault drawn at random
// from every kind, reproducibly for a seed. slow is how late a slow reply is.
func NewFaults(seed uint64, rate float64, slow time.Duration) *Faults {
	return &Faults{rng: rand.New(rand.NewPCG(seed, seed^0x5eed)), rate: rate, slow: slow, forced: map[string][]Fault{}, counts: map[Fault]int{}}
}

// Force makes the next n calls of action fail with f, whatever the seed
// says: a fault that outlasts the SDK's retries.
func (f *Faults) Force(action string, fault Fault, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for range n {
		f.forced[action] = append(f.forced[action], fault)
	}
}

// Counts is how many calls got each fault so far.
func (f *Faults) Counts() map[Fault]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make(map[Fault]int, len(f.counts))
	for k, v := range f.counts {
		out[k] = v
	}
	return out
}

// SetFaults installs faults on the proxy (nil removes them).
func (p *Proxy) SetFaults(f *Faults) {
	p.mu.Lock()
	p.faults = f
	p.mu.Unlock()
}

func (f *Faults) pick(action string) Fault {
	f.mu.Lock()
	defer f.mu.Unlock()
	fault := NoFault
	if q := f.forced[action]; len(q) > 0 {
		fault, f.forced[action] = q[0], q[1:]
	} else if f.rng.Float64() < f.rate {
		fault = Fault(1 + f.rng.IntN(int(FaultSlow)))
	}
	f.counts[fault]++
	return fault
}

// inject answers the call with a fault, or returns false to let it pass.
func (f *Faults) inject(w http.ResponseWriter, r *http.Request, action string, forward func(http.ResponseWriter, *http.Request, string)) bool {
	switch f.pick(action) {
	case Fault500:
		writeWireError(w, r, http.StatusInternalServerError, "InternalFailure", "injected: internal failure")
	case Fault503:
		writeWireError(w, r, http.StatusServiceUnavailable, "ServiceUnavailable", "injected: service unavailable")
	case FaultThrottle:
		writeWireError(w, r, http.StatusBadRequest, "Throttling", "injected: rate exceeded")
	case FaultReset:
		resetConnection(w)
	case FaultLostReply:
		forward(httptest.NewRecorder(), r, action)
		resetConnection(w)
	case FaultSlow:
		time.Sleep(f.slow)
		forward(w, r, action)
	case FaultDenied:
		writeWireError(w, r, http.StatusForbidden, "AccessDenied", "injected: not authorized to perform "+action)
	default:
		return false
	}
	return true
}

// writeWireError answers in the protocol the caller speaks: AWS query XML
// for IAM and STS, EC2's own query XML, REST-XML for S3 and S3 Control,
// and JSON with X-Amzn-ErrorType for CloudTrail, the Account API,
// GuardDuty and Access Analyzer.
func writeWireError(w http.ResponseWriter, r *http.Request, status int, code, message string) {
	_, service := scopeOf(r)
	switch {
	case service == "ec2":
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(status)
		fmt.Fprintf(w, `<Response><Errors><Error><Code>%s</Code><Message>%s</Message></Error></Errors><RequestID>injected</RequestID></Response>`, code, message)
	case IsS3(r) && !isS3Control(r):
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(status)
		if r.Method != http.MethodHead {
			fmt.Fprintf(w, `<Error><Code>%s</Code><Message>%s</Message><RequestId>injected</RequestId></Error>`, code, message)
		}
	case service == "s3" || strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded"):
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(status)
		fmt.Fprintf(w, `<ErrorResponse><Error><Type>Receiver</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>injected</RequestId></ErrorResponse>`, code, message)
	default:
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Amzn-ErrorType", code)
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]string{"message": message})
	}
}

// resetConnection drops the TCP connection with a RST, as a broken network does.
func resetConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(fmt.Sprintf("awstest: cannot hijack to reset: %v", err))
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}

// NewErrorServer answers every call with the same AWS error, in the
// protocol of the caller, until the test ends: a stand-in for AWS turning
// down the credentials themselves (ExpiredToken, SignatureDoesNotMatch),
// which moto does not check.
func NewErrorServer(t *testing.T, status int, code, message string) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeWireError(w, r, status, code, message)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// Force makes the next n calls of action through p fail with fault,
// installing fault injection without random faults if p has none, and
// returns it (for its Counts).
func (p *Proxy) Force(action string, fault Fault, n int) *Faults {
	p.mu.Lock()
	if p.faults == nil {
		p.faults = NewFaults(1, 0, 0)
	}
	f := p.faults
	p.mu.Unlock()
	f.Force(action, fault, n)
	return f
}

// isS3Control tells S3 Control's calls (signed for s3 too) from S3's: they
// are under /v20180820/.
func isS3Control(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/v20180820/") }
